import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { campaignStatusSql, toNullableInt } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { VoucherDto, VoucherHoldingDto } from './voucher.dto';

/** A held voucher by id (v_...) or code, with its holder; null when unknown. */
export class GetVoucherQuery extends Query<VoucherDto | null> {
  constructor(readonly idOrCode: string) {
    super();
  }
}

// The id first when both match; for a loyalty card, its balances beside the holding.
const FIND_VOUCHER = `SELECT h.*, c.name AS holder_name, c.source_id AS holder_source_id, ${campaignStatusSql('h.campaign_id')} AS campaign_status,
            lc.voucher_id AS card_voucher_id, lc.points, lc.balance, lc.redeemed_points, lc.pending_points,
            (lc.points IS NULL OR lc.balance IS NULL OR lc.redeemed_points IS NULL OR lc.expired_points IS NULL
              OR lc.subtracted_points IS NULL OR lc.pending_points IS NULL) AS card_points_unreadable
     FROM voucher_holdings h
     LEFT JOIN customers c ON c.id = h.customer_id
     LEFT JOIN loyalty_cards lc ON lc.voucher_id = h.voucher_id
     WHERE (h.voucher_id = $1 OR h.code = $1) AND h.customer_id IS NOT NULL
     ORDER BY (h.voucher_id = $1) DESC, h.deleted ASC, h.voucher_id
     LIMIT 1`;

@QueryHandler(GetVoucherQuery)
export class GetVoucherHandler implements IQueryHandler<GetVoucherQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ idOrCode }: GetVoucherQuery): Promise<VoucherDto | null> {
    const { rows } = await this.pool.query(FIND_VOUCHER, [idOrCode]);
    const row = rows[0];
    if (!row) return null;
    const { customer_id, holder_role: _role, ...voucher } = VoucherHoldingDto.fromRow(row);
    return {
      ...voucher,
      holder: { id: customer_id, source_id: row.holder_source_id, name: row.holder_name },
      loyalty_card:
        row.card_voucher_id === null
          ? null
          : {
              // An amount that could not be read is null, never 0.
              points: toNullableInt(row.points),
              balance: toNullableInt(row.balance),
              redeemed_points: toNullableInt(row.redeemed_points),
              pending_points: toNullableInt(row.pending_points),
              points_unreadable: row.card_points_unreadable,
            },
    };
  }
}
