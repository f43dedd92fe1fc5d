import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { PENDING_MOVEMENTS_TABLE, PendingMovement } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { cardChainPage, CardChainPageQuery } from './card-chain-page';
import type { PendingMovementDto, PendingMovementPageDto } from './ledger.dto';

/** A page of a card's pending movements, newest first, paged as its ledger entries are (by time and chain position). */
export class ListPendingMovementsQuery extends Query<PendingMovementPageDto> {
  constructor(readonly page: CardChainPageQuery) {
    super();
  }
}

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
    const { rows, nextCursor } = await cardChainPage(this.pool, PENDING_MOVEMENTS_TABLE, (m) => m.time.at, page);
    return { data: rows.map(presentPendingMovement), next_cursor: nextCursor };
  }
}
