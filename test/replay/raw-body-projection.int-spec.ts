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
 * The log keeps one copy of each body, the bytes received (migration 1764000033000), and
 * projections parse those. The form of the bytes (key order, whitespace, escapes) must not matter:
 * this projects one log from its raw bodies, and a copy of it whose bodies are PostgreSQL's jsonb
 * text of the same JSON (what the dropped `payload` copy held), and compares every read-model row.
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

/** Stores each body as the ingest use case does: its bytes, and the decoded text only where they are not UTF-8. */
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
  let fromCanonical: TestDatabase;

  beforeAll(async () => {
    [fromRaw, fromCanonical] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  afterAll(async () => {
    await Promise.all([fromRaw?.drop(), fromCanonical?.drop()]);
  });

  it('builds the same read models from the bytes received as from the same JSON written otherwise, for every kind of event', async () => {
    await ingest(fromRaw.pool, bodies());
    // The decoded text is kept for the one body whose bytes are not UTF-8, and for no other.
    const decoded = await fromRaw.pool.query(`SELECT event_id FROM events WHERE decoded_body IS NOT NULL`);
    expect(decoded.rows).toEqual([{ event_id: 'evraw_bytes' }]);
    // The raw bodies really differ from the canonical text (else this would compare a log with itself).
    const canonical = `COALESCE(decoded_body, convert_from(raw_body, 'UTF8'))::jsonb::text`;
    const differing = await fromRaw.pool.query(`SELECT count(*)::int AS n FROM events WHERE raw_body <> convert_to(${canonical}, 'UTF8')`);
    const total = await fromRaw.pool.query(`SELECT count(*)::int AS n FROM events`);
    expect(differing.rows[0].n).toBe(total.rows[0].n);

    // The same log, same order and times, with the canonical text as its bytes.
    const rows = await fromRaw.pool.query(
      `SELECT event_id, delivery_id, event_type, project_id, customer_id, occurred_at, occurred_at_raw, ${canonical} AS canonical_text,
              signature_status, envelope_format, received_at
       FROM events ORDER BY global_position`,
    );
    for (const r of rows.rows) {
      await fromCanonical.pool.query(
        `INSERT INTO events (event_id, delivery_id, event_type, project_id, customer_id, occurred_at, occurred_at_raw, raw_body,
                             signature_status, envelope_format, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, convert_to($8, 'UTF8'), $9, $10, $11)`,
        [r.event_id, r.delivery_id, r.event_type, r.project_id, r.customer_id, r.occurred_at, r.occurred_at_raw, r.canonical_text, r.signature_status, r.envelope_format, r.received_at],
      );
    }
    // A row no ingest could write (its body does not parse; the owner role can insert one): read as nothing, and nothing else changes.
    await fromRaw.pool.query(
      `INSERT INTO events (event_id, event_type, raw_body, signature_status, envelope_format)
       VALUES ('evraw_unparsed', 'customer.created', convert_to('{"truncated', 'UTF8'), 'imported', 'v2024-01-01')`,
    );

    await Promise.all([projectAll(fromRaw.pool), projectAll(fromCanonical.pool)]);
    const [raw, copy] = await Promise.all([dumpReadModels(fromRaw.pool), dumpReadModels(fromCanonical.pool)]);
    expect(raw).toEqual(copy);
    // Every event was applied (none parked) and the models are not empty.
    expect((await fromRaw.pool.query('SELECT count(*)::int AS n FROM projection_dead_letters')).rows[0].n).toBe(0);
    for (const table of ['customers', 'loyalty_cards', 'ledger_entries', 'reward_redemptions', 'campaign_point_values']) {
      expect(raw[table].length).toBeGreaterThan(0);
    }
    // The body that is not UTF-8 was projected from the text ingest decoded.
    expect((await fromRaw.pool.query(`SELECT name FROM customers WHERE id = 'cust_raw_bytes'`)).rows[0]?.name).toBe('Zo\ufffdé');
  });
});
