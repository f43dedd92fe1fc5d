import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { campaignStatusSql, RESOLVED_CUSTOMER } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import type { CustomerDto } from './customer.dto';

/** A customer with loyalty totals over their cards, by `cust_...` id or source id; null when never seen. */
export class GetCustomerQuery extends Query<CustomerDto | null> {
  constructor(readonly idOrSourceId: string) {
    super();
  }
}

/** Sum of one amount over the cards: 0 without cards, null when one card's amount is null. */
const TOTAL = (column: string) => `CASE WHEN bool_and(${column} IS NOT NULL) IS NOT FALSE THEN COALESCE(sum(${column}), 0) END`;

// A deleted card's points are gone in Voucherify: the totals leave out the cards deleted by
// voucher.deleted or with their campaign.
const FIND_CUSTOMER = `WITH ${RESOLVED_CUSTOMER}
     SELECT customer.resolved_id AS id, c.source_id, c.name, c.email, c.metadata, COALESCE(c.deleted, false) AS deleted,
            COALESCE(c.source_time_untrusted, false) AS source_time_untrusted,
            t.points, t.balance, t.redeemed_points, t.pending_points, t.cards
     FROM customer
     LEFT JOIN customers c ON c.id = customer.resolved_id
     CROSS JOIN LATERAL (
       -- A null amount (unreadable) makes its total null: sum() would silently skip it.
       SELECT ${TOTAL('points')} AS points, ${TOTAL('balance')} AS balance, ${TOTAL('redeemed_points')} AS redeemed_points,
              ${TOTAL('pending_points')} AS pending_points, count(*) AS cards
       FROM loyalty_cards
       WHERE customer_id = customer.resolved_id AND status <> 'deleted' AND ${campaignStatusSql('loyalty_cards.campaign_id')} IS DISTINCT FROM 'deleted'
     ) t`;

@QueryHandler(GetCustomerQuery)
export class GetCustomerHandler implements IQueryHandler<GetCustomerQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ idOrSourceId }: GetCustomerQuery): Promise<CustomerDto | null> {
    const { rows } = await this.pool.query({ name: 'find-customer', text: FIND_CUSTOMER, values: [idOrSourceId] });
    const row = rows[0];
    if (!row) return null;
    const totals = {
      points: safeTotal(row.points),
      balance: safeTotal(row.balance),
      redeemed_points: safeTotal(row.redeemed_points),
      pending_points: safeTotal(row.pending_points),
    };
    return {
      id: row.id,
      source_id: row.source_id,
      name: row.name,
      email: row.email,
      metadata: row.metadata,
      deleted: row.deleted,
      source_time_untrusted: row.source_time_untrusted,
      loyalty: { ...totals, points_unreadable: Object.values(totals).some((v) => v === null), cards: Number(row.cards) },
    };
  }
}

/**
 * A sum as PostgreSQL gives it (numeric text), or null when it is null or past 2^53 − 1: an
 * unknown amount makes the sum unknown, and adding it as 0 would be a wrong figure.
 */
function safeTotal(value: string | null): number | null {
  if (value === null) return null;
  const total = Number(value);
  return Number.isSafeInteger(total) ? total : null;
}
