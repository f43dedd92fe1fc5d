import { ConfigError, loadConfig, voucherifyConfigured } from './ledger-config';

describe('loadConfig', () => {
  it('has working defaults for development', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      databaseUrl: undefined,
      embeddedPostgresDir: './.data/postgres',
      webhookSecrets: [],
      webhookBodyLimitBytes: 1048576,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      DATABASE_URL: 'postgres://u:p@db:5432/ledger',
      VOUCHERIFY_WEBHOOK_SECRETS: 'first-secret-0123456789, second-secret-0123456789',
      WEBHOOK_BODY_LIMIT_BYTES: '2048',
      LOG_LEVEL: 'warn',
      READ_TOKENS: 'read-token-one-0123456789,read-token-two-0123456789',
      ADMIN_TOKEN: 'admin-token-0123456789abcdef',
      PROJECTOR: 'off',
      REJECTED_DELIVERIES_RETENTION_DAYS: '7',
    });
    expect(config).toMatchObject({
      nodeEnv: 'production',
      port: 8080,
      databaseUrl: 'postgres://u:p@db:5432/ledger',
      webhookSecrets: ['first-secret-0123456789', 'second-secret-0123456789'],
      webhookBodyLimitBytes: 2048,
      logLevel: 'warn',
      readTokens: ['read-token-one-0123456789', 'read-token-two-0123456789'],
      adminToken: 'admin-token-0123456789abcdef',
      projector: 'off',
      rejectedDeliveriesRetentionDays: 7,
    });
  });

  it('names each wrong variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', DATABASE_POOL_SIZE: '0', REJECTED_DELIVERIES_RETENTION_DAYS: '0' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'DATABASE_POOL_SIZE', 'REJECTED_DELIVERIES_RETENTION_DAYS']) expect(message).toContain(`${name}:`);
    expect((error as ConfigError).problems).toHaveLength(5);
  });

  it('refuses to run in production without a webhook secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/VOUCHERIFY_WEBHOOK_SECRETS: required when NODE_ENV=production/);
  });

  it('never prints a secret in its errors', () => {
    expect(() => loadConfig({ VOUCHERIFY_WEBHOOK_SECRETS: 'short' })).toThrow(ConfigError);
    try {
      loadConfig({ VOUCHERIFY_WEBHOOK_SECRETS: 'short' });
    } catch (error) {
      expect((error as Error).message).toContain('VOUCHERIFY_WEBHOOK_SECRETS');
      expect((error as Error).message).not.toContain('short');
    }
  });

  it('reads the reconciliation settings, with reconciliation off by default', () => {
    const defaults = loadConfig({});
    expect(voucherifyConfigured(defaults)).toBe(false);
    expect(defaults).toMatchObject({ voucherifyApiUrl: 'https://api.voucherify.io', reconcileConcurrency: 2, reconcileEveryMinutes: 0, webhookSilenceMinutes: 60 });
    const config = loadConfig({
      VOUCHERIFY_APP_ID: 'app-id',
      VOUCHERIFY_SECRET_KEY: 'secret-key',
      VOUCHERIFY_API_URL: 'https://us1.api.voucherify.io',
      RECONCILE_CONCURRENCY: '4',
      RECONCILE_EVERY_MINUTES: '15',
      WEBHOOK_SILENCE_MINUTES: '120',
    });
    expect(voucherifyConfigured(config)).toBe(true);
    expect(config).toMatchObject({ voucherifyApiUrl: 'https://us1.api.voucherify.io', reconcileConcurrency: 4, reconcileEveryMinutes: 15, webhookSilenceMinutes: 120 });
  });

  it('wants both Voucherify credentials or neither, a URL without a path, and never shows the secret key', () => {
    expect(() => loadConfig({ VOUCHERIFY_APP_ID: 'app-id' })).toThrow(/VOUCHERIFY_APP_ID and VOUCHERIFY_SECRET_KEY: give both/);
    expect(() => loadConfig({ VOUCHERIFY_SECRET_KEY: 'the-secret-key-value' })).toThrow(/give both/);
    expect(() => loadConfig({ VOUCHERIFY_API_URL: 'https://api.voucherify.io/v1' })).toThrow(/VOUCHERIFY_API_URL: must be an http\(s\) URL with no path/);
    expect(() => loadConfig({ RECONCILE_CONCURRENCY: '0' })).toThrow(/RECONCILE_CONCURRENCY/);
    try {
      loadConfig({ VOUCHERIFY_SECRET_KEY: 'the-secret-key-value' });
    } catch (error) {
      expect((error as Error).message).not.toContain('the-secret-key-value');
    }
  });
});
