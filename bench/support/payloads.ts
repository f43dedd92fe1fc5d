import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const BENCH_SECRET = 'bench-webhook-secret-0123456789';

const FIXTURES_DIR = process.env.VOUCHERIFY_FIXTURES_DIR ?? resolve(__dirname, '../../../shared/fixtures/voucherify');
const TYPES = [
  'customer.reward_redemptions.completed',
  'customer.reward_redemptions.pending',
  'customer.rewarded',
  'redemption.succeeded',
  'voucher.published',
];
const TEMPLATES = TYPES.map((type) => ({ type, data: readFileSync(resolve(FIXTURES_DIR, `${type}.data.json`), 'utf8') }));
const RUN = randomBytes(4).toString('hex');
let counter = 0;

/** A unique, signed v2024-01-01 webhook built on a real fixture (2–6 KB, like production). */
export function nextWebhook(): { body: string; signature: string; eventId: string; type: string } {
  const n = counter++;
  const template = TEMPLATES[n % TEMPLATES.length];
  const eventId = `evbench_${RUN}_${n}`;
  const now = new Date().toISOString();
  const body =
    `{"id":"whs_${RUN}_${n}","project_id":"proj_bench","created_at":"${now}","type":"${template.type}",` +
    `"data":${template.data},"source":{"id":"wh_bench","object":"webhook"},` +
    `"event":{"id":"${eventId}","type":"${template.type}","created_at":"${now}"}}`;
  return { body, signature: createHmac('sha256', BENCH_SECRET).update(body).digest('hex'), eventId, type: template.type };
}
