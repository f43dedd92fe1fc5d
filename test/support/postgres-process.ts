import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findFreePort } from '../../apps/ledger/src/database/embedded-postgres';

const RUNNER = resolve(__dirname, 'run-embedded-postgres.ts');
const REPO_ROOT = resolve(__dirname, '../..');

/** A PostgreSQL server of a test's own, that the test can stop and start again (same data, same port). */
export class PostgresProcess {
  private child?: ChildProcess;
  url = '';

  private constructor(readonly dataDir: string, readonly port: number) {}

  static async create(): Promise<PostgresProcess> {
    const parent = mkdtempSync(join(tmpdir(), 'ledger-fault-pg-'));
    chmodSync(parent, 0o755);
    return new PostgresProcess(join(parent, 'data'), await findFreePort());
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', RUNNER, this.dataDir, String(this.port)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.url = await new Promise<string>((resolveUrl, reject) => {
      let output = '';
      child.stdout!.on('data', (chunk) => {
        output += chunk.toString();
        const ready = /READY (\S+)/.exec(output);
        if (ready) resolveUrl(ready[1]);
      });
      child.stderr!.on('data', (chunk) => (output += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`postgres runner exited (${code}): ${output}`)));
    });
  }

  /** Stops the server and waits until its runner has exited and closed its output pipes. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.stdout!.closed && child.stderr!.closed && (child.exitCode !== null || child.signalCode !== null)) return;
    const closed = new Promise<void>((done) => child.once('close', () => done()));
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await closed;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(resolve(this.dataDir, '..'), { recursive: true, force: true });
  }
}
