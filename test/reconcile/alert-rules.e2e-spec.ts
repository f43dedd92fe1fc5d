import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { envelope, postWebhook } from '../support/voucherify';

// js-yaml comes with @nestjs/swagger (a dependency of the service); the rules file is plain YAML.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml: { load(text: string): any } = require('js-yaml');

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const rules: Rule[] = (yaml.load(readFileSync(resolve(__dirname, '../../deploy/prometheus/alerts.yml'), 'utf8')) as any).groups.flatMap((g: any) => g.rules);
// PromQL functions and keywords are not metric names.
const PROMQL_WORDS = new Set(['time', 'max', 'min', 'sum', 'by', 'without', 'rate', 'increase', 'absent', 'and', 'or', 'unless', 'on', 'ignoring']);

describe('deploy/prometheus/alerts.yml against the metrics the service exports', () => {
  let db: TestDatabase;
  let service: TestApp;
  let exported: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url, { projectorPollMs: 50 });
    // One delivery, so the per-project gauge has a sample and /health/deliveries has a project.
    const answer = await postWebhook(service.baseUrl, JSON.stringify(envelope('customer.created', { customer: { id: 'cust_alerts' } })));
    expect(answer.status).toBe(202);
    exported = await (await fetch(`${service.baseUrl}/metrics`)).text();
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('has the five rules an operator needs, each complete', () => {
    expect(rules.map((r) => r.alert).sort()).toEqual(
      ['LedgerOpenGaps', 'LedgerParkedEvents', 'LedgerProjectionLagging', 'LedgerReconciliationDifferences', 'LedgerWebhooksSilent'].sort(),
    );
    for (const rule of rules) {
      expect(rule.expr).toEqual(expect.any(String));
      expect(rule.for).toMatch(/^\d+[smh]$/);
      expect(['warning', 'critical']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary).toEqual(expect.any(String));
    }
  });

  it.each(rules.map((r) => [r.alert, r]))('%s names only metrics and labels /metrics really has', (_name, rule) => {
    const r = rule as Rule;
    const selectors = [...r.expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^}]*\})?/g)].filter(([, name]) => !PROMQL_WORDS.has(name) && !/^\d/.test(name));
    const metrics = selectors.filter(([name]) => name.startsWith('ledger_'));
    expect(metrics.length).toBeGreaterThan(0);
    for (const [, name, matchers] of metrics) {
      // A sample of that very metric (not a prefix of another), with every label the rule matches on.
      const samples = exported.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
      expect({ name, samples: samples.length > 0 }).toEqual({ name, samples: true });
      for (const [, label, value] of (matchers ?? '').matchAll(/(\w+)="([^"]*)"/g)) {
        expect({ name, label, value, found: samples.some((s) => s.includes(`${label}="${value}"`)) }).toEqual({ name, label, value, found: true });
      }
    }
    for (const [, label] of r.expr.matchAll(/by \(([^)]*)\)/g)) {
      for (const l of label.split(',').map((s) => s.trim())) {
        expect({ label: l, found: metrics.some(([name]) => exported.split('\n').some((line) => line.startsWith(`${name}{`) && line.includes(`${l}="`))) }).toEqual({ label: l, found: true });
      }
    }
  });

  it('exports when each Voucherify project last delivered, and /health/deliveries says ok', async () => {
    expect(exported).toMatch(/^ledger_last_webhook_received_timestamp_seconds\{project_id="proj_5T4Rpl4T1nuM"\} \d+(\.\d+)?$/m);
    const health = await fetch(`${service.baseUrl}/health/deliveries`);
    const body = await health.json();
    expect([health.status, body.status, body.silence_minutes, body.projects.map((p: any) => [p.project_id, p.silent])]).toEqual([
      200,
      'ok',
      60,
      [['proj_5T4Rpl4T1nuM', false]],
    ]);
  });

  it('answers silent (503) when a project stopped delivering, and /health/ready stays up', async () => {
    // Two hours of silence, without waiting two hours: a second instance with a one-minute window
    // and the delivery moved back in time (the log refuses UPDATE, so the test's owner role bypasses the trigger).
    const client = await db.pool.connect();
    try {
      await client.query(`SET session_replication_role = replica`);
      await client.query(`UPDATE events SET received_at = received_at - interval '2 hours' WHERE project_id = 'proj_5T4Rpl4T1nuM'`);
    } finally {
      await client.query(`RESET session_replication_role`);
      client.release();
    }
    const quiet = await startTestApp(db.url, { projector: 'off', webhookSilenceMinutes: 1 });
    try {
      const health = await fetch(`${quiet.baseUrl}/health/deliveries`);
      const body = await health.json();
      expect([health.status, body.status, body.projects[0].silent]).toEqual([503, 'silent', true]);
      expect((await fetch(`${quiet.baseUrl}/health/ready`)).status).toBe(200);
    } finally {
      await quiet.close();
    }
  });
});
