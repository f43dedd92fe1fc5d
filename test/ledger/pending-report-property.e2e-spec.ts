import fc from 'fast-check';
import { Movement, pendingScenario, VOUCHER } from '../support/pending-truth';
import { getJson } from '../support/read-api';
import { createTestDatabase } from '../support/test-database';
import { startTestApp } from '../support/test-app';
import { envelope, postWebhook } from '../support/voucherify';

/*
 * Pending points through the service (PostgreSQL, the projector in small batches), from a
 * generated truth delivered shuffled, with twins, repeats and drops. Each run has a database and a
 * service of its own. The period report's pending identity (opening + movements + unexplained =
 * closing) holds for any period; delivered whole, its closing and the card's pending points as of
 * any time are the truth's.
 */

const HOUR = 3_600_000;
const sumMovements = (p: Record<string, number>) => p.added + p.updated + p.cancelled + p.activated + p.unexplained + p.written_off;
/** The truth's pending points as of `at`: after the last movement before it. */
const pendingAsOf = (truth: Movement[], at: number) => [...truth].reverse().find((m) => Date.parse(m.at) < at)?.pendingAfter ?? 0;

describe('pending points through the service, against a generated truth', () => {
  it('keeps the report identity for any period and, delivered whole, the truth as of any time', async () => {
    await fc.assert(
      fc.asyncProperty(pendingScenario, fc.integer({ min: 1, max: 6 }), async ({ truth, deliveries, complete }, batchSize) => {
        const db = await createTestDatabase();
        const service = await startTestApp(db.url, { projectorPollMs: 20, projectorBatchSize: batchSize });
        try {
          let head = 0;
          for (const d of deliveries) {
            const answer = await postWebhook(service.baseUrl, JSON.stringify(envelope(d.report.type, d.report.data, { createdAt: d.at, eventId: d.report.eventId })));
            expect([200, 202]).toContain(answer.status);
            head = Math.max(head, answer.json.position ?? 0);
          }
          const get = (path: string) => getJson(service.baseUrl, path, head);
          const delivered = truth.filter((m) => deliveries.some((d) => d.movement === m));
          // One movement per delivered movement, newest first.
          const listed = (await get(`/loyalty-cards/${VOUCHER}/pending-points?limit=500`)).json.data;
          expect(listed.map((m: any) => m.movement)).toEqual(delivered.map((m) => m.movement).reverse());

          const first = Date.parse(truth[0].at);
          const last = Date.parse(truth[truth.length - 1].at);
          const bounds = [first - HOUR, first, first + HOUR / 2, Math.floor((first + last) / 2), last, last + 1, last + HOUR];
          for (let i = 0; i < bounds.length; i++) {
            for (let j = i + 1; j < bounds.length; j += 2) {
              const [from, to] = [new Date(bounds[i]).toISOString(), new Date(bounds[j]).toISOString()];
              const report = (await get(`/reports/points?from=${from}&to=${to}`)).json;
              const pending = report.campaigns.find((c: any) => c.campaign_id === 'camp_pend')?.pending;
              if (!pending) continue;
              expect({ from, to, identity: pending.opening + sumMovements(pending) }).toEqual({ from, to, identity: pending.closing });
              if (complete) expect({ from, to, opening: pending.opening, closing: pending.closing }).toEqual({ from, to, opening: pendingAsOf(truth, bounds[i]), closing: pendingAsOf(truth, bounds[j]) });
            }
          }
          if (complete) {
            for (const m of truth) {
              const at = new Date(Date.parse(m.at) + 1).toISOString();
              expect([m.at, (await get(`/loyalty-cards/${VOUCHER}?as_of=${at}`)).json.pending_points]).toEqual([m.at, m.pendingAfter]);
            }
          }
        } finally {
          await service.close();
          await db.drop();
        }
      }),
      { numRuns: Number(process.env.PENDING_REPORT_PROPERTY_RUNS ?? 12), seed: 20261206 },
    );
  }, 300_000);
});
