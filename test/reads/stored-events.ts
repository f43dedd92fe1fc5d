import type { Pool } from 'pg';
import { EventStore } from '../../libs/event-store/src';
import { envelope, uniqueId } from '../support/voucherify';

/**
 * Stores an event straight through EventStore.append, bypassing the webhook door: the log is
 * append-only, so whatever an older door let in must stay readable whatever the door refuses today.
 * `dataJson` is spliced in as JSON text, so payloads too deep for JSON.stringify can be built.
 */
export async function storeEvent(
  pool: Pool,
  options: { type?: string; dataJson?: string; eventId?: string; customerId?: string | null } = {},
): Promise<{ eventId: string; position: number; body: string }> {
  const type = options.type ?? 'customer.updated';
  const eventId = options.eventId ?? uniqueId('evtest_');
  const body = JSON.stringify(envelope(type, { placeholder: true }, { eventId })).replace(
    '{"placeholder":true}',
    options.dataJson ?? '{}',
  );
  const result = await new EventStore(pool).append({
    eventId,
    deliveryId: uniqueId('whs_'),
    type,
    projectId: 'proj_5T4Rpl4T1nuM',
    customerId: options.customerId ?? null,
    occurredAt: new Date(),
    occurredAtRaw: new Date().toISOString(),
    rawBody: Buffer.from(body),
    payloadJson: body,
    signatureStatus: 'unsigned',
    envelopeFormat: 'v2024-01-01',
    requestHeaders: { 'content-type': 'application/json' },
  });
  if (result.outcome !== 'appended') throw new Error(`event ${eventId} not appended: ${result.outcome}`);
  return { eventId, position: result.position, body };
}

/** JSON text of arrays nested `depth` deep around a string. */
export const deepArrays = (depth: number) => `${'['.repeat(depth)}"bottom"${']'.repeat(depth)}`;
/** JSON text of objects nested `depth` deep around a number. */
export const deepObjects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
