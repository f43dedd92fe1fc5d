import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
// The same fixtures, found the same way, as the tests.
import { FIXTURE_TYPES, FIXTURES_DIR } from '../../test/support/voucherify';

export const BENCH_SECRET = 'bench-webhook-secret-0123456789';

export { FIXTURE_TYPES, FIXTURES_DIR };
const TEMPLATES = FIXTURE_TYPES.map((type) => ({ type, data: readFileSync(resolve(FIXTURES_DIR, `${type}.data.json`), 'utf8') }));
const RUN = randomBytes(4).toString('hex');
/** Webhooks spread over this many customers (each with their cards and vouchers), as in a real shop. */
const CUSTOMERS = 10_000;
let counter = 0;

/** The fixture's ids made those of customer k, and its reward redemption unique. */
function personalise(data: string, k: number, n: number): string {
  return data
    .replace(/cust_[A-Za-z0-9]+/g, `cust_b${k}`)
    .replace(/"v_([A-Za-z0-9]{6})[A-Za-z0-9]*"/g, `"v_b${k}_$1"`)
    .replace(/rewr_[A-Za-z0-9]+/g, `rewr_${RUN}_${n}`);
}

/** A unique, signed v2024-01-01 webhook built on a real fixture (2–6 KB, like production). */
export function nextWebhook(): { body: string; signature: string; eventId: string; type: string } {
  const n = counter++;
  const template = TEMPLATES[n % TEMPLATES.length];
  const eventId = `evbench_${RUN}_${n}`;
  const now = new Date().toISOString();
  const body =
    `{"id":"whs_${RUN}_${n}","project_id":"proj_bench","created_at":"${now}","type":"${template.type}",` +
    `"data":${personalise(template.data, n % CUSTOMERS, n)},"source":{"id":"wh_bench","object":"webhook"},` +
    `"event":{"id":"${eventId}","type":"${template.type}","created_at":"${now}"}}`;
  return { body, signature: createHmac('sha256', BENCH_SECRET).update(body).digest('hex'), eventId, type: template.type };
}

/** A load-generator request carrying the next signed webhook, as Voucherify sends it. */
export function webhookRequest(): { body: string; headers: Record<string, string> } {
  const webhook = nextWebhook();
  return { body: webhook.body, headers: { 'content-type': 'application/json', 'x-voucherify-signature': webhook.signature } };
}
