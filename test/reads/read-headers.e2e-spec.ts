import { useLedgerService } from '../support/ledger-service';
import { ServiceProcess } from '../support/service-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import { envelope, loadFixtureData, postWebhook } from '../support/voucherify';

const READ_TOKEN = 'read-token-headers-0123456789';
const CUSTOMER = 'cust_2myfc5acSBgoMV72R5tyTBc8';
const REDEMPTION_TYPE = 'customer.reward_redemptions.completed';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every route of the read API, each answering 200 once the fixture is projected. */
const READ_ROUTES = [
  `/customers/${CUSTOMER}`,
  `/customers/${CUSTOMER}/loyalty-cards`,
  `/customers/${CUSTOMER}/points-history`,
  `/customers/${CUSTOMER}/reward-redemptions`,
  `/customers/${CUSTOMER}/vouchers`,
  '/events',
  '/projections',
];

const authorised = (extra: Record<string, string> = {}) => ({ headers: { authorization: `Bearer ${READ_TOKEN}`, ...extra } });

describe('read API answers', () => {
  let db: TestDatabase;
  let service: TestApp;
  let position: number;
  let eventId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url, { readTokens: [READ_TOKEN] });
    const sent = await postWebhook(service.baseUrl, JSON.stringify(envelope(REDEMPTION_TYPE, loadFixtureData(REDEMPTION_TYPE))));
    position = sent.json.position;
    eventId = sent.json.event_id;
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it.each([...READ_ROUTES, '/events/EVENT_ID', '/events/EVENT_ID/raw', '/vouchers/NO-SUCH-CODE', '/reward-redemptions/rewr_unknown', '/customers/cust_%00', '/events?limit=0'])(
    '%s carries Cache-Control: no-store, refusals and 404s too',
    async (route) => {
      const path = route.replace('EVENT_ID', eventId);
      const served = await fetch(`${service.baseUrl}${path}`, authorised({ 'x-min-position': String(position) }));
      expect(served.status).toBeLessThan(500);
      expect(served.headers.get('cache-control')).toBe('no-store');
      const refused = await fetch(`${service.baseUrl}${path}`);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('cache-control')).toBe('no-store');
    },
  );

  it.each(['/events', '/projections'])('%s honours X-Min-Position (a malformed one is a 400)', async (path) => {
    const answer = await fetch(`${service.baseUrl}${path}`, authorised({ 'x-min-position': String(position) }));
    expect(answer.status).toBe(200);
    if (path === '/projections') {
      // Answered only once every projection had applied the event.
      const { data } = (await answer.json()) as { data: { checkpoint: unknown }[] };
      const { rows } = await db.pool.query('SELECT projection, position FROM projection_checkpoints');
      expect(data.length).toBeGreaterThan(0);
      for (const row of rows) expect(Number(row.position)).toBeGreaterThanOrEqual(position);
    }
    const malformed = await fetch(`${service.baseUrl}${path}`, authorised({ 'x-min-position': 'soon' }));
    expect(malformed.status).toBe(400);
  });
});

describe('X-Min-Position on /events and /projections while no projector runs', () => {
  // Unsigned webhooks (no secret), and no projector: positions the read models never reach.
  const service = useLedgerService({ projector: 'off', minPositionTimeoutMs: 300, webhookSecrets: [] });

  it.each(['/events', '/projections'])('%s waits, then answers 503 with the checkpoints', async (path) => {
    const sent = await postWebhook(service.baseUrl, JSON.stringify(envelope(REDEMPTION_TYPE, loadFixtureData(REDEMPTION_TYPE))));
    const started = Date.now();
    const answer = await fetch(`${service.baseUrl}${path}`, { headers: { 'x-min-position': String(sent.json.position) } });
    expect(answer.status).toBe(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(await answer.json()).toMatchObject({ status: 503, checkpoints: expect.any(Object) });
    // Without the header the read answers at once.
    expect((await fetch(`${service.baseUrl}${path}`)).status).toBe(200);
  });
});

describe('x-request-id', () => {
  let db: TestDatabase;
  let service: ServiceProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await ServiceProcess.start({ DATABASE_URL: db.url, LOG_LEVEL: 'info', PROJECTOR: 'off' });
  }, 120_000);
  afterAll(async () => {
    await service?.stop();
    await db?.drop();
  });

  const answeredId = async (given?: string) =>
    (await fetch(`${service.baseUrl}/events?limit=1`, given === undefined ? {} : { headers: { 'x-request-id': given } })).headers.get('x-request-id');

  it('keeps a short id of safe characters, replaces anything else with a UUID, in the answer and the log', async () => {
    const kept = ['trace-me-42', 'a'.repeat(128), '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'svc:req.7_x'];
    for (const id of kept) expect(await answeredId(id)).toBe(id);

    const huge = 'h'.repeat(3000);
    const refused = [huge, 'a'.repeat(129), 'has space', 'quote"and\\backslash', 'tab\there', 'caf\u00e9', '<script>', ''];
    for (const id of refused) expect(await answeredId(id)).toMatch(UUID);
    expect(await answeredId()).toMatch(UUID);

    await new Promise((r) => setTimeout(r, 300));
    const ids = service.output
      .split('\n')
      .filter((l) => l.includes('"responseTime"'))
      .map((l) => JSON.parse(l).req.id as string);
    expect(ids).toEqual(expect.arrayContaining(kept));
    expect(service.output).not.toContain(huge);
    expect(Math.max(...ids.map((id) => id.length))).toBeLessThanOrEqual(128);
  });
});
