import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { RESOLVED_CUSTOMER } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { AS_OF_COLUMNS, CARD_COLUMNS, CardAsOfRow, KNOWN_BY_THEN, LAST_ENTRY, LAST_PENDING, presentCardAsOf } from '../points-ledger/ledger-as-of';
import type { CardAsOfDto } from '../points-ledger/ledger.dto';

/** The customer's cards that had ledger entries at a source time, as they stood then; null when never seen. */
export class ListCardsAsOfQuery extends Query<CardAsOfDto[] | null> {
  constructor(readonly idOrSourceId: string, readonly asOf: string) {
    super();
  }
}

// The LEFT JOIN keeps one row (of nulls) for a known customer without such cards: no row means unknown.
const SQL = `WITH ${RESOLVED_CUSTOMER}
  SELECT customer.resolved_id, x.* FROM customer LEFT JOIN LATERAL (
    SELECT lc.voucher_id, ${CARD_COLUMNS}, ${AS_OF_COLUMNS}
    FROM loyalty_cards lc
    LEFT JOIN LATERAL (${LAST_ENTRY('lc.voucher_id')}) e ON true
    LEFT JOIN LATERAL (${LAST_PENDING('lc.voucher_id')}) p ON true
    WHERE lc.customer_id = customer.resolved_id AND ${KNOWN_BY_THEN('lc.voucher_id')}) x ON true
  ORDER BY x.code, x.voucher_id`;

@QueryHandler(ListCardsAsOfQuery)
export class ListCardsAsOfHandler implements IQueryHandler<ListCardsAsOfQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ idOrSourceId, asOf }: ListCardsAsOfQuery): Promise<CardAsOfDto[] | null> {
    const result = await this.pool.query<CardAsOfRow & { resolved_id: string }>({
      name: 'ledger-customer-cards-as-of',
      text: SQL,
      values: [idOrSourceId, asOf],
    });
    if (result.rows.length === 0) return null;
    return result.rows.filter((r) => r.voucher_id !== null).map((r) => presentCardAsOf(r, asOf));
  }
}
