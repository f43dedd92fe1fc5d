import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { columnNames, PENDING_MOVEMENTS_TABLE, PendingMovement } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { encodeCursor } from '../http/page-cursor';
import type { LedgerPageQuery } from './list-ledger-entries.query';
import type { PendingMovementDto, PendingMovementPageDto } from './ledger.dto';

/** A page of a card's pending movements, newest first, paged as its ledger entries are (by time and chain position). */
export class ListPendingMovementsQuery extends Query<PendingMovementPageDto> {
  constructor(readonly page: LedgerPageQuery) {
    super();
  }
}

const SQL = `SELECT ${columnNames(PENDING_MOVEMENTS_TABLE.columns)} FROM pending_point_movements
  WHERE voucher_id = $1
    AND ($2::timestamptz IS NULL OR occurred_at >= $2)
    AND ($3::timestamptz IS NULL OR occurred_at < $3 OR occurred_at IS NULL)
    AND ($5::boolean IS NOT TRUE OR (occurred_at, seq) < ($6::timestamptz, $7::int)
         OR (occurred_at IS NULL AND ($6::timestamptz IS NOT NULL OR seq < $7::int)))
  ORDER BY occurred_at DESC NULLS LAST, seq DESC
  LIMIT $4`;

export function presentPendingMovement(m: PendingMovement): PendingMovementDto {
  return {
    voucher_id: m.voucherId,
    movement: m.movement,
    entry_id: m.entryId,
    points: m.points,
    pending_before: m.pendingBefore,
    pending_after: m.pendingAfter,
    unexplained_before: m.gapBefore,
    entry_points: m.entryPoints,
    occurred_at: m.time.at,
    source_time_untrusted: m.time.untrusted,
    activates_at: m.activatesAt,
    order_id: m.orderId,
    transaction_id: m.transactionId,
    event_ids: m.eventIds,
    campaign_id: m.campaignId,
  };
}

@QueryHandler(ListPendingMovementsQuery)
export class ListPendingMovementsHandler implements IQueryHandler<ListPendingMovementsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ page }: ListPendingMovementsQuery): Promise<PendingMovementPageDto> {
    const result = await this.pool.query({
      name: 'pending-movements-page',
      text: SQL,
      // One row past the page tells whether there is a next one.
      values: [page.voucherId, page.from ?? null, page.to ?? null, page.limit + 1, page.before !== undefined, page.before?.at ?? null, page.before?.seq ?? null],
    });
    const movements = result.rows.slice(0, page.limit).map(PENDING_MOVEMENTS_TABLE.fromRow);
    const last = movements[movements.length - 1];
    return {
      data: movements.map(presentPendingMovement),
      next_cursor: result.rows.length > page.limit && last ? encodeCursor({ at: last.time.at, seq: last.seq }) : null,
    };
  }
}
