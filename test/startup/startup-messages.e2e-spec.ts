import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { findFreePort } from '../../apps/ledger/src/database/embedded-postgres';
import { ServiceProcess } from '../support/service-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const REPO_ROOT = resolve(__dirname, '../..');
const MAIN = resolve(REPO_ROOT, 'apps/ledger/src/main.ts');
const PASSWORD = 'never-print-me-7f3a';

/** Runs the service to its end and returns its exit code and everything it printed. */
function runToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', MAIN], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => done({ code, output }));
  });
}

describe('startup messages', () => {
  it('ends a production start whose database port is closed with one line and a non-zero exit', async () => {
    const closedPort = await findFreePort(); // free: nothing listens there
    const { code, output } = await runToExit({
      NODE_ENV: 'production',
      PORT: String(await findFreePort()),
      VOUCHERIFY_WEBHOOK_SECRETS: 'webhook-secret-0123456789',
      READ_TOKENS: 'read-token-0123456789abc',
      DATABASE_URL: `postgres://ledger:${PASSWORD}@127.0.0.1:${closedPort}/ledger`,
    });
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toEqual([`cannot reach the database at 127.0.0.1:${closedPort}: connection refused; check DATABASE_URL`]);
    expect(output).not.toContain(PASSWORD);
  }, 60_000);

  describe('on a database', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('says at start, in one warning line, that a start without NODE_ENV is open and how to close it', async () => {
      const service = await ServiceProcess.start({ NODE_ENV: '', DATABASE_URL: db.url, PROJECTOR: 'off' });
      try {
        const warnings = service.output.split('\n').filter((line) => line.includes('open to anyone'));
        expect(warnings).toHaveLength(1);
        const warning = JSON.parse(warnings[0]);
        expect(warning.level).toBe('warn');
        expect(warning.msg).toContain('unsigned webhooks are accepted');
        expect(warning.msg).toContain('the read API serves customer data to anyone');
        expect(warning.msg).toContain('VOUCHERIFY_WEBHOOK_SECRETS');
        expect(warning.msg).toContain('READ_TOKENS');
      } finally {
        await service.stop();
      }
    }, 90_000);

    it('says nothing of the kind once webhooks are signed and the read API needs a token', async () => {
      const service = await ServiceProcess.start({
        NODE_ENV: '',
        DATABASE_URL: db.url,
        PROJECTOR: 'off',
        VOUCHERIFY_WEBHOOK_SECRETS: 'webhook-secret-0123456789',
        READ_TOKENS: 'read-token-0123456789abc',
      });
      try {
        expect(service.output).not.toContain('open to anyone');
      } finally {
        await service.stop();
      }
    }, 90_000);
  });
});
