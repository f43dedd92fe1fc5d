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
});
