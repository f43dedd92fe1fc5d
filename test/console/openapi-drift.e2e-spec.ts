import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';

const REPO_ROOT = resolve(__dirname, '../..');
const DOCUMENT = resolve(REPO_ROOT, 'apps/console/src/api/openapi.json');
const TYPES = resolve(REPO_ROOT, 'apps/console/src/api/schema.d.ts');
const run = promisify(execFile);

/**
 * The console's client is typed from a copy of the service's OpenAPI document (openapi.json →
 * schema.d.ts). This fails when the copy differs from what the service serves, or when the
 * console no longer type-checks against it: a route or a field the console uses cannot change
 * unnoticed. `npm run console:api` refreshes both copies (UPDATE_CONSOLE_OPENAPI=1 here).
 */
describe("the console's copy of the OpenAPI document", () => {
  let db: TestDatabase;
  let service: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url, { adminToken: 'admin-token-0123456789abcdef' });
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('is the document the service serves, and the console type-checks against it', async () => {
    const served = await (await fetch(`${service.baseUrl}/docs-json`)).json();
    if (process.env.UPDATE_CONSOLE_OPENAPI === '1') writeFileSync(DOCUMENT, `${JSON.stringify(served, null, 2)}\n`);
    expect(JSON.parse(readFileSync(DOCUMENT, 'utf8'))).toEqual(served);

    const out = join(mkdtempSync(join(tmpdir(), 'console-types-')), 'schema.d.ts');
    await run(process.execPath, [join(REPO_ROOT, 'node_modules/openapi-typescript/bin/cli.js'), DOCUMENT, '-o', out], { cwd: REPO_ROOT });
    if (process.env.UPDATE_CONSOLE_OPENAPI === '1') writeFileSync(TYPES, readFileSync(out));
    expect(readFileSync(TYPES, 'utf8')).toBe(readFileSync(out, 'utf8'));

    await run(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'apps/console/tsconfig.json'], { cwd: REPO_ROOT }).catch((error) => {
      throw new Error(`the console does not type-check against the document:\n${error.stdout}${error.stderr}`);
    });
  });
});
