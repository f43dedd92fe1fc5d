/**
 * Project-settings event types that touch the ledger (docs/voucherify.md, section 4). Distribution
 * webhooks send many of them with a `customer.` prefix; `canonicalEventType` folds those back.
 * Unknown types are stored like any other and ignored by projections, never refused.
 */
export const KNOWN_EVENT_TYPES = [
  'redemption.succeeded',
  'redemption.failed',
  'redemption.rollback.succeeded',
  'redemption.rollback.failed',
  'publication.succeeded',
  'voucher.published',
  'voucher.created',
  'voucher.updated',
  'voucher.enabled',
  'voucher.disabled',
  'voucher.deleted',
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'customer.rewarded',
  'customer.rewarded.loyalty_points',
  'voucher.loyalty_card.points_added',
  'voucher.loyalty_card.points_expired',
  'voucher.loyalty_card.pending_points.added',
  'voucher.loyalty_card.pending_points.updated',
  'voucher.loyalty_card.pending_points.canceled',
  'voucher.loyalty_card.pending_points.activated',
  'voucher.loyalty_card.transaction.created',
  'voucher.gift.balance_added',
  'customer.reward_redemptions.created',
  'customer.reward_redemptions.pending',
  'customer.reward_redemptions.completed',
  'customer.reward_redemptions.rolledback',
] as const;

export type KnownEventType = (typeof KNOWN_EVENT_TYPES)[number];

const known = new Set<string>(KNOWN_EVENT_TYPES);

export function isKnownEventType(type: string): type is KnownEventType {
  return known.has(type);
}

/** `customer.voucher.loyalty_card.points_added` → `voucher.loyalty_card.points_added`; others unchanged. */
export function canonicalEventType(type: string): string {
  if (known.has(type)) return type;
  if (type.startsWith('customer.')) {
    const unprefixed = type.slice('customer.'.length);
    if (known.has(unprefixed)) return unprefixed;
  }
  return type;
}

/**
 * Event types the ledger's own operators append (a point value: `ledger.point_value.set`).
 * Voucherify has no `ledger.` types; a webhook or an imported line claiming one is refused, so
 * nobody outside can pass for an operator.
 */
export const OPERATOR_EVENT_PREFIX = 'ledger.';

export const isOperatorEventType = (type: string): boolean => type.startsWith(OPERATOR_EVENT_PREFIX);
