import type { Pool } from 'pg';
import { filteredCustomerList, filteredCustomerRows } from '../customers/customer.queries';
import { toNullableInt } from '../sql-rows';
import type { VoucherHolding } from './voucher-holding.evolve';
import { VOUCHER_HOLDINGS_TABLE } from './voucher-holdings.read-model';

/** The API's view of a held voucher. */
function present(h: VoucherHolding) {
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
    // A time this holding is ordered by is the received time standing in for one that could not be believed.
    source_time_untrusted: h.acquiredAtUntrusted || h.snapshotAtUntrusted,
    status: h.status,
    customer_id: h.customerId,
  };
}

const CUSTOMER_VOUCHER_HOLDINGS = filteredCustomerList({
  name: 'customer-voucher-holdings',
  table: 'voucher_holdings',
  columns: VOUCHER_HOLDINGS_TABLE.columns,
  filterColumn: 'status',
  orderBy: 'acquired_at NULLS LAST, voucher_id',
  key: 'voucher_id',
});

/** The vouchers the customer holds ($1: id or source_id); null when the customer is unknown. */
export async function listVoucherHoldings(pool: Pool, idOrSourceId: string, status?: string) {
  const rows = await filteredCustomerRows(pool, CUSTOMER_VOUCHER_HOLDINGS, idOrSourceId, status);
  return rows && rows.map((row) => present(VOUCHER_HOLDINGS_TABLE.fromRow(row)));
}

/** A voucher by id or code, with its holder and, for a loyalty card, its balances. */
export async function findVoucher(pool: Pool, idOrCode: string) {
  const result = await pool.query(
    `SELECT h.*, c.name AS holder_name, c.source_id AS holder_source_id,
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
  const { customer_id, ...voucher } = present(VOUCHER_HOLDINGS_TABLE.fromRow(row));
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
