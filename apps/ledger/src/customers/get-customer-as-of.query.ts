import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { RESOLVED_CUSTOMER } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { AS_OF_COLUMNS, AsOfAmounts, DELETED_BY_THEN, KNOWN_BY_THEN, LAST_ENTRY, LAST_PENDING } from '../points-ledger/ledger-as-of';
import type { CustomerDto } from './customer.dto';

/**
 * A customer with totals over their cards as they stood at a source time (zeros before their first
 * entry); null when never seen. Cards deleted by then are left out, as the current totals leave
 * out deleted cards. The profile is the current one: the ledger keeps points, not profiles, over time.
 */
export class GetCustomerAsOfQuery extends Query<CustomerDto | null> {
  constructor(readonly idOrSourceId: string, readonly asOf: string) {
    super();
  }
}

/** The profile, repeated on each row of a card's last entry by then (one row of nulls without cards). */
const SQL = `WITH ${RESOLVED_CUSTOMER}
  SELECT customer.resolved_id AS id, c.source_id, c.name, c.email, c.metadata, COALESCE(c.deleted, false) AS deleted,
         COALESCE(c.source_time_untrusted, false) AS source_time_untrusted, x.*
  FROM customer
  LEFT JOIN customers c ON c.id = customer.resolved_id
  LEFT JOIN LATERAL (
    SELECT lc.voucher_id, ${AS_OF_COLUMNS}
    FROM loyalty_cards lc
    LEFT JOIN LATERAL (${LAST_ENTRY('lc.voucher_id')}) e ON true
    LEFT JOIN LATERAL (${LAST_PENDING('lc.voucher_id')}) p ON true
    WHERE lc.customer_id = customer.resolved_id AND ${KNOWN_BY_THEN('lc.voucher_id')} AND NOT ${DELETED_BY_THEN}) x ON true`;

interface Row extends AsOfAmounts {
  id: string;
  source_id: string | null;
  name: string | null;
  email: string | null;
  metadata: Record<string, unknown> | null;
  deleted: boolean;
  source_time_untrusted: boolean;
  voucher_id: string | null;
}

@QueryHandler(GetCustomerAsOfQuery)
export class GetCustomerAsOfHandler implements IQueryHandler<GetCustomerAsOfQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ idOrSourceId, asOf }: GetCustomerAsOfQuery): Promise<CustomerDto | null> {
    const result = await this.pool.query<Row>({ name: 'ledger-customer-as-of', text: SQL, values: [idOrSourceId, asOf] });
    const first = result.rows[0];
    if (!first) return null;
    const cards = result.rows.filter((r) => r.voucher_id !== null);
    const sum = (column: keyof AsOfAmounts) => cards.reduce((total, r) => total + Number(r[column] ?? 0), 0);
    return {
      id: first.id,
      source_id: first.source_id,
      name: first.name,
      email: first.email,
      metadata: first.metadata,
      deleted: first.deleted,
      source_time_untrusted: first.source_time_untrusted,
      loyalty: {
        points: sum('points'),
        balance: sum('balance'),
        redeemed_points: sum('redeemed_points'),
        pending_points: sum('pending_points'),
        points_unreadable: false,
        cards: cards.length,
      },
      as_of: asOf,
    };
  }
}
