import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { LogEvent, readEvent } from '@ledger/event-store';
import {
  columnNames, holderAssignmentKeys, LEDGER_ENTRIES_TABLE, ledgerFactsOf, LOYALTY_CARDS_TABLE, loyaltyCardKeys, PROJECTION_NAMES,
  REWARD_REDEMPTIONS_TABLE, rewardRedemptionKeys, toProjectedEvent, voucherHoldingKeys,
} from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { loyaltyCardOf } from '../loyalty-cards/loyalty-card.rows';
import { presentEntry } from '../points-ledger/ledger.rows';
import type { EventEffectsDto } from './event-effects.dto';

/** What a stored event produced in the read models; null when no event has that id. */
export class GetEventEffectsQuery extends Query<EventEffectsDto | null> {
  constructor(readonly eventId: string) {
    super();
  }
}

@QueryHandler(GetEventEffectsQuery)
export class GetEventEffectsHandler implements IQueryHandler<GetEventEffectsQuery, EventEffectsDto | null> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ eventId }: GetEventEffectsQuery): Promise<EventEffectsDto | null> {
    const event = await readEvent(this.pool, eventId);
    return event ? effectsOf(this.pool, event) : null;
  }
}

/**
 * Found the way the projections found what the event touches: each read model's own keys of the
 * event (its cards, redemptions, vouchers), then, among those documents, what names this event.
 * Index probes by key only, never a scan for the event id.
 */
async function effectsOf(pool: Pool, logEvent: LogEvent): Promise<EventEffectsDto> {
  const event = toProjectedEvent(logEvent);
  const id = event.eventId;
  const facts = ledgerFactsOf(event);
  const transactionIds = facts.transactions.map((t) => t.transactionId);
  const observed = facts.observations.map((o) => o.voucherId);
  const redemptionIds = rewardRedemptionKeys(event);
  const voucherIds = voucherHoldingKeys(event);
  const holderIds = holderAssignmentKeys(event);
  const cardIds = loyaltyCardKeys(event);

  const [entries, redemptions, holdings, assignments, cards, parked, pending] = await Promise.all([
    // A transaction's entry by its id (the report kept may be another webhook's); a snapshot's
    // derived entry among its card's entries at the snapshot's time.
    pool.query(
      `SELECT ${columnNames(LEDGER_ENTRIES_TABLE.columns)} FROM ledger_entries e
       WHERE e.event_ids ? $1 AND (e.transaction_id = ANY($2::text[]) OR (e.derived AND e.voucher_id = ANY($3::text[])))
       ORDER BY e.voucher_id, e.occurred_at NULLS FIRST, e.seq`,
      [id, transactionIds, observed],
    ),
    pool.query(`SELECT ${columnNames(REWARD_REDEMPTIONS_TABLE.columns)} FROM reward_redemptions WHERE id = ANY($1::text[]) ORDER BY id`, [
      redemptionIds,
    ]),
    pool.query(
      `SELECT voucher_id, customer_id, code, acquired_event_id, snapshot_event_id FROM voucher_holdings
       WHERE voucher_id = ANY($1::text[]) AND $2 IN (acquired_event_id, snapshot_event_id) ORDER BY voucher_id`,
      [voucherIds, id],
    ),
    pool.query(
      `SELECT holder_id, voucher_id, customer_id, holder_role, assigned_event_id, removed_event_id FROM voucher_holder_assignments
       WHERE holder_id = ANY($1::text[]) AND $2 IN (assigned_event_id, removed_event_id) ORDER BY holder_id`,
      [holderIds, id],
    ),
    pool.query(`SELECT ${columnNames(LOYALTY_CARDS_TABLE.columns)} FROM loyalty_cards WHERE voucher_id = ANY($1::text[]) AND last_event_id = $2`, [
      cardIds,
      id,
    ]),
    pool.query(`SELECT projection, error, parked_at FROM projection_dead_letters WHERE event_id = $1 ORDER BY projection`, [id]),
    // Projections whose checkpoint has not reached the event yet: what they will produce is not shown.
    pool.query(
      `SELECT projection FROM projection_checkpoints
       WHERE projection = ANY($1::text[]) AND (transaction_id, position) < ($2::xid8, $3::bigint) ORDER BY projection`,
      [PROJECTION_NAMES, logEvent.transactionId, logEvent.position],
    ),
  ]);

  return {
    event_id: id,
    ledger_entries: entries.rows.map((row) => presentEntry(LEDGER_ENTRIES_TABLE.fromRow(row))),
    redemption_transitions: redemptions.rows.flatMap((row) => {
      const redemption = REWARD_REDEMPTIONS_TABLE.fromRow(row);
      return redemption.transitions
        .filter((t) => t.event_id === id)
        .map((t) => ({ reward_redemption_id: redemption.id, state_now: redemption.state, ...t }));
    }),
    holdings: [
      ...holdings.rows.map((h) => ({
        voucher_id: h.voucher_id,
        customer_id: h.customer_id,
        code: h.code,
        // acquired: this event gave the voucher to its holder; snapshot: its fields as shown are this event's.
        role: h.acquired_event_id === id ? 'acquired' : 'snapshot',
        holder_role: null,
      })),
      ...assignments.rows.map((a) => ({
        voucher_id: a.voucher_id,
        customer_id: a.customer_id,
        code: null,
        role: a.assigned_event_id === id ? 'assigned' : 'removed',
        holder_role: a.holder_role,
      })),
    ],
    cards_in_force: cards.rows.map((row) => loyaltyCardOf(row)),
    parked: parked.rows.map((p) => ({ projection: p.projection, error: p.error, parked_at: new Date(p.parked_at).toISOString() })),
    pending_projections: pending.rows.map((p) => p.projection as string),
  };
}
