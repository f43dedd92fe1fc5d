import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.module';
import { ISSUING_KINDS, revenuePositions } from './deferred-revenue';
import type { RedemptionTriangleDto, TriangleRowDto } from './deferred-revenue.dto';
import { monthIndex, monthName, monthOf, monthStart } from './months';

/*
 * How the points issued in each month were spent and expired since: the measured side of the
 * expected redemption share. The ledger does not say which earned points a redemption spent, so
 * each card's spending and expiries take its oldest points first (first in, first out, as
 * Voucherify's buckets expire oldest first). Points a card got otherwise (a transfer in, a refund)
 * are taken in their turn but belong to no issue month.
 */


/** Cards read per statement: each card's entries are folded whole, in order. */
const CARDS_PER_READ = 500;

interface EntryRow {
  voucher_id: string;
  kind: string;
  points: string;
  at: Date | null;
}

interface Lot {
  month: number | null;
  remaining: number;
}

/** Per issue month: points issued, and per later month the points of it redeemed and expired then. */
interface Tally {
  issued: number;
  redeemed: Map<number, number>;
  expired: Map<number, number>;
}

export class TriangleRangeError extends Error {}

export class GetRedemptionTriangleQuery extends Query<RedemptionTriangleDto> {
  constructor(
    readonly campaignId: string,
    readonly range: { from?: string; to?: string; now: Date },
  ) {
    super();
  }
}

@QueryHandler(GetRedemptionTriangleQuery)
export class GetRedemptionTriangleHandler implements IQueryHandler<GetRedemptionTriangleQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  execute({ campaignId, range }: GetRedemptionTriangleQuery): Promise<RedemptionTriangleDto> {
    return redemptionTriangle(this.pool, campaignId, range);
  }
}

async function redemptionTriangle(pool: Pool, campaignId: string, range: { from?: string; to?: string; now: Date }): Promise<RedemptionTriangleDto> {
  const to = range.to ? monthIndex(range.to) : monthOf(range.now.toISOString());
  const from = range.from ? monthIndex(range.from) : to - 11;
  if (from > to) throw new TriangleRangeError('from must not be after to');
  if (to - from > 35) throw new TriangleRangeError('a triangle spans at most 36 months');
  const end = monthStart(to + 1);
  const tallies = new Map<number, Tally>();
  for (let m = from; m <= to; m++) tallies.set(m, { issued: 0, redeemed: new Map(), expired: new Map() });

  // The campaign's cards once (one pass), then their entries a slice at a time, each card whole and in order.
  const { rows: cards } = await pool.query<{ voucher_id: string }>({
    name: 'ledger-triangle-cards',
    text: `SELECT DISTINCT voucher_id FROM ledger_entries WHERE campaign_id = $1 AND unit = 'points' ORDER BY voucher_id`,
    values: [campaignId],
  });
  for (let i = 0; i < cards.length; i += CARDS_PER_READ) {
    const { rows } = await pool.query<EntryRow>({
      name: 'ledger-triangle-entries',
      // An expiry counts in the month its points were due (the bucket's date), not when the job ran:
      // one due before the end counts even when the job booked it after.
      text: `SELECT voucher_id, kind, points::text, CASE WHEN kind = 'expired' THEN COALESCE(due_at, occurred_at) ELSE occurred_at END AS at
             FROM ledger_entries WHERE voucher_id = ANY($1::text[]) AND unit = 'points'
               AND (occurred_at < $2 OR occurred_at IS NULL OR (kind = 'expired' AND due_at < $2))
             ORDER BY voucher_id, occurred_at NULLS FIRST, seq`,
      values: [cards.slice(i, i + CARDS_PER_READ).map((c) => c.voucher_id), end],
    });
    let lots: Lot[] = [];
    let card = '';
    for (const row of rows) {
      if (row.voucher_id !== card) [card, lots] = [row.voucher_id, []];
      fold(lots, row, tallies);
    }
  }

  const rows: TriangleRowDto[] = [...tallies.entries()].map(([month, tally]) => {
    let redeemed = 0;
    let expired = 0;
    const cells = [];
    for (let k = month; k <= to; k++) {
      redeemed += tally.redeemed.get(k) ?? 0;
      expired += tally.expired.get(k) ?? 0;
      cells.push({ month: monthName(k), redeemed_share: share(redeemed, tally.issued), expired_share: share(expired, tally.issued) });
    }
    return { issue_month: monthName(month), points_issued: tally.issued, cells };
  });
  const estimate = (await revenuePositions(pool, [campaignId], [end])).get(campaignId)?.get(end)?.position ?? null;
  return { campaign_id: campaignId, from: monthName(from), to: monthName(to), estimate, rows };
}

const share = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1e4) / 1e4);

function fold(lots: Lot[], row: EntryRow, tallies: Map<number, Tally>): void {
  const points = Number(row.points);
  const month = row.at === null ? null : monthOf(row.at.toISOString());
  if (points > 0) {
    const issuing = ISSUING_KINDS.includes(row.kind) && month !== null && tallies.has(month);
    if (issuing) tallies.get(month!)!.issued += points;
    lots.push({ month: issuing ? month : null, remaining: points });
    return;
  }
  let owed = -points;
  while (owed > 0 && lots.length > 0) {
    const lot = lots[0];
    const taken = Math.min(owed, lot.remaining);
    if (lot.month !== null && month !== null && (row.kind === 'redeemed' || row.kind === 'expired')) {
      const per = row.kind === 'redeemed' ? tallies.get(lot.month)!.redeemed : tallies.get(lot.month)!.expired;
      per.set(month, (per.get(month) ?? 0) + taken);
    }
    lot.remaining -= taken;
    owed -= taken;
    if (lot.remaining === 0) lots.shift();
  }
}
