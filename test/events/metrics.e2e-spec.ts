import perfHooks = require('node:perf_hooks');
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { envelope, loadFixtureData, postWebhook } from '../support/voucherify';

describe('GET /metrics', () => {
  let db: TestDatabase;
  let service: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url, { projector: 'off' });
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('counts ingested events by type and outcome, times them, and shows projection lag and the pool', async () => {
    const body = JSON.stringify(envelope('voucher.published', loadFixtureData('voucher.published')));
    await postWebhook(service.baseUrl, body);
    await postWebhook(service.baseUrl, body);
    await postWebhook(service.baseUrl, '{not json');
    await postWebhook(service.baseUrl, JSON.stringify(envelope('some.future.type', {})));

    const response = await fetch(`${service.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('ledger_ingested_events_total{type="voucher.published",outcome="appended"} 1');
    expect(text).toContain('ledger_ingested_events_total{type="voucher.published",outcome="duplicate"} 1');
    expect(text).toContain('ledger_ingested_events_total{type="other",outcome="appended"} 1');
    expect(text).toContain('ledger_ingested_events_total{type="none",outcome="malformed_json"} 1');
    expect(text).toMatch(/ledger_ingest_duration_seconds_count\{outcome="appended"\} 2/);
    // The projector is off here: every projection is 2 events behind.
    expect(text).toContain('ledger_projection_lag_events{projection="loyalty_cards"} 2');
    expect(text).toMatch(/ledger_projection_lag_seconds\{projection="loyalty_cards"\} [0-9.]+/);
    expect(text).toContain('ledger_projection_parked_events{projection="loyalty_cards"} 0');
    expect(text).toMatch(/ledger_db_pool_connections\{state="total"\} \d+/);
  });

  describe('with the projector on', () => {
    let projecting: TestApp;
    let projectingDb: TestDatabase;

    beforeAll(async () => {
      projectingDb = await createTestDatabase();
      projecting = await startTestApp(projectingDb.url, { projector: 'on' });
    });
    afterAll(async () => {
      await projecting?.close();
      await projectingDb?.drop();
    });

    it('counts the events of every live batch and times each projection on it', async () => {
      let position = 0;
      for (const type of ['voucher.published', 'customer.rewarded', 'redemption.succeeded']) {
        const answer = await postWebhook(projecting.baseUrl, JSON.stringify(envelope(type, loadFixtureData(type))));
        expect(answer.status).toBe(202);
        position = answer.json.position;
      }
      // Every projection has applied the three events once this read answers.
      const read = await fetch(`${projecting.baseUrl}/events?limit=1`, { headers: { 'x-min-position': String(position) } });
      expect(read.status).toBe(200);

      // The read waits for the read models; the pass that applied them also carries the event
      // chain (not a read model), and records its metrics once all of it is done: a moment later.
      const scrape = async () => (await fetch(`${projecting.baseUrl}/metrics`)).text();
      const eventsCounted = (text: string) => Number(/^ledger_projector_batch_events_sum (\d+)$/m.exec(text)?.[1] ?? 0);
      let text = await scrape();
      const deadline = Date.now() + 5_000;
      while (eventsCounted(text) < 3 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        text = await scrape();
      }
      // Each event is read once by the live pass, whatever the batches were.
      expect(text).toMatch(/^ledger_projector_batch_events_sum 3$/m);
      const batches = Number(/^ledger_projector_batch_events_count (\d+)$/m.exec(text)?.[1]);
      expect(batches).toBeGreaterThanOrEqual(1);
      expect(batches).toBeLessThanOrEqual(3);
      for (const projection of ['ledger', 'customers', 'loyalty_cards']) {
        expect(text).toContain(`ledger_projection_batch_duration_seconds_count{projection="${projection}"} ${batches}`);
      }
    });
  });

  it("stops the process metrics' event-loop monitor and GC observer when the application closes", async () => {
    // prom-client starts both for each application and has no way to stop them: left running, every
    // application a test process ever started kept a 10 ms timer and its registry alive.
    const monitorEventLoopDelay = jest.spyOn(perfHooks, 'monitorEventLoopDelay');
    const disconnect = jest.spyOn(perfHooks.PerformanceObserver.prototype, 'disconnect');
    const db = await createTestDatabase();
    try {
      const app = await startTestApp(db.url, { projector: 'off' });
      expect(monitorEventLoopDelay).toHaveBeenCalledTimes(1);
      const monitor = monitorEventLoopDelay.mock.results[0].value as perfHooks.IntervalHistogram;
      const samplesIn = async (ms: number) => {
        const before = monitor.count;
        await new Promise((r) => setTimeout(r, ms));
        return monitor.count - before;
      };
      expect(await samplesIn(200)).toBeGreaterThan(0);
      expect((await fetch(`${app.baseUrl}/metrics`).then((r) => r.text())).match(/^nodejs_eventloop_lag_p99_seconds /m)).not.toBeNull();
      await app.close();
      expect(await samplesIn(200)).toBe(0);
      expect(disconnect).toHaveBeenCalledTimes(1);
    } finally {
      monitorEventLoopDelay.mockRestore();
      disconnect.mockRestore();
      await db.drop();
    }
  });
});
