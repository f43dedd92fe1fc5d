import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.module';
import { AS_OF_COLUMNS, CARD_COLUMNS, CardAsOfRow, KNOWN_BY_THEN, LAST_ENTRY, LAST_PENDING, presentCardAsOf } from './ledger-as-of';
import type { CardAsOfDto } from './ledger.dto';

/** A card (id or code) as it stood at a source time, from the ledger; null before its first entry or pending movement. */
export class GetCardAsOfQuery extends Query<CardAsOfDto | null> {
  constructor(readonly idOrCode: string, readonly asOf: string) {
    super();
  }
}

// A card the ledger alone knows (no snapshot in loyalty_cards yet) is found by its voucher id.
const SQL = `WITH card AS (
    (SELECT voucher_id FROM loyalty_cards WHERE voucher_id = $1 OR code = $1 ORDER BY (voucher_id = $1) DESC LIMIT 1)
    UNION ALL (SELECT voucher_id FROM ledger_entries WHERE voucher_id = $1 LIMIT 1)
    LIMIT 1)
  SELECT card.voucher_id, ${CARD_COLUMNS}, ${AS_OF_COLUMNS}
  FROM card
  LEFT JOIN LATERAL (${LAST_ENTRY('card.voucher_id')}) e ON true
  LEFT JOIN LATERAL (${LAST_PENDING('card.voucher_id')}) p ON true
  LEFT JOIN loyalty_cards lc ON lc.voucher_id = card.voucher_id
  WHERE ${KNOWN_BY_THEN('card.voucher_id')}`;

@QueryHandler(GetCardAsOfQuery)
export class GetCardAsOfHandler implements IQueryHandler<GetCardAsOfQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ idOrCode, asOf }: GetCardAsOfQuery): Promise<CardAsOfDto | null> {
    const result = await this.pool.query<CardAsOfRow>({ name: 'ledger-card-as-of', text: SQL, values: [idOrCode, asOf] });
    return result.rows[0] ? presentCardAsOf(result.rows[0], asOf) : null;
  }
}
