/** What each read model holds, in a shop's words (the names are the projections' own). */
export const READ_MODEL_HELP: Record<string, string> = {
  campaigns: 'loyalty programmes and campaigns',
  customers: 'customer profiles',
  ledger: 'points ledger, gaps, as-of balances, reports',
  loyalty_cards: 'card balances and status',
  loyalty_tiers: "customers' loyalty tiers",
  pending_points: 'points pending per card, not yet on the balances',
  point_values: 'value of a point (liability)',
  reward_redemptions: 'rewards redeemed and their states',
  voucher_holdings: 'vouchers each customer holds',
};
