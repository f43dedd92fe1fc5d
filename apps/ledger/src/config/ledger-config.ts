import { plainToInstance } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidationError,
  validateSync,
} from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const NODE_ENVS = ['development', 'production', 'test'] as const;

/**
 * Validated configuration. Every field maps to one environment variable (see ENV_NAMES);
 * tests build it directly with `loadConfig({...})`.
 */
export class LedgerConfig {
  @IsIn(NODE_ENVS)
  nodeEnv: (typeof NODE_ENVS)[number] = 'development';

  @IsInt() @Min(0) @Max(65535)
  port = 3000;

  /** When absent, an embedded PostgreSQL is started (see main.ts). */
  @IsOptional() @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// or postgresql:// URL' })
  databaseUrl?: string;

  /** The owner's URL, for migrations; absent: DATABASE_URL's role migrates and owns the log (a warning says so). */
  @IsOptional() @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// or postgresql:// URL' })
  databaseMigrationUrl?: string;

  @IsString() @MinLength(1)
  embeddedPostgresDir = './.data/postgres';

  /** 0 picks a free port at every start. */
  @IsInt() @Min(0) @Max(65535)
  embeddedPostgresPort = 0;

  @IsString({ each: true }) @MinLength(16, { each: true, message: 'each secret must be at least 16 characters' })
  webhookSecrets: string[] = [];

  @IsInt() @Min(1024) @Max(64 * 1024 * 1024)
  webhookBodyLimitBytes = 1024 * 1024;

  @IsInt() @Min(1) @Max(200)
  databasePoolSize = 10;

  /** Longest wait for a database connection before answering 503. */
  @IsInt() @Min(100) @Max(60_000)
  databaseConnectTimeoutMs = 2000;

  /** Deadline of one webhook ingestion; Voucherify gives up at 10 s, we answer 503 well before. */
  @IsInt() @Min(100) @Max(9000)
  ingestTimeoutMs = 3000;

  @IsIn(LOG_LEVELS)
  logLevel: (typeof LOG_LEVELS)[number] = 'info';

  /** `off` runs the API alone (projectors then run in other processes). */
  @IsIn(['on', 'off'])
  projector: 'on' | 'off' = 'on';

  @IsInt() @Min(1) @Max(10_000)
  projectorBatchSize = 500;

  /**
   * Memory a rebuild may fill with the read models it folds before it writes them (MB of the
   * process's resident memory; the heap is held to 40% of it: docs/operations.md). More is faster; past it, it flushes.
   */
  @IsInt() @Min(32) @Max(65_536)
  replayMaxMb = 512;

  /** Fallback poll when no NOTIFY wakes the projector. */
  @IsInt() @Min(10) @Max(60_000)
  projectorPollMs = 1000;

  /** Deepest nesting of objects and arrays accepted in a body (Voucherify's payloads are shallow). */
  @IsInt() @Min(8) @Max(1000)
  ingestMaxDepth = 64;

  /** Most object keys accepted in one body. */
  @IsInt() @Min(100) @Max(1_000_000)
  ingestMaxKeys = 10_000;

  /** Most webhooks committed together in one transaction (group commit). */
  @IsInt() @Min(1) @Max(5000)
  ingestMaxBatch = 256;

  /** Group-commit transactions in flight at once. */
  @IsInt() @Min(1) @Max(64)
  ingestConcurrentFlushes = 4;

  /** Bearer tokens accepted on the read API (customer data); any one of them may be used. */
  @IsString({ each: true }) @MinLength(16, { each: true, message: 'each token must be at least 16 characters' })
  readTokens: string[] = [];

  /** Serve the read API without tokens in production, on purpose. */
  @IsBoolean()
  readApiPublic = false;

  /** Bearer token of the /admin routes; without it they are off. */
  @IsOptional() @IsString() @MinLength(16, { message: 'must be at least 16 characters' })
  adminToken?: string;

  /** Longest wait of a read that sent X-Min-Position. */
  @IsInt() @Min(0) @Max(30_000)
  minPositionTimeoutMs = 2000;

  /** Days a refused delivery is kept in rejected_deliveries before it is deleted. */
  @IsInt() @Min(1) @Max(3650)
  rejectedDeliveriesRetentionDays = 30;

  /** Largest size of rejected_deliveries; the oldest rows go first past it. */
  @IsInt() @Min(1) @Max(1_000_000)
  rejectedDeliveriesMaxMb = 64;

  /** Folder of the built operator console (`npm run build`); absent: `dist/console` of the project. */
  @IsOptional() @IsString() @MinLength(1)
  consoleDir?: string;

  /** A comment line on every GET /events/stream this often, so proxies keep it open. */
  @IsInt() @Min(50) @Max(300_000)
  streamHeartbeatMs = 15_000;

  /** Most GET /events/stream connections at once; more are answered 429. */
  @IsInt() @Min(1) @Max(10_000)
  streamMaxClients = 100;

  /** How long a stream's client may leave written data unread before it is disconnected. */
  @IsInt() @Min(10) @Max(600_000)
  streamSlowClientMs = 10_000;
  /** Voucherify's application id (server side), for reconciliation; absent: reconciliation is off. */
  @IsOptional() @IsString() @MinLength(1)
  voucherifyAppId?: string;

  /** Voucherify's secret key; never logged or shown. */
  @IsOptional() @IsString() @MinLength(1)
  voucherifySecretKey?: string;

  /** Voucherify's API by region (Europe by default; https://us1.api.voucherify.io, https://as1.api.voucherify.io). */
  @Matches(/^https?:\/\/[^\s/?#]+(:\d+)?\/?$/, { message: 'must be an http(s) URL with no path, such as https://api.voucherify.io' })
  voucherifyApiUrl = 'https://api.voucherify.io';

  /** Longest wait for one answer of Voucherify's API before it counts as a failure (and is retried). */
  @IsInt() @Min(100) @Max(120_000)
  voucherifyTimeoutMs = 10_000;

  /** Retries of a Voucherify call that failed with a 5xx or a timeout, with exponential backoff. */
  @IsInt() @Min(0) @Max(10)
  voucherifyRetries = 4;

  /** Cards checked at once (each is a few API calls). */
  @IsInt() @Min(1) @Max(32)
  reconcileConcurrency = 2;

  /** A scheduled `--backfill` run every this many minutes, reading each campaign since the last successful one; 0 is off. */
  @IsInt() @Min(0) @Max(10_080)
  reconcileEveryMinutes = 0;

  /** With Voucherify configured: a campaign's point buckets (what will expire) are read again once older than this; 0 reads them only when asked. */
  @IsInt() @Min(0) @Max(8_760)
  expiringPointsRefreshHours = 24;

  /** Voucherify calls a run sends in any minute: half of Business's 100, so the shop's own checkout keeps the rest. */
  @IsInt() @Min(1) @Max(100_000)
  voucherifyCallsPerMinute = 50;

  /** Voucherify calls one run may spend (a plan that needs more is refused unless --max-calls raises it). */
  @IsInt() @Min(1) @Max(1_000_000)
  reconcileMaxCalls = 2000;

  /** Wait between two polls of a Voucherify export (each poll is a call). */
  @IsInt() @Min(10) @Max(60_000)
  voucherifyExportPollMs = 2000;

  /** No webhook for this long (after some arrived) makes /health/deliveries answer `silent`. */
  @IsInt() @Min(1) @Max(10_080)
  webhookSilenceMinutes = 60;

  /** `customer.deleted` from Voucherify starts an erasure of the customer's personal data. */
  @IsBoolean()
  eraseOnCustomerDeleted = false;

  /** The shop's own personal fields (in customer objects and metadata), removed with Voucherify's. */
  @Matches(/^[A-Za-z0-9_]{1,64}$/, { each: true, message: 'each field name is 1 to 64 letters, digits or _' })
  eraseExtraFields: string[] = [];

  /** Whether a customer's source_id is personal: 'email-like' (it holds an @), 'always' or 'never'. */
  @IsIn(['email-like', 'always', 'never'])
  eraseSourceId: 'email-like' | 'always' | 'never' = 'email-like';

  /** How often an instance re-reads the erased customers it redacts new webhooks for; an erasure waits two of these before it scans the log. */
  @IsInt() @Min(50) @Max(60_000)
  erasureRefreshMs = 2000;
}

/** Reconciliation is configured when both credentials are given. */
export function voucherifyConfigured(config: LedgerConfig): config is LedgerConfig & { voucherifyAppId: string; voucherifySecretKey: string } {
  return Boolean(config.voucherifyAppId && config.voucherifySecretKey);
}

/** Environment variable behind each field, for clear error messages. */
export const ENV_NAMES: Record<keyof LedgerConfig, string> = {
  nodeEnv: 'NODE_ENV',
  port: 'PORT',
  databaseUrl: 'DATABASE_URL',
  databaseMigrationUrl: 'DATABASE_MIGRATION_URL',
  embeddedPostgresDir: 'EMBEDDED_POSTGRES_DIR',
  embeddedPostgresPort: 'EMBEDDED_POSTGRES_PORT',
  webhookSecrets: 'VOUCHERIFY_WEBHOOK_SECRETS',
  webhookBodyLimitBytes: 'WEBHOOK_BODY_LIMIT_BYTES',
  databasePoolSize: 'DATABASE_POOL_SIZE',
  databaseConnectTimeoutMs: 'DATABASE_CONNECT_TIMEOUT_MS',
  ingestTimeoutMs: 'INGEST_TIMEOUT_MS',
  logLevel: 'LOG_LEVEL',
  projector: 'PROJECTOR',
  projectorBatchSize: 'PROJECTOR_BATCH_SIZE',
  projectorPollMs: 'PROJECTOR_POLL_MS',
  replayMaxMb: 'REPLAY_MAX_MB',
  minPositionTimeoutMs: 'MIN_POSITION_TIMEOUT_MS',
  adminToken: 'ADMIN_TOKEN',
  ingestMaxBatch: 'INGEST_MAX_BATCH',
  ingestMaxDepth: 'INGEST_MAX_DEPTH',
  ingestMaxKeys: 'INGEST_MAX_KEYS',
  ingestConcurrentFlushes: 'INGEST_CONCURRENT_FLUSHES',
  readTokens: 'READ_TOKENS',
  readApiPublic: 'READ_API_PUBLIC',
  rejectedDeliveriesRetentionDays: 'REJECTED_DELIVERIES_RETENTION_DAYS',
  rejectedDeliveriesMaxMb: 'REJECTED_DELIVERIES_MAX_MB',
  consoleDir: 'CONSOLE_DIR',
  streamHeartbeatMs: 'STREAM_HEARTBEAT_MS',
  streamMaxClients: 'STREAM_MAX_CLIENTS',
  streamSlowClientMs: 'STREAM_SLOW_CLIENT_MS',
  voucherifyAppId: 'VOUCHERIFY_APP_ID',
  voucherifySecretKey: 'VOUCHERIFY_SECRET_KEY',
  voucherifyApiUrl: 'VOUCHERIFY_API_URL',
  voucherifyTimeoutMs: 'VOUCHERIFY_TIMEOUT_MS',
  voucherifyRetries: 'VOUCHERIFY_RETRIES',
  reconcileConcurrency: 'RECONCILE_CONCURRENCY',
  reconcileEveryMinutes: 'RECONCILE_EVERY_MINUTES',
  expiringPointsRefreshHours: 'EXPIRING_POINTS_REFRESH_HOURS',
  voucherifyCallsPerMinute: 'VOUCHERIFY_CALLS_PER_MINUTE',
  reconcileMaxCalls: 'RECONCILE_MAX_CALLS',
  voucherifyExportPollMs: 'VOUCHERIFY_EXPORT_POLL_MS',
  webhookSilenceMinutes: 'WEBHOOK_SILENCE_MINUTES',
  eraseOnCustomerDeleted: 'ERASE_ON_CUSTOMER_DELETED',
  eraseExtraFields: 'ERASE_EXTRA_FIELDS',
  eraseSourceId: 'ERASE_SOURCE_ID',
  erasureRefreshMs: 'ERASURE_REFRESH_MS',
};

const NUMERIC_FIELDS = new Set<keyof LedgerConfig>([
  'port',
  'embeddedPostgresPort',
  'webhookBodyLimitBytes',
  'databasePoolSize',
  'databaseConnectTimeoutMs',
  'ingestTimeoutMs',
  'projectorBatchSize',
  'projectorPollMs',
  'replayMaxMb',
  'minPositionTimeoutMs',
  'ingestMaxBatch',
  'ingestMaxDepth',
  'ingestMaxKeys',
  'ingestConcurrentFlushes',
  'rejectedDeliveriesRetentionDays',
  'rejectedDeliveriesMaxMb',
  'streamHeartbeatMs',
  'streamMaxClients',
  'streamSlowClientMs',
  'voucherifyTimeoutMs',
  'voucherifyRetries',
  'reconcileConcurrency',
  'reconcileEveryMinutes',
  'expiringPointsRefreshHours',
  'voucherifyCallsPerMinute',
  'reconcileMaxCalls',
  'voucherifyExportPollMs',
  'webhookSilenceMinutes',
  'erasureRefreshMs',
]);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function fromEnvironment(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [field, name] of Object.entries(ENV_NAMES) as [keyof LedgerConfig, string][]) {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') continue;
    if (field === 'webhookSecrets' || field === 'readTokens' || field === 'eraseExtraFields') {
      plain[field] = raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    } else if (field === 'readApiPublic' || field === 'eraseOnCustomerDeleted') {
      plain[field] = raw.trim() === 'true' ? true : raw.trim() === 'false' ? false : raw;
    } else if (NUMERIC_FIELDS.has(field)) {
      // Number('') and Number('12abc') are caught by @IsInt: NaN is not an integer.
      plain[field] = /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw;
    } else {
      plain[field] = raw.trim();
    }
  }
  return plain;
}

const SECRET_FIELDS = new Set(['webhookSecrets', 'adminToken', 'readTokens', 'voucherifySecretKey']);

function describe(error: ValidationError): string {
  const name = ENV_NAMES[error.property as keyof LedgerConfig] ?? error.property;
  const shown = SECRET_FIELDS.has(error.property) ? '(hidden)' : JSON.stringify(error.value);
  return `${name}: ${Object.values(error.constraints ?? {}).join('; ')} (got ${shown})`;
}

/** Reads and validates the configuration; throws ConfigError naming each wrong variable. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<LedgerConfig> = {},
  /** The operator CLI receives no webhooks, so it needs no secret. */
  options: { receivesWebhooks: boolean } = { receivesWebhooks: true },
): LedgerConfig {
  const config = plainToInstance(LedgerConfig, { ...fromEnvironment(env), ...overrides });
  const problems = validateSync(config).map(describe);
  if (options.receivesWebhooks && config.nodeEnv === 'production' && config.webhookSecrets.length === 0) {
    problems.push(
      `${ENV_NAMES.webhookSecrets}: required when NODE_ENV=production (unsigned webhooks are accepted only in development)`,
    );
  }
  if (options.receivesWebhooks && config.nodeEnv === 'production' && config.readTokens.length === 0 && !config.readApiPublic) {
    problems.push(
      `${ENV_NAMES.readTokens}: required when NODE_ENV=production (the read API serves customer data); set ${ENV_NAMES.readApiPublic}=true to serve it open on purpose`,
    );
  }
  if (Boolean(config.voucherifyAppId) !== Boolean(config.voucherifySecretKey)) {
    problems.push(`${ENV_NAMES.voucherifyAppId} and ${ENV_NAMES.voucherifySecretKey}: give both (reconciliation with Voucherify) or neither`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

