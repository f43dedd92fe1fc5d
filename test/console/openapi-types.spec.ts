import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const REPO_ROOT = resolve(__dirname, '../..');
const DOCUMENT = resolve(REPO_ROOT, 'openapi.json');
const TYPES = resolve(REPO_ROOT, 'apps/console/src/api/schema.d.ts');
const run = promisify(execFile);

/**
 * The console's client is typed from the service's OpenAPI document (openapi.json, which the
 * contract test keeps equal to what the service serves) through schema.d.ts. This fails when
 * schema.d.ts is not what openapi-typescript makes of the document, or when the console no longer
 * type-checks against it: a route or a field the console uses cannot change unnoticed.
 * `npm run console:api` refreshes both files.
 */
describe("the console's types of the OpenAPI document", () => {
  it('are generated from openapi.json, and the console type-checks against them', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'console-types-')), 'schema.d.ts');
    await run(process.execPath, [join(REPO_ROOT, 'node_modules/openapi-typescript/bin/cli.js'), DOCUMENT, '-o', out], { cwd: REPO_ROOT });
    expect(readFileSync(TYPES, 'utf8')).toBe(readFileSync(out, 'utf8'));

    await run(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'apps/console/tsconfig.json'], { cwd: REPO_ROOT }).catch((error) => {
      throw new Error(`the console does not type-check against the document:\n${error.stdout}${error.stderr}`);
    });
  });
});
