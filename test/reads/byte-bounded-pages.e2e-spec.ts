import { EVENTS_PAGE_BYTE_BUDGET } from '../../apps/ledger/src/log/event-log.reader';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { storeEvent } from './stored-events';

/**
 * 560 events of ~1 MB with limit=1000 once took 1.4 GB and answered 500: a page of /events is
 * bounded by the bytes of its stored bodies as well as by count, and next_after carries on.
 */
describe('GET /events pages bounded by bytes', () => {
  let db: TestDatabase;
  let service: TestApp;
  const stored: { eventId: string; size: number }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url);
    const remember = (event: { eventId: string; body: string }) => stored.push({ eventId: event.eventId, size: Buffer.byteLength(event.body) });
    for (let i = 0; i < 12; i++) {
      remember(await storeEvent(db.pool, { dataJson: JSON.stringify({ i, blob: 'x'.repeat(900_000) }) }));
      if (i % 4 === 0) remember(await storeEvent(db.pool, { dataJson: JSON.stringify({ i, small: true }) }));
    }
    // One event larger than the whole budget still gets a page of its own.
    remember(await storeEvent(db.pool, { dataJson: JSON.stringify({ huge: 'y'.repeat(EVENTS_PAGE_BYTE_BUDGET + 100_000) }) }));
    remember(await storeEvent(db.pool, { dataJson: '{"last":true}' }));
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('stays under the budget on every page and, following next_after, returns every event exactly once', async () => {
    const seen: string[] = [];
    const pages: { events: number; storedBytes: number; answerBytes: number }[] = [];
    let after = 0;
    for (let round = 0; round < 50; round++) {
      const response = await fetch(`${service.baseUrl}/events?after=${after}&limit=1000`);
      expect(response.status).toBe(200);
      const text = await response.text();
      const page = JSON.parse(text) as { data: { event_id: string; position: number }[]; next_after: number | null };
      const ids = page.data.map((e) => e.event_id);
      seen.push(...ids);
      pages.push({
        events: ids.length,
        storedBytes: ids.reduce((sum, id) => sum + stored.find((s) => s.eventId === id)!.size, 0),
        answerBytes: Buffer.byteLength(text),
      });
      if (page.next_after === null) break;
      expect(page.next_after).toBe(page.data[page.data.length - 1].position);
      after = page.next_after;
    }

    expect(seen).toEqual(stored.map((s) => s.eventId));
    expect(pages.length).toBeGreaterThanOrEqual(4);
    for (const page of pages) {
      expect(page.events).toBeGreaterThanOrEqual(1);
      if (page.events > 1) {
        expect(page.storedBytes).toBeLessThanOrEqual(EVENTS_PAGE_BYTE_BUDGET);
        expect(page.answerBytes).toBeLessThan(EVENTS_PAGE_BYTE_BUDGET * 1.1);
      }
    }
    // Budget-sized pages, not one event at a time: 4 of the ~900 KB events fit in 4 MiB.
    expect(Math.max(...pages.map((p) => p.events))).toBeGreaterThanOrEqual(4);
    const huge = pages.find((p) => p.storedBytes > EVENTS_PAGE_BYTE_BUDGET);
    expect(huge?.events).toBe(1);
  });

});
