import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { findFreePort } from '../../apps/ledger/src/database/embedded-postgres';

const MAIN = resolve(__dirname, '../../dist/apps/ledger/apps/ledger/src/main.js');

/** The built service (npm run build first) in a process of its own, as in production. */
export class BenchService {
  private constructor(private readonly child: ChildProcess, readonly baseUrl: string) {}

  static async start(env: Record<string, string>): Promise<BenchService> {
    const port = await findFreePort();
    // e.g. BENCH_SERVICE_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the service
    const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
    // e.g. BENCH_SERVICE_ENV='INGEST_CONCURRENT_FLUSHES=8 PROJECTOR_BATCH_SIZE=1000' to try settings
    const extraEnv = Object.fromEntries((process.env.BENCH_SERVICE_ENV ?? '').split(' ').filter(Boolean).map((kv) => kv.split('=')));
    const child = spawn(process.execPath, [...nodeArgs, MAIN], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        LOG_LEVEL: 'error',
        PORT: String(port),
        READ_API_PUBLIC: 'true',
        ...env,
        ...extraEnv,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const service = new BenchService(child, `http://127.0.0.1:${port}`);
    for (let i = 0; i < 300; i++) {
      if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}`);
      try {
        if ((await fetch(`${service.baseUrl}/health/ready`)).ok) return service;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('service did not become ready');
  }

  get pid(): number {
    return this.child.pid!;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await new Promise<void>((done) => {
      this.child.once('exit', () => done());
      this.child.kill('SIGTERM');
    });
  }
}
