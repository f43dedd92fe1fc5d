import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Pool } from 'pg';
import { loadConfig } from '../../apps/ledger/src/config/ledger-config';
import { openCliIngest } from '../../apps/ledger/src/ingest/cli-ingest';
import { ledgerTruthArbitrary, Webhook } from '../../test/support/ledger-truth';
import { envelope } from '../../test/support/voucherify';
import { FIXTURES_DIR } from '../support/payloads';

/** Histories sampled at once: their cards' webhooks interleave in the log, as a shop's customers' do. */
const HISTORIES_PER_WAVE = 400;
/** Appends in flight: the ingest's group commit takes them together, as it does a webhook burst. */
const IN_FLIGHT = 64;
const HOUR = 3_600_000;

/** A deterministic pseudo-random sequence (the log is the same in every run). */
function randoms(seed: number) {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/**
 * The realistic log: loyalty-card histories as Voucherify reports them (the generated truths the
 * ledger's property tests use): each transaction reported twice or more (`transaction.created`
 * and `points_added`, customer-level twins), rewards paid in points (`customer.rewarded` with or
 * without its transaction), expiries with their buckets, snapshots that lag. Each card's webhooks
 * arrive in the order of their time with some late (up to two hours), interleaved with a wave's
 * other cards. Every webhook carries its customer, as Voucherify's do. Appended through the
 * service's own ingest use case (as `ledger import`), so the rows are what ingest stores. No
 * deletions: a generated campaign deletion would delete a campaign every card shares.
 */
export async function generateRealisticLog(pool: Pool, url: string, events: number, log: (line: string) => void): Promise<void> {
  const customer = (JSON.parse(readFileSync(resolve(FIXTURES_DIR, 'voucher.published.data.json'), 'utf8')) as { customer: Record<string, unknown> }).customer;
  const ingest = await openCliIngest(loadConfig({ ...process.env, DATABASE_URL: url }, {}, { receivesWebhooks: false }), pool);
  const random = randoms(28);
  let appended = 0;
  let history = 0;
  try {
    for (let wave = 0; appended < events; wave++) {
      const truths = fc.sample(ledgerTruthArbitrary(6, 14, { rewardsInPoints: true, expiryBuckets: true }), { numRuns: HISTORIES_PER_WAVE, seed: 2800 + wave });
      const arrivals: { at: number; body: string }[] = [];
      for (const truth of truths) {
        const salt = `w${(history++).toString(36)}`;
        const start = random() * 12 * HOUR; // the wave's cards start over half a day
        for (const w of truth.webhooks) {
          const late = random() < 0.1 ? random() * 2 * HOUR : random() * 1000;
          arrivals.push({ at: start + Date.parse(w.createdAt) + late, body: envelopeOf(w, customer, salt) });
        }
      }
      arrivals.sort((a, b) => a.at - b.at);
      const bodies = arrivals.slice(0, events - appended).map((a) => a.body);
      for (let from = 0; from < bodies.length; from += IN_FLIGHT) {
        const results = await Promise.all(bodies.slice(from, from + IN_FLIGHT).map((body) => ingest.ingest(Buffer.from(body))));
        const refused = results.find((r) => r.outcome !== 'appended');
        if (refused) throw new Error(`the realistic log was not appended: ${JSON.stringify(refused)}`);
      }
      appended += bodies.length;
      log(`  generated ${appended}/${events} realistic events`);
    }
  } finally {
    await ingest.close();
  }
  await pool.query('ANALYZE events');
}

/** The truth's webhook as Voucherify sends it, its ids made unique to this history (`salt`), with its customer. */
function envelopeOf(w: Webhook, customer: Record<string, unknown>, salt: string): string {
  const seed = /^evlt_([0-9a-f]{6})_/.exec(w.eventId)![1];
  const voucher = w.data.voucher as { holder_id?: string } | undefined;
  const data = voucher?.holder_id && !w.data.customer ? { ...w.data, customer: { ...customer, id: voucher.holder_id, source_id: voucher.holder_id } } : w.data;
  const text = JSON.stringify(envelope(w.type, data, { eventId: w.eventId, deliveryId: `whs_${w.eventId}`, createdAt: w.createdAt, envelopeType: w.envelopeType }));
  // Every id the truth makes holds its seed as `_<seed>_` or `-<seed>-` (codes).
  return text.replaceAll(`_${seed}_`, `_${salt}_`).replaceAll(`-${seed}-`, `-${salt}-`);
}
