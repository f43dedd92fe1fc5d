import type { Pool } from 'pg';
import { CampaignStatus, campaignStatusSql, withCampaignStatus } from '../campaigns/campaign.evolve';
import { customerRows } from '../customer-view/customer-view.queries';
import { toNullableInt } from '../sql-rows';
import type { VoucherHolding } from './voucher-holding.evolve';
import { VOUCHER_HOLDINGS_TABLE } from './voucher-holdings.read-model';

/** The API's view of a held voucher; its status with its campaign's folded in. */
function present(h: VoucherHolding, campaignStatus: CampaignStatus | null, holderRole: string | null = null) {
  return {
    voucher_id: h.voucherId,
    code: h.code,
    type: h.type,
    campaign_id: h.campaignId,
    campaign_name: h.campaignName,
    active: h.active,
    discount: h.discount,
    gift: h.gift,
    redemption: {
      quantity: h.quantity,
      redeemed_quantity: h.redeemedQuantity,
      // Given but not a safe integer: null, never 0 or rounded.
      quantity_unreadable: h.quantityUnreadable,
    },
    acquired_at: h.acquiredAt,
    acquired_via: h.acquiredVia,
    // The role a holder assignment gave (REFEREE, ...); null for a voucher held by its holder_id.
    holder_role: holderRole,
    // A time this holding is ordered by is the received time standing in for one that could not be believed.
    source_time_untrusted: h.acquiredAtUntrusted || h.snapshotAtUntrusted,
    status: withCampaignStatus(h.status, campaignStatus),
    campaign_status: campaignStatus,
    customer_id: h.customerId,
  };
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

/** The vouchers the customer holds ($1: id or source_id), by holder_id or by a holder assignment not deleted; null when the customer is unknown. */
export async function listVoucherHoldings(pool: Pool, idOrSourceId: string, status?: string) {
  const rows = await customerRows(pool, {
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
  const held = rows && rows.map((row) => present(VOUCHER_HOLDINGS_TABLE.fromRow(row), row.campaign_status, row.holder_role));
  // Filtered after the campaign's status is folded in: the status shown is the one filtered on.
  return held && (status === undefined ? held : held.filter((h) => h.status === status));
}

/** A voucher by id or code, with its holder and, for a loyalty card, its balances. */
export async function findVoucher(pool: Pool, idOrCode: string) {
  const result = await pool.query(
    `SELECT h.*, c.name AS holder_name, c.source_id AS holder_source_id, ${campaignStatusSql('h.campaign_id')} AS campaign_status,
            lc.voucher_id AS card_voucher_id, lc.points, lc.balance, lc.redeemed_points, lc.pending_points,
            (lc.points IS NULL OR lc.balance IS NULL OR lc.redeemed_points IS NULL OR lc.expired_points IS NULL
              OR lc.subtracted_points IS NULL OR lc.pending_points IS NULL) AS card_points_unreadable
     FROM voucher_holdings h
     LEFT JOIN customers c ON c.id = h.customer_id
     LEFT JOIN loyalty_cards lc ON lc.voucher_id = h.voucher_id
     WHERE (h.voucher_id = $1 OR h.code = $1) AND h.customer_id IS NOT NULL
     ORDER BY (h.voucher_id = $1) DESC
     LIMIT 1`,
    [idOrCode],
  );
  const row = result.rows[0];
  if (!row) return null;
  const { customer_id, holder_role: _role, ...voucher } = present(VOUCHER_HOLDINGS_TABLE.fromRow(row), row.campaign_status);
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
