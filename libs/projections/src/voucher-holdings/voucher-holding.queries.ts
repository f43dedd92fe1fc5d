import type { Pool } from 'pg';
import { filteredCustomerList, filteredCustomerRows } from '../customers/customer.queries';
import { VOUCHER_HOLDING_COLUMNS } from './voucher-holdings.read-model';

function present(row: Record<string, any>) {
  return {
    voucher_id: row.voucher_id,
    code: row.code,
    type: row.type,
    campaign_id: row.campaign_id,
    campaign_name: row.campaign_name,
    active: row.active,
    discount: row.discount,
    gift: row.gift,
    redemption: {
      quantity: row.quantity === null ? null : Number(row.quantity),
      redeemed_quantity: row.redeemed_quantity === null ? null : Number(row.redeemed_quantity),
    },
    acquired_at: row.acquired_at ? row.acquired_at.toISOString() : null,
    acquired_via: row.acquired_via,
    status: row.status,
    customer_id: row.customer_id,
  };
}

const CUSTOMER_VOUCHER_HOLDINGS = filteredCustomerList({
  name: 'customer-voucher-holdings',
  table: 'voucher_holdings',
  columns: VOUCHER_HOLDING_COLUMNS,
  filterColumn: 'status',
  orderBy: 'acquired_at NULLS LAST, voucher_id',
  key: 'voucher_id',
});

/** The vouchers the customer holds ($1: id or source_id); null when the customer is unknown. */
export async function listVoucherHoldings(pool: Pool, idOrSourceId: string, status?: string) {
  const rows = await filteredCustomerRows(pool, CUSTOMER_VOUCHER_HOLDINGS, idOrSourceId, status);
  return rows && rows.map(present);
}

/** A voucher by id or code, with its holder and, for a loyalty card, its balances. */
export async function findVoucher(pool: Pool, idOrCode: string) {
  const result = await pool.query(
    `SELECT h.*, c.name AS holder_name, c.source_id AS holder_source_id,
            lc.points, lc.balance, lc.redeemed_points, lc.pending_points
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
  const { customer_id, ...voucher } = present(row);
  return {
    ...voucher,
    holder: { id: customer_id, source_id: row.holder_source_id, name: row.holder_name },
    loyalty_card:
      row.points === null
        ? null
        : {
            points: Number(row.points),
            balance: Number(row.balance),
            redeemed_points: Number(row.redeemed_points),
            pending_points: Number(row.pending_points),
          },
  };
}
