import type { ProjectedEvent } from './projected-event';

let counter = 0;

/** Received long after the test times, so they are believed unless a test says otherwise. */
export const TEST_RECEIVED_AT = '2026-01-01T00:00:00.000Z';

/** A ProjectedEvent for unit tests of the pure evolve functions. */
export function projectedEvent(
  type: string,
  data: Record<string, any>,
  occurredAt: string | null,
  eventId?: string,
  receivedAt = TEST_RECEIVED_AT,
): ProjectedEvent {
  counter++;
  return { position: counter, eventId: eventId ?? `ev_${String(counter).padStart(6, '0')}`, type, occurredAt, occurredAtUntrusted: false, receivedAt, signatureStatus: 'verified', data };
}

export function cardVoucher(updatedAt: string, points: number, balance: number, extra: Record<string, any> = {}) {
  return {
    id: 'v_card',
    code: 'CARD1',
    type: 'LOYALTY_CARD',
    campaign: 'Loyalty',
    campaign_id: 'camp_1',
    holder_id: 'cust_1',
    updated_at: updatedAt,
    loyalty_card: { points, balance },
    redemption: { redeemed_points: points - balance },
    ...extra,
  };
}
