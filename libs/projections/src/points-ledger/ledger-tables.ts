import { toNullableInt } from '../sql-rows';
import { ColumnSpec, sourceTimeColumns, tableMapping } from '../table-mapping';
import type { Counters, LedgerEntry, LedgerGap } from './ledger-chain';
import type { DeletionFact, ObservationFact } from './ledger-facts';

const toInt = (value: unknown): number => Number(value);

/** One running total of an entry, in a column of its own (indexed reads need no JSON). */
function counterColumn(name: string, counter: keyof Counters): ColumnSpec<LedgerEntry> {
  return {
    name,
    type: 'bigint',
    write: (e) => e.counters[counter],
    read: (value, partial) => ({ counters: { ...(partial.counters as Counters), [counter]: toInt(value) } }),
  };
}

export const LEDGER_ENTRIES_TABLE = tableMapping<LedgerEntry>('ledger_entries', ['voucher_id', 'entry_key'], [
  { name: 'voucher_id', type: 'text', field: 'voucherId' },
  { name: 'entry_key', type: 'text', field: 'entryKey' },
  { name: 'transaction_id', type: 'text', field: 'transactionId' },
  { name: 'transaction_type', type: 'text', field: 'transactionType' },
  { name: 'unit', type: 'text', field: 'unit' },
  { name: 'kind', type: 'text', field: 'kind' },
  { name: 'points', type: 'bigint', field: 'points' },
  { name: 'stated_balance_after', type: 'bigint', field: 'statedBalanceAfter' },
  { name: 'balance_before', type: 'bigint', field: 'balanceBefore', read: toInt },
  { name: 'balance_after', type: 'bigint', field: 'balanceAfter', read: toInt },
  { name: 'gap_before', type: 'bigint', field: 'gapBefore', read: toInt },
  { name: 'occurred_at', type: 'timestamptz', field: 'occurredAt' },
  { name: 'occurred_at_untrusted', type: 'boolean', field: 'occurredAtUntrusted' },
  { name: 'due_at', type: 'timestamptz', field: 'dueAt' },
  { name: 'seq', type: 'integer', field: 'seq' },
  { name: 'reason', type: 'text', field: 'reason' },
  { name: 'related', type: 'jsonb', field: 'related' },
  { name: 'event_ids', type: 'jsonb', field: 'eventIds' },
  { name: 'event_type', type: 'text', field: 'eventType' },
  { name: 'derived', type: 'boolean', field: 'derived' },
  { name: 'campaign_id', type: 'text', field: 'campaignId' },
  counterColumn('total_after', 'total'),
  counterColumn('redeemed_after', 'redeemed'),
  counterColumn('expired_after', 'expired'),
  counterColumn('subtracted_after', 'subtracted'),
]);

export const LEDGER_OBSERVATIONS_TABLE = tableMapping<ObservationFact>('ledger_observations', ['voucher_id', 'event_id'], [
  { name: 'voucher_id', type: 'text', field: 'voucherId' },
  { name: 'event_id', type: 'text', field: 'eventId' },
  { name: 'event_type', type: 'text', field: 'eventType' },
  { name: 'campaign_id', type: 'text', field: 'campaignId' },
  ...sourceTimeColumns<ObservationFact>('observed_at'),
  { name: 'balance', type: 'bigint', field: 'balance' },
  {
    // A snapshot states no change (delta undefined); a stated change may be unreadable (null).
    name: 'stated',
    type: 'boolean',
    write: (o) => o.delta !== undefined,
    // Marks a stated change for the next column: its delta is then read, even when null.
    read: (value: unknown) => (value === true ? { delta: null } : {}),
  },
  {
    name: 'delta',
    type: 'bigint',
    write: (o) => o.delta ?? null,
    read: (value, partial) => ({ delta: partial.delta === null ? toNullableInt(value) : undefined }),
  },
  { name: 'pending_points', type: 'bigint', field: 'pendingPoints' },
  { name: 'unit', type: 'text', field: 'unit' },
  { name: 'redemption_id', type: 'text', field: 'redemptionId' },
  { name: 'pending_entry_id', type: 'text', field: 'pendingEntryId' },
]);

export const LEDGER_DELETIONS_TABLE = tableMapping<DeletionFact>('ledger_deletions', ['event_id'], [
  { name: 'event_id', type: 'text', field: 'eventId' },
  { name: 'voucher_id', type: 'text', field: 'voucherId' },
  { name: 'campaign_id', type: 'text', field: 'campaignId' },
  ...sourceTimeColumns<DeletionFact>('deleted_at'),
]);

export const LEDGER_GAPS_TABLE = tableMapping<LedgerGap>('ledger_gaps', ['voucher_id', 'entry_key'], [
  { name: 'voucher_id', type: 'text', field: 'voucherId' },
  { name: 'entry_key', type: 'text', field: 'entryKey' },
  { name: 'after_entry_key', type: 'text', field: 'afterEntryKey' },
  { name: 'points', type: 'bigint', field: 'points', read: toInt },
  { name: 'from_at', type: 'timestamptz', field: 'fromAt' },
  { name: 'to_at', type: 'timestamptz', field: 'toAt' },
  { name: 'campaign_id', type: 'text', field: 'campaignId' },
]);
