import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.module';
import type { LoyaltyCardDto } from '../points-ledger/ledger.dto';
import { CARD_COLUMNS, loyaltyCardOf } from './loyalty-card.rows';

/** A card by voucher id or code, at its newest snapshot, with its status; null when unknown. */
export class GetLoyaltyCardQuery extends Query<LoyaltyCardDto | null> {
  constructor(readonly idOrCode: string) {
    super();
  }
}

// The id first when both match: one card's code may be another card's id.
// An id first; a code answers its live card, since Voucherify may give a deleted card's code to a
// new one: then the newest deleted card, then the smallest id.
const FIND_CARD = `SELECT ${CARD_COLUMNS} FROM loyalty_cards WHERE voucher_id = $1 OR code = $1
  ORDER BY (voucher_id = $1) DESC, deleted ASC, updated_at DESC NULLS LAST, voucher_id LIMIT 1`;

@QueryHandler(GetLoyaltyCardQuery)
export class GetLoyaltyCardHandler implements IQueryHandler<GetLoyaltyCardQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ idOrCode }: GetLoyaltyCardQuery): Promise<LoyaltyCardDto | null> {
    const { rows } = await this.pool.query({ name: 'find-loyalty-card', text: FIND_CARD, values: [idOrCode] });
    return rows[0] ? loyaltyCardOf(rows[0]) : null;
  }
}
