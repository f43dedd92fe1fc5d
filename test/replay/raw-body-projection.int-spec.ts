import fc from 'fast-check';
import type { Pool } from 'pg';
import { EventStore, SignatureStatus } from '../../libs/event-store/src';
import { parseWebhookEnvelope } from '../../libs/voucherify/src';
import { newEventFrom } from '../../apps/ledger/src/ingest/new-event';
import { historyArbitrary, toEnvelope } from '../support/loyalty-history';
import { projectAll } from '../support/projector';
import { dumpReadModels } from '../support/read-model-dump';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { envelope, FIXTURE_TYPES, loadFixtureData } from '../support/voucherify';

/*
 * Projections read the log as the bytes received (raw_body), no longer as PostgreSQL's jsonb
 * text of `payload`. Both parse to the same value, so the read models must be the same whichever
 * was read: this projects one log from its raw bodies, and a copy of it whose raw bodies are
 * `payload::text` (exactly what the projector parsed before), and compares every read-model row.
 */

/** Bodies as senders write them: key order, whitespace and escapes jsonb would not keep. */
function bodies(): { raw: Buffer; status: SignatureStatus }[] {
  const out: { raw: Buffer; status: SignatureStatus }[] = [];
  const at = (i: number) => new Date(Date.parse('2024-05-13T10:00:00.000Z') + i * 60_000).toISOString();
  for (const [i, type] of FIXTURE_TYPES.entries()) {
    const data = loadFixtureData(type);
    // Pretty-printed, keys in the sender's order, non-ASCII escaped: jsonb would sort and unescape.
    const text = JSON.stringify(envelope(type, data, { createdAt: at(i), eventId: `evraw_fixture_${i}` }), null, i % 2 ? 2 : undefined);
    out.push({ raw: Buffer.from(text.replace(/é/g, '\\u00e9'), 'utf8'), status: 'verified' });
  }
  // A generated loyalty history (cards, transactions, rewards, tiers, campaigns, assignments).
  const [history] = fc.sample(historyArbitrary(3, 10, 2, 4, { extras: true }), { numRuns: 1, seed: 18 });
  for (const [i, event] of history.events.entries()) {
    out.push({ raw: Buffer.from(JSON.stringify(toEnvelope(event, `whs_raw_${i}`), null, 1)), status: i % 3 ? 'verified' : 'imported' });
  }
  // An operator's event (a point value), as `ledger point-value` stores it.
  out.push({
    raw: Buffer.from(
      JSON.stringify(envelope('ledger.point_value.set', { campaign_id: 'camp_raw', value: '1000', currency: 'EUR', effective_from: '2024-01-01T00:00:00Z' }, { eventId: 'evraw_operator' })),
    ),
    status: 'operator',
  });
  // A body that is not valid UTF-8 (a stray 0xff in a name): ingest takes it, decoded as Node
  // decodes it; PostgreSQL cannot decode it, so its batch is read as bytes.
  const customer = JSON.stringify(envelope('customer.created', { customer: { id: 'cust_raw_bytes', name: 'NAME', object: 'customer' } }, { eventId: 'evraw_bytes' }));
  const [before, after] = customer.split('NAME');
  out.push({ raw: Buffer.concat([Buffer.from(`${before}Zo`), Buffer.from([0xff]), Buffer.from(`é${after}`)]), status: 'imported' });
  return out;
}

/** Stores each body as the ingest use case does: payload is the body's text, raw_body its bytes. */
async function ingest(pool: Pool, raws: { raw: Buffer; status: SignatureStatus }[]): Promise<void> {
  const store = new EventStore(pool);
  for (const { raw, status } of raws) {
    const text = raw.toString('utf8');
    const parsed = parseWebhookEnvelope(JSON.parse(text));
    if (!parsed.ok) throw new Error(`test body is not an envelope: ${parsed.problems.join(', ')}`);
    const stored = await store.append(newEventFrom(parsed.envelope, raw, text, status, {}));
    expect(stored.outcome).toBe('appended');
  }
}

describe('projections read the raw bodies', () => {
  let fromRaw: TestDatabase;
  let fromPayload: TestDatabase;

  beforeAll(async () => {
    [fromRaw, fromPayload] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  afterAll(async () => {
    await Promise.all([fromRaw?.drop(), fromPayload?.drop()]);
  });

  it('builds the same read models from raw_body as from payload, for every kind of event', async () => {
    await ingest(fromRaw.pool, bodies());
    // A row no ingest could write (its raw body does not parse; the owner role can insert one):
    // projected from its payload.
    await fromRaw.pool.query(
      `INSERT INTO events (event_id, event_type, raw_body, payload, signature_status, envelope_format)
       VALUES ('evraw_unparsed', 'customer.created', convert_to('{"truncated', 'UTF8'), $1::jsonb, 'imported', 'v2024-01-01')`,
      [JSON.stringify(envelope('customer.created', { customer: { id: 'cust_raw_unparsed', name: 'From payload', object: 'customer' } }, { eventId: 'evraw_unparsed' }))],
    );
    // The raw bodies really differ from payload::text (else this would compare a log with itself).
    const differing = await fromRaw.pool.query(`SELECT count(*)::int AS n FROM events WHERE raw_body <> convert_to(payload::text, 'UTF8')`);
    const total = await fromRaw.pool.query(`SELECT count(*)::int AS n FROM events`);
    expect(differing.rows[0].n).toBe(total.rows[0].n);

    // The same log, same order and times, with payload::text as its bytes.
    const rows = await fromRaw.pool.query(
      `SELECT event_id, delivery_id, event_type, project_id, customer_id, occurred_at, occurred_at_raw, payload::text AS payload_text,
              signature_status, envelope_format, received_at
       FROM events ORDER BY global_position`,
    );
    for (const r of rows.rows) {
      await fromPayload.pool.query(
        `INSERT INTO events (event_id, delivery_id, event_type, project_id, customer_id, occurred_at, occurred_at_raw, raw_body, payload,
                             signature_status, envelope_format, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, convert_to($8, 'UTF8'), $8::jsonb, $9, $10, $11)`,
        [r.event_id, r.delivery_id, r.event_type, r.project_id, r.customer_id, r.occurred_at, r.occurred_at_raw, r.payload_text, r.signature_status, r.envelope_format, r.received_at],
      );
    }

    await Promise.all([projectAll(fromRaw.pool), projectAll(fromPayload.pool)]);
    const [raw, payload] = await Promise.all([dumpReadModels(fromRaw.pool), dumpReadModels(fromPayload.pool)]);
    expect(raw).toEqual(payload);
    // Every event was applied (none parked) and the models are not empty.
    expect((await fromRaw.pool.query('SELECT count(*)::int AS n FROM projection_dead_letters')).rows[0].n).toBe(0);
    for (const table of ['customers', 'loyalty_cards', 'ledger_entries', 'reward_redemptions', 'campaign_point_values']) {
      expect(raw[table].length).toBeGreaterThan(0);
    }
    // The body PostgreSQL cannot decode was projected from its bytes, decoded as ingest decoded them.
    expect((await fromRaw.pool.query(`SELECT name FROM customers WHERE id = 'cust_raw_bytes'`)).rows[0]?.name).toBe('Zo\ufffdé');
    // The body that does not parse was projected from its payload.
    expect((await fromRaw.pool.query(`SELECT name FROM customers WHERE id = 'cust_raw_unparsed'`)).rows[0]?.name).toBe('From payload');
  });
});
