import fc from 'fast-check';
import { buildHistory, GeneratedHistory, historyArbitrary, toEnvelope } from '../support/loyalty-history';
import { projectAll } from '../support/projector';
import { dumpReadModels } from '../support/read-model-dump';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { postWebhook } from '../support/voucherify';

/** A database with the service in front of it; the test drives the projector itself. */
async function ledger(): Promise<{ db: TestDatabase; service: TestApp; close(): Promise<void> }> {
  const db = await createTestDatabase();
  const service = await startTestApp(db.url, { projector: 'off' });
  return { db, service, close: async () => (await service.close(), await db.drop()) };
}

async function deliver(service: TestApp, history: GeneratedHistory, order: number[]): Promise<void> {
  for (const index of order) {
    const event = history.events[index];
    const response = await postWebhook(service.baseUrl, JSON.stringify(toEnvelope(event, `whs_${index}_${Math.random()}`)));
    expect([200, 202]).toContain(response.status);
  }
}

async function expectMatchesTheModel(db: TestDatabase, history: GeneratedHistory): Promise<void> {
  const cards = await db.pool.query('SELECT voucher_id, customer_id, points, balance, redeemed_points, expired_points FROM loyalty_cards ORDER BY voucher_id');
  expect(cards.rows.map((r) => [r.voucher_id, r.customer_id, +r.points, +r.balance, +r.redeemed_points, +r.expired_points])).toEqual(
    [...history.cards]
      .sort((a, b) => (a.voucherId < b.voucherId ? -1 : 1))
      .map((c) => [c.voucherId, c.customerId, c.points, c.balance, c.redeemedPoints, c.expiredPoints]),
  );
  const states = await db.pool.query('SELECT id, state FROM reward_redemptions');
  expect(Object.fromEntries(states.rows.map((r) => [r.id, r.state]))).toEqual(history.redemptionStates);
  // The last ledger entry of each card carries the card's balance.
  const last = await db.pool.query(
    `SELECT DISTINCT ON (voucher_id) voucher_id, balance_after FROM ledger_entries ORDER BY voucher_id, occurred_at DESC NULLS LAST, seq DESC`,
  );
  for (const row of last.rows) {
    expect(+row.balance_after).toBe(history.cards.find((c) => c.voucherId === row.voucher_id)!.balance);
  }
  // Tiers, the campaign's state and holder assignments: what the newest change says, deletions final.
  const tiers = await db.pool.query('SELECT customer_id, tier_id FROM loyalty_tiers');
  expect(Object.fromEntries(tiers.rows.map((r) => [r.customer_id, r.tier_id]))).toEqual(history.tiers);
  const campaign = await db.pool.query(`SELECT status FROM campaigns WHERE id = 'camp_discount'`);
  expect(campaign.rows[0]?.status ?? null).toEqual(history.discountCampaignStatus);
  const assigned = await db.pool.query('SELECT customer_id, voucher_id, removed FROM voucher_holder_assignments ORDER BY voucher_id');
  const held: Record<string, string[]> = {};
  for (const row of assigned.rows) (held[row.customer_id] ??= []).push(...(row.removed ? [] : [row.voucher_id]));
  const sorted = (byCustomer: Record<string, string[]>) => Object.fromEntries(Object.entries(byCustomer).map(([c, ids]) => [c, [...ids].sort()]));
  expect(sorted(held)).toEqual(sorted(history.assignedVouchers));
}

describe('read models do not depend on delivery order', () => {
  it('a permuted delivery with duplicates, projected in random chunks, equals in-order delivery', async () => {
    const scenario = historyArbitrary(3, 10, 1, 0, { extras: true }).chain((history) => {
      const n = history.events.length;
      return fc.record({
        history: fc.constant(history),
        permutation: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
        duplicates: fc.array(fc.nat({ max: n - 1 }), { maxLength: n }),
        chunks: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 10 }),
      });
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ history, permutation, duplicates, chunks }) => {
        const inOrder = await ledger();
        const shuffled = await ledger();
        try {
          await deliver(inOrder.service, history, history.events.map((_, i) => i));
          await projectAll(inOrder.db.pool);

          // Duplicates land anywhere, before or after their original.
          const arrivals = [...permutation];
          duplicates.forEach((d, i) => arrivals.splice((i * 7919) % (arrivals.length + 1), 0, d));
          let offset = 0;
          for (let c = 0; offset < arrivals.length; c++) {
            const size = chunks[c % chunks.length];
            await deliver(shuffled.service, history, arrivals.slice(offset, offset + size));
            offset += size;
            await projectAll(shuffled.db.pool);
          }

          const expected = await dumpReadModels(inOrder.db.pool);
          expect(await dumpReadModels(shuffled.db.pool)).toEqual(expected);
          await expectMatchesTheModel(inOrder.db, history);
        } finally {
          await inOrder.close();
          await shuffled.close();
        }
      }),
      { numRuns: 12, endOnFailure: true },
    );
  }, 300_000);

  it('matches a hand-checked history (a late expiry lands in the middle)', async () => {
    const history = buildHistory(
      [[{ kind: 'add', amount: 100 }, { kind: 'expire', fraction: 0.5 }, { kind: 'add', amount: 30 }]],
      42,
    );
    const { db, service, close } = await ledger();
    try {
      // published, +100, +30 first; the expiry (-50) arrives last.
      await deliver(service, history, [0, 1, 3]);
      await projectAll(db.pool);
      await deliver(service, history, [2]);
      await projectAll(db.pool);
      const rows = await db.pool.query(
        `SELECT event_type, points, balance_after FROM ledger_entries ORDER BY occurred_at, seq`,
      );
      // The publication at 0 moved nothing: it is a snapshot the chain explains, not an entry.
      expect(rows.rows.map((r) => [r.event_type, +r.points, +r.balance_after])).toEqual([
        ['voucher.loyalty_card.points_added', 100, 100],
        ['voucher.loyalty_card.points_expired', -50, 50],
        ['voucher.loyalty_card.points_added', 30, 80],
      ]);
    } finally {
      await close();
    }
  });
});
