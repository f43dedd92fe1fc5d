import type { ProjectedEvent } from '../projected-event';
import type { KeyedReadModel } from '../read-model';
import { obj, str, time } from '@ledger/voucherify';
import { tableMapping } from '../table-mapping';

/**
 * Closed months. Closing a month keeps its period report as it stood (both expiry bases), with the
 * log position and chain head it was computed at; what arrives later with a time inside it is
 * booked in the first open month as a prior-period adjustment. Reopening gives the month back to
 * the live figures. Both are operator events in the log, so a replay rebuilds the same closings.
 */
export const PERIOD_CLOSED = 'ledger.period.closed';
export const PERIOD_REOPENED = 'ledger.period.reopened';

/** A calendar month in UTC, as the closings name them. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

export interface ClosedPeriod {
  month: string;
  status: 'closed' | 'reopened';
  closedAt: string | null;
  closedEventId: string;
  /** The projections had applied the log up to here when the reports were computed. */
  logPosition: number;
  /** The chain head then ({seq, position, hash}), or null for an empty chain. */
  chainHead: unknown;
  /** The period report as it stood, one per expiry basis: `{booked, due}`. */
  reports: unknown;
  reopenedAt: string | null;
  reopenedEventId: string | null;
  reopenReason: string | null;
}

export const CLOSED_PERIODS_TABLE = tableMapping<ClosedPeriod>('closed_periods', ['month'], [
  { name: 'month', type: 'text', field: 'month' },
  { name: 'status', type: 'text', field: 'status' },
  { name: 'closed_at', type: 'timestamptz', field: 'closedAt' },
  { name: 'closed_event_id', type: 'text', field: 'closedEventId' },
  { name: 'log_position', type: 'bigint', field: 'logPosition' },
  { name: 'chain_head', type: 'jsonb', field: 'chainHead' },
  { name: 'reports', type: 'jsonb', field: 'reports' },
  { name: 'reopened_at', type: 'timestamptz', field: 'reopenedAt' },
  { name: 'reopened_event_id', type: 'text', field: 'reopenedEventId' },
  { name: 'reopen_reason', type: 'text', field: 'reopenReason' },
]);

type PeriodFacts =
  | { kind: 'closed'; month: string; at: string | null; eventId: string; logPosition: number; chainHead: unknown; reports: Record<string, unknown> }
  | { kind: 'reopened'; month: string; at: string | null; eventId: string; reason: string | null };

/** What a closing or reopening says; only an operator's, and only well formed (a replay trusts no input). */
export function periodFactsOf(event: ProjectedEvent): PeriodFacts | undefined {
  if (event.signatureStatus !== 'operator' || (event.type !== PERIOD_CLOSED && event.type !== PERIOD_REOPENED)) return undefined;
  const data = obj(event.data) ?? {};
  const month = str(data.month);
  if (!month || !MONTH_PATTERN.test(month)) return undefined;
  const at = time(event.occurredAt) ?? null;
  if (event.type === PERIOD_REOPENED) return { kind: 'reopened', month, at, eventId: event.eventId, reason: str(data.reason) ?? null };
  const reports = obj(data.reports);
  const position = data.log_position;
  if (!reports || !obj(reports.booked) || !obj(reports.due) || typeof position !== 'number' || !Number.isSafeInteger(position) || position < 0) return undefined;
  return { kind: 'closed', month, at, eventId: event.eventId, logPosition: position, chainHead: obj(data.chain_head) ?? null, reports };
}

/**
 * Pure: a month's closing after one event, in the log's order. A reopening undoes the closing
 * before it; a closing of a closed month changes nothing (two closings at once: the first stored
 * wins); a closing after a reopening keeps the figures of then.
 */
export function evolveClosedPeriod(state: ClosedPeriod | undefined, facts: PeriodFacts | undefined): ClosedPeriod | undefined {
  if (!facts) return state;
  if (facts.kind === 'reopened') {
    if (!state || state.status !== 'closed') return state;
    return { ...state, status: 'reopened', reopenedAt: facts.at, reopenedEventId: facts.eventId, reopenReason: facts.reason };
  }
  if (state?.status === 'closed') return state;
  return {
    month: facts.month,
    status: 'closed',
    closedAt: facts.at,
    closedEventId: facts.eventId,
    logPosition: facts.logPosition,
    chainHead: facts.chainHead,
    reports: facts.reports,
    reopenedAt: null,
    reopenedEventId: null,
    reopenReason: null,
  };
}

export const closedPeriodsReadModel: KeyedReadModel<ClosedPeriod, PeriodFacts> = {
  name: 'closed_periods',
  tables: ['closed_periods'],
  read: (event) => {
    const facts = periodFactsOf(event);
    return facts ? { event, keys: [facts.month], facts } : null;
  },
  evolve: (state, { facts }) => evolveClosedPeriod(state, facts),
  async load(client, keys) {
    const rows = await CLOSED_PERIODS_TABLE.selectByKeys(client, 'month', keys);
    return new Map(rows.map((r) => [r.month, r]));
  },
  save: (client, changed) => CLOSED_PERIODS_TABLE.upsert(client, changed.values()),
};
