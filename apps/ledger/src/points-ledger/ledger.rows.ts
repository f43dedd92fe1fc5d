import { columnNames, LEDGER_GAPS_TABLE } from '@ledger/projections';
import type { LedgerEntry, LedgerGap } from '@ledger/projections';
import type { LedgerEntryDto, LedgerGapDto } from './ledger.dto';

/* The ledger's entries and gaps as the API answers them (snake_case, like Voucherify), wherever they are listed. */

/** A ledger entry: a card's ledger page, and what an event produced (event-effects/). */
export function presentEntry(e: LedgerEntry): LedgerEntryDto {
  return {
    voucher_id: e.voucherId,
    transaction_id: e.transactionId,
    transaction_type: e.transactionType,
    kind: e.kind,
    unit: e.unit,
    points: e.points,
    // Null points: the payload's figure was not a safe integer; the chain went on without it.
    points_unreadable: e.points === null,
    // An entry whose figure could not be read moved nothing it can show: its balances are unknown
    // (the chain goes on from the last known balance).
    balance_before: e.points === null ? null : e.balanceBefore,
    balance_after: e.points === null ? null : e.balanceAfter,
    // Points no entry explains just before this one: a webhook is missing (see the card's gaps).
    unexplained_before: e.gapBefore,
    occurred_at: e.occurredAt,
    due_at: e.dueAt,
    source_time_untrusted: e.occurredAtUntrusted,
    reason: e.reason,
    related: e.related,
    event_ids: e.eventIds,
    derived: e.derived,
    campaign_id: e.campaignId,
  };
}

/** A card's gaps and every card's gaps: the same rows. */
export const GAP_COLUMNS = columnNames(LEDGER_GAPS_TABLE.columns);

export function presentGap(g: LedgerGap): LedgerGapDto {
  return {
    voucher_id: g.voucherId,
    campaign_id: g.campaignId,
    points: g.points,
    after_entry: g.afterEntryKey,
    before_entry: g.entryKey,
    from: g.fromAt,
    to: g.toAt,
  };
}
