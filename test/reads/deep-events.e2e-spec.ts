import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { deepArrays, deepObjects, storeEvent } from './stored-events';

/** How deep `value` nests, walked without recursion (the point of the test is stacks that overflow). */
function depthOf(value: unknown): number {
  let depth = 0;
  let level: unknown[] = [value];
  while (level.length > 0) {
    const next: unknown[] = [];
    for (const item of level) if (item !== null && typeof item === 'object') next.push(...Object.values(item));
    if (next.length === 0) break;
    depth += 1;
    level = next;
  }
  return depth;
}

/**
 * Bodies nested thousands deep were accepted before the door refused them, and the log is
 * append-only: such events must stay readable, on their own and in a page, forever.
 */
describe('events nested too deep for a recursive serialiser', () => {
  let db: TestDatabase;
  let service: TestApp;
  const stored: { eventId: string; position: number; body: string; depth: number }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url);
    const before = await storeEvent(db.pool, { dataJson: '{"plain":true}' });
    stored.push({ ...before, depth: 2 });
    for (const [depth, json] of [
      [15_000, deepArrays(15_000)],
      [10_000, deepObjects(10_000)],
    ] as const) {
      stored.push({ ...(await storeEvent(db.pool, { dataJson: `{"deep":${json}}` })), depth });
    }
    const after = await storeEvent(db.pool, { dataJson: '{"plain":true}' });
    stored.push({ ...after, depth: 2 });
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const get = async (path: string) => {
    const response = await fetch(`${service.baseUrl}${path}`);
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type'), json: JSON.parse(text) };
  };

  it('GET /events/{id} answers 200 with the whole payload and the raw body', async () => {
    for (const event of stored.slice(1, 3)) {
      const { status, type, json } = await get(`/events/${event.eventId}`);
      expect(status).toBe(200);
      expect(type).toMatch(/^application\/json/);
      expect(json).toMatchObject({ event_id: event.eventId, position: event.position, type: 'customer.updated' });
      expect(json.payload.event.id).toBe(event.eventId);
      // payload → data → deep → the nesting itself.
      expect(depthOf(json.payload.data.deep)).toBe(event.depth);
      expect(json.raw_body.size).toBe(Buffer.byteLength(event.body));
      expect(Buffer.from(json.raw_body.data, 'base64').toString()).toBe(event.body);
    }
  });

  it('GET /events answers 200 for every page holding them, neighbours intact', async () => {
    const whole = await get('/events?limit=10');
    expect(whole.status).toBe(200);
    expect(whole.json.data.map((e: { event_id: string }) => e.event_id)).toEqual(stored.map((e) => e.eventId));
    expect(depthOf(whole.json.data[1].payload.data.deep)).toBe(15_000);
    expect(depthOf(whole.json.data[2].payload.data.deep)).toBe(10_000);
    expect(whole.json.data[3].payload.data).toEqual({ plain: true });

    const one = await get(`/events?after=${stored[0].position}&limit=1`);
    expect(one.status).toBe(200);
    expect(one.json.data.map((e: { event_id: string }) => e.event_id)).toEqual([stored[1].eventId]);
    expect(one.json.next_after).toBe(stored[1].position);
  });

  it('GET /events/{id}/raw still gives the exact bytes', async () => {
    const response = await fetch(`${service.baseUrl}/events/${stored[1].eventId}/raw`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(stored[1].body);
  });
});
