import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { findFreePort } from '../../apps/ledger/src/database/embedded-postgres';

const REPO_ROOT = resolve(__dirname, '../..');
const MAIN = resolve(REPO_ROOT, 'apps/ledger/src/main.ts');

/** The real service in a process of its own (TypeScript run by ts-node), to kill and restart. */
export class ServiceProcess {
  private child?: ChildProcess;
  /** The child has exited and its stdout and stderr are closed. */
  private closed = true;
  output = '';

  private constructor(readonly port: number, private readonly env: Record<string, string>) {}

  static async start(env: Record<string, string>): Promise<ServiceProcess> {
    const service = new ServiceProcess(await findFreePort(), env);
    await service.launch();
    return service;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private async launch(): Promise<void> {
    try {
      await this.spawnUntilReady();
    } catch (error) {
      // A start that never became ready must not leave the process (and its pipes) behind.
      await this.kill();
      throw error;
    }
  }

  private async spawnUntilReady(): Promise<void> {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', MAIN],
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', PORT: String(this.port), ...this.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    this.closed = false;
    child.once('close', () => (this.closed = true));
    child.stdout!.on('data', (chunk) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk) => (this.output += chunk.toString()));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`service exited (${child.exitCode}): ${this.output}`);
      try {
        if ((await fetch(`${this.baseUrl}/health/ready`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`service did not become ready: ${this.output}`);
  }

  /** SIGKILL: no shutdown hook runs, as in a crash. */
  kill(): Promise<void> {
    return this.end('SIGKILL');
  }

  stop(): Promise<void> {
    return this.end('SIGTERM');
  }

  /** Signals the process and waits until it has exited and its output pipes are closed ('close', not just 'exit'). */
  private async end(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || this.closed) return;
    const closed = new Promise<void>((done) => child.once('close', () => done()));
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await closed;
  }
}
