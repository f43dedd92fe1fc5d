import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { signPayload } from '../../libs/voucherify/src';

export const FIXTURES_DIR = process.env.VOUCHERIFY_FIXTURES_DIR ?? resolve(__dirname, '../fixtures/voucherify');

export const FIXTURE_TYPES = [
  'customer.reward_redemptions.completed',
  'customer.reward_redemptions.pending',
  'customer.rewarded',
  'redemption.succeeded',
  'voucher.published',
] as const;

export function loadFixtureData(type: string): Record<string, unknown> {
  return JSON.parse(readFileSync(resolve(FIXTURES_DIR, `${type}.data.json`), 'utf8'));
}

export function uniqueId(prefix: string): string {
  return `${prefix}${randomBytes(9).toString('hex')}`;
}

export interface EnvelopeOptions {
  eventId?: string;
  deliveryId?: string;
  createdAt?: string;
  /** Distribution webhooks carry a user-typed name in `type` and the real type in event.type. */
  envelopeType?: string;
}

/** A v2024-01-01 envelope around `data`, as Voucherify sends it. */
export function envelope(type: string, data: unknown, options: EnvelopeOptions = {}) {
  const createdAt = options.createdAt ?? new Date().toISOString();
  return {
    id: options.deliveryId ?? uniqueId('whs_'),
    project_id: 'proj_5T4Rpl4T1nuM',
    created_at: createdAt,
    type: options.envelopeType ?? type,
    data,
    source: { id: 'wh_test', object: 'webhook', target_url: 'https://ledger.example/webhooks/voucherify' },
    event: {
      id: options.eventId ?? uniqueId('evtest_'),
      type,
      created_at: createdAt,
      entity_id: 'v_test',
      group_id: 'v-test',
      event_source: { channel: 'API' },
    },
  };
}

export interface PostOptions {
  secret?: string;
  signature?: string;
  contentType?: string;
}

/** POSTs bytes to the webhook endpoint, signed with `secret` unless a signature is given. */
export async function postWebhook(baseUrl: string, body: string | Buffer, options: PostOptions = {}) {
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
  const signature = options.signature ?? (options.secret ? signPayload(options.secret, body) : undefined);
  if (signature) headers['x-voucherify-signature'] = signature;
  const response = await fetch(`${baseUrl}/webhooks/voucherify`, { method: 'POST', headers, body });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}
