import { cardVoucher, projectedEvent } from '../test-events';
import { evolveLedger, CardLedger, MAX_EVENT_IDS } from './ledger.read-model';
import type { ProjectedEvent } from '../projected-event';

/** A Voucherify loyalty transaction as data.transaction carries it (docs/voucherify.md, section 8). */
function transaction(id: string, type: string, points: number, balance: number, createdAt: string, extra: Record<string, any> = {}) {
  return {
    id,
    type,
    voucher_id: 'v_card',
    campaign_id: 'camp_1',
    source_id: null,
    reason: null,
    created_at: createdAt,
    details: { balance: { type: 'loyalty_card', points, total: Math.max(balance, 0), balance, related_object: { id: 'v_card', type: 'voucher' } }, ...extra },
  };
}

const txEvent = (type: string, tx: ReturnType<typeof transaction>, eventId?: string) =>
  projectedEvent(type, { transaction: tx, voucher: cardVoucher('2024-01-01T00:00:00.000Z', 0, 0) }, tx.created_at, eventId);

function fold(events: ProjectedEvent[]): CardLedger {
  let state: CardLedger | undefined;
  for (const e of events) state = evolveLedger(state, e, 'v_card');
  return state!;
}

const summary = (ledger: CardLedger) =>
  ledger.entries.map((e) => [e.entryKey, e.points, e.balanceBefore, e.balanceAfter, e.derived, e.gapBefore]);

describe('the points ledger', () => {
  const t1 = transaction('vtx_1', 'POINTS_ACCRUAL', 100, 100, '2024-02-01T10:00:00.000Z', { earning_rule: { id: 'ern_1' }, order: { id: 'ord_1' } });
  const t2 = transaction('vtx_2', 'POINTS_ADDITION', 50, 150, '2024-02-02T10:00:00.000Z');
  const t3 = transaction('vtx_3', 'POINTS_EXPIRATION', -30, 120, '2024-02-03T10:00:00.000Z');

  it('keeps one entry per transaction, whichever webhooks report it, with every event id', () => {
    const ledger = fold([
      txEvent('voucher.loyalty_card.transaction.created', t1, 'ev_a'),
      txEvent('voucher.loyalty_card.points_added', t1, 'ev_b'),
      txEvent('voucher.loyalty_card.points_added', t1, 'ev_c'), // a distribution twin, folded to the same type
    ]);
    expect(summary(ledger)).toEqual([['vtx_1', 100, 0, 100, false, 0]]);
    expect(ledger.entries[0]).toMatchObject({
      eventIds: ['ev_a', 'ev_b', 'ev_c'],
      transactionType: 'POINTS_ACCRUAL',
      kind: 'accrued',
      related: { order_id: 'ord_1', earning_rule_id: 'ern_1' },
      reason: 'earning rule: ern_1',
    });
  });

  it('is the same whatever the arrival order', () => {
    const events = [txEvent('a', t1, 'ev_1'), txEvent('b', t2, 'ev_2'), txEvent('c', t3, 'ev_3'), txEvent('d', t2, 'ev_4')];
    const inOrder = fold(events);
    const reversed = fold([...events].reverse());
    expect(summary(reversed)).toEqual(summary(inOrder));
    expect(summary(inOrder)).toEqual([
      ['vtx_1', 100, 0, 100, false, 0],
      ['vtx_2', 50, 100, 150, false, 0],
      ['vtx_3', -30, 150, 120, false, 0],
    ]);
    expect(inOrder.entries[2].counters).toEqual({ total: 150, redeemed: 0, expired: 30, subtracted: 0 });
  });

  it('opens a gap where a transaction is missing, and closes it when the transaction arrives', () => {
    const withGap = fold([txEvent('a', t1, 'ev_1'), txEvent('c', t3, 'ev_3')]);
    expect(withGap.gaps).toEqual([
      { voucherId: 'v_card', entryKey: 'vtx_3', afterEntryKey: 'vtx_1', points: 50, fromAt: t1.created_at, toAt: t3.created_at, campaignId: 'camp_1' },
    ]);
    const closed = evolveLedger(withGap, txEvent('b', t2, 'ev_2'), 'v_card');
    expect(closed.gaps).toEqual([]);
    expect(summary(closed)).toEqual(summary(fold([txEvent('a', t1), txEvent('b', t2), txEvent('c', t3)])));
  });

  it('turns a snapshot that moved with no transaction into a derived entry, which gives way to the transaction', () => {
    const snapshot = (balance: number, at: string, id: string) =>
      projectedEvent('customer.reward_redemptions.completed', { voucher: cardVoucher(at, 150, balance) }, at, id);
    const ledger = fold([txEvent('a', t1, 'ev_1'), snapshot(150, '2024-02-02T12:00:00.000Z', 'ev_s')]);
    expect(summary(ledger)).toEqual([
      ['vtx_1', 100, 0, 100, false, 0],
      ['derived:ev_s', 50, 100, 150, true, 0],
    ]);
    // The transaction that explains the change arrives late: the derived entry goes, nothing counts twice.
    const explained = evolveLedger(ledger, txEvent('b', t2, 'ev_2'), 'v_card');
    expect(summary(explained)).toEqual([
      ['vtx_1', 100, 0, 100, false, 0],
      ['vtx_2', 50, 100, 150, false, 0],
    ]);
  });

  it('orders a snapshot and a transaction of the same time by the balance chain, not by event id', () => {
    const at = '2024-03-01T00:00:00.000Z';
    const published = projectedEvent('voucher.published', { voucher: cardVoucher(at, 0, 0) }, at, 'ev_zzz');
    const rewarded = txEvent('voucher.loyalty_card.points_added', transaction('vtx_9', 'POINTS_ADDITION', 900, 900, at), 'ev_aaa');
    for (const events of [[published, rewarded], [rewarded, published]]) {
      expect(summary(fold(events))).toEqual([['vtx_9', 900, 0, 900, false, 0]]);
    }
  });

  it('reads a stated change without a transaction (customer.rewarded.loyalty_points) as a derived entry of that change', () => {
    const at = '2024-03-01T00:00:00.000Z';
    const rewarded = projectedEvent(
      'customer.rewarded.loyalty_points',
      { voucher: cardVoucher(at, 0, 0), balance: { type: 'loyalty_card', points: 900, total: 900, balance: 900, related_object: { id: 'v_card' } } },
      at,
      'ev_r',
    );
    const ledger = fold([rewarded]);
    expect(summary(ledger)).toEqual([['derived:ev_r', 900, 0, 900, true, 0]]);
    expect(ledger.entries[0].kind).toBe('added');
  });

  it('keeps gift-card credits as entries in credits', () => {
    const credit = transaction('vtx_g', 'CREDITS_ADDITION', 0, 5000, '2024-02-01T00:00:00.000Z');
    (credit.details.balance as any) = { type: 'gift_voucher', amount: 5000, balance: 5000 };
    const ledger = fold([txEvent('voucher.gift.transaction.created', credit)]);
    expect(ledger.entries[0]).toMatchObject({ unit: 'credits', points: 5000, balanceAfter: 5000, kind: 'added' });
  });

  it('keeps an unreadable transaction visible without moving the chain', () => {
    const bad = transaction('vtx_bad', 'POINTS_ADDITION', 0, 0, '2024-02-01T12:00:00.000Z');
    (bad.details.balance as any).points = 3.7;
    const ledger = fold([txEvent('a', t1), txEvent('x', bad), txEvent('b', t2)]);
    expect(summary(ledger)).toEqual([
      ['vtx_1', 100, 0, 100, false, 0],
      ['vtx_bad', null, 100, 100, false, 0],
      ['vtx_2', 50, 100, 150, false, 0],
    ]);
  });
});

describe('the points ledger: an entry a sender cannot grow without bound', () => {
  it('names at most MAX_EVENT_IDS reports of one transaction, the same ones in any order', () => {
    const tx = transaction('vtx_many', 'POINTS_ADDITION', 5, 5, '2024-04-01T00:00:00.000Z');
    const events = Array.from({ length: MAX_EVENT_IDS + 30 }, (_, i) => txEvent('voucher.loyalty_card.points_added', tx, `ev_r${String(i).padStart(4, '0')}`));
    const inOrder = fold(events);
    const reversed = fold([...events].reverse());
    expect(inOrder.entries[0].eventIds).toHaveLength(MAX_EVENT_IDS);
    expect(reversed.entries).toEqual(inOrder.entries);
    expect(inOrder.entries[0].eventIds[MAX_EVENT_IDS - 1]).toBe(`ev_r${String(MAX_EVENT_IDS - 1).padStart(4, '0')}`);
    // A further report changes nothing: no rewrite of the card.
    expect(evolveLedger(inOrder, txEvent('x', tx, 'ev_r9999'), 'v_card')).toBe(inOrder);
  });

  describe('a reward paid in points (customer.rewarded, as the official example: card 900 → 850, redemption.amount 50, balance null)', () => {
    const at = '2024-01-18T15:27:56.228Z';
    const given = projectedEvent(
      'customer.rewarded.loyalty_points',
      { voucher: cardVoucher('2024-01-18T15:19:26.595Z', 900, 900), balance: { type: 'loyalty_card', points: 900, total: 900, balance: 900, related_object: { id: 'v_card', type: 'voucher' } } },
      '2024-01-18T15:19:26.595Z',
      'ev_given',
    );
    const rewarded = projectedEvent(
      'customer.rewarded',
      { voucher: cardVoucher(at, 900, 850), balance: null, redemption: { id: 'r_reward', amount: 50, voucher: { id: 'v_card' } } },
      at,
      'ev_rewarded',
    );
    // Voucherify's own transaction for the payment, dated a moment later than the card snapshot.
    const payment = transaction('vtx_pay', 'POINTS_REDEMPTION', -50, 850, '2024-01-18T15:27:56.300Z', { redemption: { id: 'r_reward' } });

    it('books +900 added and −50 redeemed (not "other")', () => {
      const ledger = fold([given, rewarded]);
      expect(ledger.entries.map((e) => [e.kind, e.points, e.balanceAfter, e.gapBefore])).toEqual([
        ['added', 900, 900, 0],
        ['redeemed', -50, 850, 0],
      ]);
      expect(ledger.entries[1].related).toEqual({ redemption_id: 'r_reward' });
    });

    it('stays one entry, the transaction, when the POINTS_REDEMPTION of the same redemption arrives too, in any order', () => {
      const events = [given, rewarded, txEvent('voucher.loyalty_card.transaction.created', payment, 'ev_payment')];
      for (const order of [events, [...events].reverse(), [events[2], events[0], events[1]]]) {
        expect(fold(order).entries.map((e) => [e.entryKey, e.kind, e.points, e.balanceAfter, e.gapBefore])).toEqual([
          ['derived:ev_given', 'added', 900, 900, 0],
          ['vtx_pay', 'redeemed', -50, 850, 0],
        ]);
      }
    });
  });

  it("says why in the earning rule's name (source.banner) and keeps the order and the custom event behind an accrual", () => {
    const accrual = transaction('vtx_rule', 'POINTS_ACCRUAL', 30, 30, '2024-03-01T10:00:00.000Z', {
      earning_rule: { id: 'ern_1', source: { banner: 'Order paid: 1 point per euro', object_id: 'ern_1' } },
      order: { id: 'ord_9' },
      event: { id: 'evcus_1', type: 'customer_event' },
    });
    const entry = fold([txEvent('voucher.loyalty_card.transaction.created', accrual)]).entries[0];
    expect(entry.reason).toBe('earning rule: Order paid: 1 point per euro');
    expect(entry.related).toEqual({ earning_rule_id: 'ern_1', order_id: 'ord_9', event_id: 'evcus_1' });
  });

  describe('a deleted card or campaign: its balance is written off at the deletion, and nothing brings it back', () => {
    const accrual = transaction('vtx_d1', 'POINTS_ACCRUAL', 100, 100, '2024-04-01T10:00:00.000Z');
    const late = transaction('vtx_d2', 'POINTS_ADDITION', 50, 150, '2024-04-02T10:00:00.000Z');
    const after = transaction('vtx_d3', 'POINTS_ADDITION', 30, 180, '2024-04-05T10:00:00.000Z');
    const deletedCard = projectedEvent('voucher.deleted', { voucher: cardVoucher('2024-04-03T10:00:00.000Z', 100, 100) }, '2024-04-03T10:00:00.000Z', 'ev_deleted');
    const deletedCampaign = projectedEvent('campaign.deleted', { campaign: { id: 'camp_1', name: 'Loyalty', deleted_at: '2024-04-03T10:00:00.000Z' } }, '2024-04-03T10:00:00.000Z', 'ev_camp_deleted');
    const rows = (ledger: CardLedger) => ledger.entries.map((e) => [e.entryKey, e.kind, e.points, e.balanceAfter]);

    it('writes the balance the card held then off, at the deletion', () => {
      const ledger = fold([txEvent('a', accrual, 'ev_a'), deletedCard]);
      expect(rows(ledger)).toEqual([
        ['vtx_d1', 'accrued', 100, 100],
        ['deleted:ev_deleted', 'written_off', -100, 0],
      ]);
      expect(ledger.entries[1]).toMatchObject({ derived: true, occurredAt: '2024-04-03T10:00:00.000Z', transactionId: null });
    });

    it('writes off what a late transaction dated before the deletion adds, in any arrival order', () => {
      // The card as Voucherify deleted it shows the late transaction's points too.
      const deletedAt150 = projectedEvent('voucher.deleted', { voucher: cardVoucher('2024-04-03T10:00:00.000Z', 150, 150) }, '2024-04-03T10:00:00.000Z', 'ev_deleted');
      const events = [txEvent('a', accrual, 'ev_a'), deletedAt150, txEvent('b', late, 'ev_b')];
      for (const order of [events, [...events].reverse(), [events[1], events[0], events[2]]]) {
        expect(rows(fold(order))).toEqual([
          ['vtx_d1', 'accrued', 100, 100],
          ['vtx_d2', 'added', 50, 150],
          ['deleted:ev_deleted', 'written_off', -150, 0],
        ]);
      }
    });

    it('keeps and shows a transaction dated after the deletion, and writes it off at once', () => {
      expect(rows(fold([txEvent('a', accrual, 'ev_a'), deletedCard, txEvent('c', after, 'ev_c')]))).toEqual([
        ['vtx_d1', 'accrued', 100, 100],
        ['deleted:ev_deleted', 'written_off', -100, 0],
        ['vtx_d3', 'added', 30, 30],
        ['written_off:vtx_d3', 'written_off', -30, 0],
      ]);
    });

    it("writes a card off when its campaign is deleted, and keeps the earliest of two deletions", () => {
      expect(rows(fold([txEvent('a', accrual, 'ev_a'), deletedCampaign]))).toEqual([
        ['vtx_d1', 'accrued', 100, 100],
        ['deleted:ev_camp_deleted', 'written_off', -100, 0],
      ]);
      const earlierCard = projectedEvent('voucher.deleted', { voucher: cardVoucher('2024-04-01T12:00:00.000Z', 100, 100) }, '2024-04-01T12:00:00.000Z', 'ev_deleted_early');
      for (const order of [[deletedCampaign, earlierCard], [earlierCard, deletedCampaign]]) {
        expect(rows(fold([txEvent('a', accrual, 'ev_a'), ...order]))).toEqual([
          ['vtx_d1', 'accrued', 100, 100],
          ['deleted:ev_deleted_early', 'written_off', -100, 0],
        ]);
      }
    });
  });

  it("keeps an expiry's due date from its buckets whichever report is kept, and never one after the expiry itself", () => {
    const expiry = transaction('vtx_due', 'POINTS_EXPIRATION', -30, 70, '2024-06-01T00:02:00.000Z');
    const plain = txEvent('voucher.loyalty_card.transaction.created', expiry, 'ev_a_plain');
    const withBuckets = (expiresAt: string, eventId: string) =>
      projectedEvent('voucher.loyalty_card.points_expired', { transaction: expiry, buckets: [{ expires_at: '2024-05-30' }, { expires_at: expiresAt }] }, expiry.created_at, eventId);
    for (const order of [[plain, withBuckets('2024-05-31', 'ev_b_buckets')], [withBuckets('2024-05-31', 'ev_b_buckets'), plain]]) {
      expect(fold(order).entries[0]).toMatchObject({ eventIds: ['ev_a_plain', 'ev_b_buckets'], dueAt: '2024-05-31T00:00:00.000Z' });
    }
    // A bucket due after the points were taken off cannot be: the due date is left out.
    expect(fold([withBuckets('9999-12-31', 'ev_future')]).entries[0].dueAt).toBeNull();
  });
});

describe('a reward paid in points reported twice without its transaction', () => {
  it('is one redeemed change', () => {
    const rewarded = (eventId: string) =>
      projectedEvent('customer.rewarded', { voucher: cardVoucher('2024-05-03T10:00:00.000Z', 100, 50), balance: null, redemption: { id: 'r_twice', amount: 50, voucher: { id: 'v_card' } } }, '2024-05-03T10:00:00.000Z', eventId);
    const ledger = [rewarded('ev_r2'), rewarded('ev_r1')].reduce((state, e) => evolveLedger(state, e, 'v_card'), undefined as ReturnType<typeof evolveLedger> | undefined);
    expect(ledger!.entries.map((e) => [e.kind, e.points, e.eventIds])).toEqual([['redeemed', -50, ['ev_r1']]]);
  });
});
