import { EventStreams } from '../../apps/ledger/src/log/stream/event-streams.service';
import { SseClient } from '../support/sse-client';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { envelope, loadFixtureData, postWebhook } from '../support/voucherify';

const READ = 'stream-read-token-0123456789';
const auth = { authorization: `Bearer ${READ}` };

/** GET /events/stream, followed by a real SSE client over HTTP. */
describe('GET /events/stream', () => {
  let db: TestDatabase;
  let service: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url, {
      readTokens: [READ],
      projector: 'off',
      projectorPollMs: 200,
      streamHeartbeatMs: 100,
      streamSlowClientMs: 300,
      streamMaxClients: 2,
    });
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const send = async (count: number, padding = 0) => {
    for (let i = 0; i < count; i++) {
      const data = { ...loadFixtureData('voucher.published'), padding: 'x'.repeat(padding) };
      const answer = await postWebhook(service.baseUrl, JSON.stringify(envelope('voucher.published', data)));
      expect(answer.status).toBe(202);
    }
  };
  /** The log in commit-safe order, as the stream must give it. */
  const safeOrder = async () =>
    (await db.pool.query(`SELECT event_id, transaction_id::text || ':' || global_position AS id FROM events ORDER BY transaction_id, global_position`)).rows as {
      event_id: string;
      id: string;
    }[];
  const open = (query = '', headers: Record<string, string> = {}, options = {}) =>
    SseClient.open(`${service.baseUrl}/events/stream${query}`, { ...auth, ...headers }, options);
  const streamsOpen = () => service.app.get(EventStreams).open;

  it('requires the read token and a start it can read', async () => {
    const anonymous = await SseClient.open(`${service.baseUrl}/events/stream`);
    await anonymous.closed;
    expect(anonymous.status).toBe(401);
    for (const [query, headers] of [['?after=abc', {}], ['?after=-1', {}], ['', { 'last-event-id': '1:99999999999999999999' }], ['?after=424242', {}]] as const) {
      const refused = await open(query, headers);
      await refused.closed;
      expect({ query, headers, status: refused.status, body: JSON.parse(refused.body) }).toMatchObject({
        query,
        status: 400,
        body: { status: 400, code: 'bad_request' },
      });
    }
  });

  it('sends the log in commit-safe order, then new events as they are committed, with heartbeats between', async () => {
    await send(5);
    const stream = await open();
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers['cache-control']).toBe('no-store');
    await stream.until(() => stream.messages.length >= 5, 10_000, 'the first five events');
    await send(3);
    await stream.until(() => stream.messages.length >= 8, 10_000, 'the three new events');
    const expected = await safeOrder();
    expect(stream.messages.map((m) => m.id)).toEqual(expected.map((e) => e.id));
    const events = stream.messages.map((m) => JSON.parse(m.data));
    expect(events.map((e) => e.event_id)).toEqual(expected.map((e) => e.event_id));
    expect(events[0]).toMatchObject({ type: 'voucher.published', signature_status: 'unsigned', payload: { type: 'voucher.published' } });
    await stream.until(() => stream.comments.filter((c) => c === 'heartbeat').length >= 3, 5_000, 'heartbeats');
    stream.close();
    await stream.closed;
  });

  it('resumes after a disconnect with Last-Event-ID: nothing missed, nothing twice', async () => {
    const first = await open();
    const before = (await safeOrder()).length;
    await first.until(() => first.messages.length >= before, 10_000, 'the log so far');
    first.close();
    await first.closed;
    const lastSeen = first.messages[first.messages.length - 1].id!;

    await send(4); // committed while nobody listens
    const second = await open('?after=0', { 'last-event-id': lastSeen }); // Last-Event-ID wins over after
    await send(2);
    const all = await safeOrder();
    await second.until(() => second.messages.length >= all.length - before, 10_000, 'the missed and the new events');
    await new Promise((r) => setTimeout(r, 300)); // anything doubled would arrive by now
    const received = [...first.messages, ...second.messages].map((m) => m.id);
    expect(received).toEqual(all.map((e) => e.id));

    // A bare position starts after that event, in the same order.
    const third = await open(`?after=${all[all.length - 3].id.split(':')[1]}`);
    await third.until(() => third.messages.length >= 2, 10_000, 'the last two events');
    expect(third.messages.map((m) => m.id)).toEqual(all.slice(-2).map((e) => e.id));
    second.close();
    third.close();
    await Promise.all([second.closed, third.closed]);
  });

  it(`refuses more streams than STREAM_MAX_CLIENTS with 429`, async () => {
    await waitFor(() => streamsOpen() === 0);
    const a = await open();
    const b = await open();
    const c = await open();
    await c.closed;
    expect(c.status).toBe(429);
    expect(JSON.parse(c.body)).toMatchObject({ status: 429, code: 'too_many_requests' });
    expect(c.headers['retry-after']).toBe('5');
    a.close();
    await a.closed;
    await waitFor(() => streamsOpen() === 1);
    const d = await open();
    expect(d.status).toBe(200);
    b.close();
    d.close();
    await Promise.all([b.closed, d.closed]);
  });

  it('disconnects a client that does not read, rather than buffering for it', async () => {
    await waitFor(() => streamsOpen() === 0);
    await send(24, 900 * 1024); // ~21 MB: more than the kernel's socket buffers hold
    const total = (await safeOrder()).length;
    const slow = await open('', {}, { paused: true });
    expect(slow.status).toBe(200);
    await waitFor(() => streamsOpen() === 0, 15_000); // the service let go of it
    slow.resume(); // what the kernel already held still arrives, then the end
    await slow.closed;
    expect(slow.messages.length).toBeLessThan(total);

    const healthy = await open(); // a reader that keeps up gets everything
    await healthy.until(() => healthy.messages.length >= total, 30_000, 'every event');
    healthy.close();
    await healthy.closed;
  }, 60_000);
});

describe('GET /events/stream at shutdown', () => {
  it('ends open streams cleanly and lets the service stop', async () => {
    const db = await createTestDatabase();
    const service = await startTestApp(db.url, { projector: 'off', streamHeartbeatMs: 60_000 });
    try {
      const stream = await SseClient.open(`${service.baseUrl}/events/stream`);
      expect(stream.status).toBe(200);
      await stream.until(() => stream.comments.length > 0, 5_000, 'the opening comment');
      const started = Date.now();
      await service.close();
      await stream.closed;
      expect(stream.ended).toBe(true);
      expect(Date.now() - started).toBeLessThan(5_000); // not held open by the stream
    } finally {
      await db.drop();
    }
  }, 20_000);
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
