import { parseLenientTimestamp } from './lenient-time';

export type EnvelopeFormat = 'v2024-01-01' | 'v2018-08-01';

/** A webhook body reduced to what the event store indexes. The payload itself is kept whole. */
export interface WebhookEnvelope {
  /** Identity of the event (`event.id`; the envelope `id` for the retired v2018 format). */
  eventId: string;
  /** Identity of this send-out (`whs_...`); retries of one event may carry new ones. */
  deliveryId: string | null;
  /** `event.type` when present (distribution webhooks put a free-text name in `type`), else `type`. */
  type: string;
  projectId: string | null;
  /** The source's own time, raw as sent and parsed leniently (null when unparseable). */
  occurredAtRaw: string | null;
  occurredAt: Date | null;
  customerId: string | null;
  format: EnvelopeFormat;
}

export type EnvelopeParseResult =
  | { ok: true; envelope: WebhookEnvelope }
  | { ok: false; problems: string[] };

const MAX_ID_LENGTH = 255;
/**
 * C0 controls (NUL included), DEL and C1 controls: no id or type Voucherify issues holds one,
 * PostgreSQL text cannot hold NUL, and the read API refuses them in ids and filters, so an event
 * stored under such an id could never be looked up.
 */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

function optionalString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The holder this event concerns, for filtering the raw log by customer. */
export function extractCustomerId(data: JsonObject): string | null {
  const pick = (obj: unknown, key: string): string | null =>
    isObject(obj) && nonEmptyString(obj[key]) ? (obj[key] as string) : null;
  return (
    pick(data.customer, 'id') ??
    pick(data.holder, 'id') ??
    pick(data.voucher, 'holder_id') ??
    pick(data.reward_redemption, 'customer_id') ??
    pick(data.redemption, 'customer_id') ??
    pick(data.publication, 'customer_id') ??
    pick(data, 'customer_id')
  );
}

/**
 * The source time of a webhook body (`event.created_at`, else the envelope's `created_at`), raw
 * and parsed. On its own so that `ledger verify` re-derives a stored event's time exactly as
 * ingest did, even for an event that a later, stricter envelope check would refuse.
 */
export function envelopeSourceTime(body: unknown): { occurredAtRaw: string | null; occurredAt: Date | null } {
  if (!isObject(body)) return { occurredAtRaw: null, occurredAt: null };
  const event = isObject(body.event) ? body.event : undefined;
  const occurredAtRaw = optionalString(event?.created_at) ?? optionalString(body.created_at);
  return { occurredAtRaw, occurredAt: parseLenientTimestamp(occurredAtRaw) };
}

/**
 * Validates the shape of a parsed webhook body and extracts its identity.
 * Accepts the v2024-01-01 envelope and the retired v2018-08-01 one (no `event`, `id` = event id).
 */
export function parseWebhookEnvelope(body: unknown): EnvelopeParseResult {
  if (!isObject(body)) return { ok: false, problems: ['the payload must be a JSON object'] };

  const problems: string[] = [];
  const event = body.event;
  if (event !== undefined && !isObject(event)) problems.push('event must be an object');
  const eventObject = isObject(event) ? event : undefined;

  const type = nonEmptyString(eventObject?.type) ? eventObject.type : body.type;
  if (!nonEmptyString(type)) problems.push('type is missing (neither event.type nor type is a non-empty string)');
  else if (type.length > MAX_ID_LENGTH) problems.push(`type is longer than ${MAX_ID_LENGTH} characters`);
  else if (CONTROL_CHARACTER.test(type)) problems.push('type contains NUL or another control character');

  if (!isObject(body.data)) problems.push('data is missing or is not an object');

  const format: EnvelopeFormat = eventObject ? 'v2024-01-01' : 'v2018-08-01';
  const eventId = eventObject ? eventObject.id : body.id;
  if (!nonEmptyString(eventId)) {
    problems.push(eventObject ? 'event.id is missing' : 'id is missing (no event.id and no envelope id)');
  } else if (eventId.length > MAX_ID_LENGTH) {
    problems.push(`event id is longer than ${MAX_ID_LENGTH} characters`);
  } else if (CONTROL_CHARACTER.test(eventId)) {
    problems.push('event id contains NUL or another control character');
  }

  if (problems.length > 0) return { ok: false, problems };

  const { occurredAtRaw, occurredAt } = envelopeSourceTime(body);
  return {
    ok: true,
    envelope: {
      eventId: eventId as string,
      deliveryId: eventObject ? optionalString(body.id) : null,
      type: type as string,
      projectId: optionalString(body.project_id),
      occurredAtRaw,
      occurredAt,
      customerId: extractCustomerId(body.data as JsonObject),
      format,
    },
  };
}
