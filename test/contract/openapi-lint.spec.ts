import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const REPO_ROOT = resolve(__dirname, '../..');
const REDOCLY = resolve(REPO_ROOT, 'node_modules/@redocly/cli/bin/cli.js');
const run = promisify(execFile);

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer?: string }[] }[];
}

/**
 * openapi.json (which the contract test keeps equal to what the service serves) passes Redocly
 * CLI's recommended rules, as `npx redocly lint openapi.json` runs them with redocly.yaml (which
 * says which rules are off, and why). Any error or warning fails, named by its rule and place:
 * a client generator reads the document as the linter does. Fix a finding where the document is
 * made (the DTOs, openapi-props.ts, webhook.openapi.ts, openapi.ts), then `npm run console:api`.
 */
describe('the OpenAPI document against a standard linter', () => {
  it("has no error or warning of Redocly's recommended rules", async () => {
    const args = [REDOCLY, 'lint', 'openapi.json', '--config', 'redocly.yaml', '--format', 'json'];
    // Errors exit 1 with the report on stdout all the same.
    const result = await run(process.execPath, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string }) => error);
    let report: LintReport;
    try {
      report = JSON.parse(result.stdout ?? '');
    } catch {
      throw new Error(`redocly lint gave no report:\n${result.stdout}${result.stderr}`);
    }
    const problems = report.problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  // operation-4xx-response is off in redocly.yaml for the health probes alone, which cannot answer one.
  it('documents a 4xx answer of every operation but the health probes', () => {
    const document = JSON.parse(readFileSync(resolve(REPO_ROOT, 'openapi.json'), 'utf8'));
    const missing: string[] = [];
    for (const [path, item] of Object.entries<Record<string, { responses?: Record<string, unknown> }>>(document.paths)) {
      if (path.startsWith('/health/')) continue;
      for (const [method, operation] of Object.entries(item)) {
        if (!['get', 'put', 'post', 'delete', 'patch'].includes(method)) continue;
        if (!Object.keys(operation.responses ?? {}).some((status) => /^4(\d\d|XX)$/.test(status))) missing.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(Object.keys(document.paths).length).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });
});
