import { ConfigError, loadConfig } from './ledger-config';

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
});
