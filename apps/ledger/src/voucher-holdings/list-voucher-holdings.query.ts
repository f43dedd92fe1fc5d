import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { campaignStatusSql, customerRows, VOUCHER_HOLDINGS_TABLE } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { VoucherHoldingDto } from './voucher.dto';

/** The vouchers a customer holds, optionally in one status; null when the customer was never seen. */
export class ListVoucherHoldingsQuery extends Query<VoucherHoldingDto[] | null> {
  constructor(
    readonly idOrSourceId: string,
    readonly status?: string,
  ) {
    super();
  }
}

/**
 * A holder assignment as a holding row: the voucher's own fields from its holding when the ledger
 * has one (h), else what the assignment told (a); the acquisition is the assignment's.
 */
const ASSIGNED_COLUMN: Record<string, string> = {
  voucher_id: 'a.voucher_id',
  customer_id: 'a.customer_id',
  code: 'COALESCE(h.code, a.code)',
  type: 'COALESCE(h.type, a.type)',
  campaign_id: 'COALESCE(h.campaign_id, a.campaign_id)',
  campaign_name: 'COALESCE(h.campaign_name, a.campaign_name)',
  acquired_at: 'a.assigned_at',
  acquired_via: `'holder_assignment'`,
  acquired_event_id: 'a.assigned_event_id',
  acquired_at_untrusted: 'a.assigned_at_untrusted',
  deleted: 'COALESCE(h.deleted, false)',
  status: `COALESCE(h.status, 'active')`,
  snapshot_event_id: `COALESCE(h.snapshot_event_id, '')`,
  quantity_unreadable: 'COALESCE(h.quantity_unreadable, false)',
  snapshot_at_untrusted: 'COALESCE(h.snapshot_at_untrusted, false)',
};
const OWN = VOUCHER_HOLDINGS_TABLE.columns.map((c) => `h.${c.name}`).join(', ');
const ASSIGNED = VOUCHER_HOLDINGS_TABLE.columns.map((c) => `${ASSIGNED_COLUMN[c.name] ?? `h.${c.name}`} AS ${c.name}`).join(', ');

@QueryHandler(ListVoucherHoldingsQuery)
export class ListVoucherHoldingsHandler implements IQueryHandler<ListVoucherHoldingsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Held by holder_id, or by a holder assignment not removed. */
  async execute({ idOrSourceId, status }: ListVoucherHoldingsQuery): Promise<VoucherHoldingDto[] | null> {
    const rows = await customerRows(this.pool, {
      name: 'customer-voucher-holdings',
      select: `SELECT held.*, ${campaignStatusSql('held.campaign_id')} AS campaign_status FROM (
                 SELECT ${OWN}, NULL::text AS holder_role FROM voucher_holdings h WHERE h.customer_id = customer.resolved_id
                 UNION ALL
                 SELECT ${ASSIGNED}, a.holder_role FROM voucher_holder_assignments a
                 LEFT JOIN voucher_holdings h ON h.voucher_id = a.voucher_id
                 WHERE a.customer_id = customer.resolved_id AND NOT a.removed AND a.voucher_id IS NOT NULL
               ) held`,
      orderBy: 'acquired_at NULLS LAST, voucher_id, acquired_via',
      key: 'voucher_id',
      values: [idOrSourceId],
    });
    const held = rows && rows.map((row) => VoucherHoldingDto.fromRow(row));
    // Filtered after the campaign's status is folded in: the status shown is the one filtered on.
    return held && (status === undefined ? held : held.filter((h) => h.status === status));
  }
}
