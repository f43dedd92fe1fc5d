import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { rebuildProjections } from '../../libs/event-store/src';
import { rebuildTargets } from '../../libs/projections/src';
import { setUpEmbeddedRoles } from '../../apps/ledger/src/database/roles';
import { secureServiceRole } from '../../apps/ledger/src/database/service-role-grants';
import { runCli } from '../support/cli';
import { getJson } from '../support/read-api';
import { dumpReadModels } from '../support/read-model-dump';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startTestApp } from '../support/test-app';
import { envelope, FIXTURE_TYPES, loadFixtureData, postWebhook } from '../support/voucherify';

function asRole(url: string, role: string): string {
  const parsed = new URL(url);
  parsed.username = role;
  parsed.password = role;
  return parsed.toString();
}

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('timed out');
}

/** Everything that would rewrite or unprotect the log, tried as the service's role: each must be refused by PostgreSQL's privileges. */
async function expectLogProtected(service: Pool): Promise<void> {
  const refused = async (sql: string, message: RegExp) => {
    const error = await service.query(sql).then(
      () => undefined,
      (e: Error & { code?: string }) => e,
    );
    expect({ sql, code: error?.code, message: error?.message }).toMatchObject({ sql, code: '42501', message: expect.stringMatching(message) });
  };
  await refused('ALTER TABLE events DISABLE TRIGGER events_refuse_update_delete', /must be owner of table events/);
  await refused('ALTER TABLE events DISABLE TRIGGER ALL', /must be owner of table events/);
  await refused(`UPDATE events SET event_type = 'forged'`, /permission denied for table events/);
  await refused('DELETE FROM events', /permission denied for table events/);
  await refused('TRUNCATE events', /permission denied for table events/);
  await refused('DROP TABLE events', /must be owner of table events/);
  await refused('ALTER TABLE event_chain DISABLE TRIGGER ALL', /must be owner of table event_chain/);
  await refused('UPDATE event_chain SET hash = prev_hash', /permission denied for table event_chain/);
  await refused('DELETE FROM event_chain', /permission denied for table event_chain/);
  await refused('TRUNCATE event_chain', /permission denied for table event_chain/);
  await refused(
    `CREATE OR REPLACE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`,
    /must be owner of function events_refuse_change/,
  );
  await refused(`DELETE FROM typeorm_migrations`, /permission denied for table typeorm_migrations/);
}

/** Ingest, projector, chain, refusals and their retention, a rebuild and `ledger verify`, all as the service's role. */
async function expectServiceWorks(serviceUrl: string, migrationUrl: string, service: Pool): Promise<void> {
  const app = await startTestApp(serviceUrl, { databaseMigrationUrl: migrationUrl, projectorPollMs: 50 });
  try {
    let head = 0;
    for (const type of FIXTURE_TYPES) {
      const answer = await postWebhook(app.baseUrl, JSON.stringify(envelope(type, loadFixtureData(type))));
      expect(answer.status).toBe(202);
      head = answer.json.position;
    }
    expect((await getJson(app.baseUrl, '/customers/cust_2myfc5acSBgoMV72R5tyTBc8', head)).status).toBe(200);
    expect((await postWebhook(app.baseUrl, '{"not json')).status).toBe(400);
    await waitFor(async () => (await service.query('SELECT count(*)::int AS n FROM event_chain')).rows[0].n === FIXTURE_TYPES.length);
  } finally {
    await app.close();
  }
  expect((await service.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBeGreaterThanOrEqual(FIXTURE_TYPES.length);
  expect((await service.query('DELETE FROM rejected_deliveries')).rowCount).toBeGreaterThanOrEqual(1); // retention

  const live = await dumpReadModels(service);
  await rebuildProjections(service, rebuildTargets('all'));
  expect(await dumpReadModels(service)).toEqual(live);

  const verified = await runCli(['verify'], { DATABASE_URL: serviceUrl, DATABASE_MIGRATION_URL: migrationUrl });
  expect(verified.stderr).toBe('');
  expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, checked: FIXTURE_TYPES.length });
}

describe('database roles: the service connects as a role that can only append to the log', () => {
  let db: TestDatabase;
  let owner: string;
  let serviceRole: string;
  let service: Pool;
  let ownerPool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
    const suffix = randomBytes(4).toString('hex');
    owner = `ledger_owner_${suffix}`;
    serviceRole = `ledger_service_${suffix}`;
    // What deploy/postgres/init-roles.sh does for docker compose.
    await db.pool.query(`CREATE ROLE ${owner} LOGIN PASSWORD '${owner}'`);
    await db.pool.query(`CREATE ROLE ${serviceRole} LOGIN PASSWORD '${serviceRole}'`);
    await db.pool.query(`GRANT ${serviceRole} TO ${owner}`);
    await db.pool.query(`ALTER DATABASE ${db.name} OWNER TO ${owner}`);
    service = new Pool({ connectionString: asRole(db.url, serviceRole), max: 4 });
    ownerPool = new Pool({ connectionString: asRole(db.url, owner), max: 2 });
  });
  afterAll(async () => {
    await service?.end();
    await ownerPool?.end();
    await db?.drop();
  });

  it('migrates as the owner, then serves: ingest, projector, chain, retention, rebuild, verify', async () => {
    await expectServiceWorks(asRole(db.url, serviceRole), asRole(db.url, owner), service);
    const owners = await db.pool.query(
      `SELECT relname, pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relname IN ('events', 'event_chain', 'customers', 'projection_checkpoints', 'rejected_deliveries') ORDER BY relname`,
    );
    expect(Object.fromEntries(owners.rows.map((r) => [r.relname, r.owner]))).toEqual({
      customers: serviceRole,
      event_chain: owner,
      events: owner,
      projection_checkpoints: serviceRole,
      rejected_deliveries: serviceRole,
    });
  }, 120_000);

  it('refuses the service every way of rewriting the log or switching its protection off', async () => {
    await expectLogProtected(service);
  });

  it('lets later migrations (run as the owner) alter the read models the service created', async () => {
    await ownerPool.query('ALTER TABLE customers ADD COLUMN migration_probe integer');
    await ownerPool.query('ALTER TABLE customers DROP COLUMN migration_probe');
  });

  it('a second start keeps the log protected, and the grants have nothing left to warn about', async () => {
    const app = await startTestApp(asRole(db.url, serviceRole), { databaseMigrationUrl: asRole(db.url, owner), projector: 'off' });
    await app.close();
    await expectLogProtected(service);
    expect(await secureServiceRole({ query: async (sql, params) => (await ownerPool.query(sql, params)).rows }, serviceRole)).toEqual([]);
  }, 60_000);

  it('refuses to start when the migration role cannot act as the service role', async () => {
    const stranger = `${serviceRole}_stranger`;
    await db.pool.query(`CREATE ROLE ${stranger} LOGIN PASSWORD '${stranger}'`);
    await expect(
      startTestApp(asRole(db.url, stranger), { databaseMigrationUrl: asRole(db.url, owner), projector: 'off' }),
    ).rejects.toThrow(`the migration role ${owner} must be a member of the service role ${stranger}`);
  }, 60_000);
});

describe('database roles of the embedded server', () => {
  it('converts a log migrated by the superuser (a data folder from before the roles) and protects it', async () => {
    const db = await createTestDatabase(); // migrated by the suite's superuser, like an old ./.data/postgres
    const { serviceUrl, migrationUrl } = await setUpEmbeddedRoles(db.url);
    expect(new URL(serviceUrl).username).toBe('ledger_service');
    expect(new URL(migrationUrl).username).toBe('ledger_owner');
    const service = new Pool({ connectionString: serviceUrl, max: 4 });
    try {
      await expectServiceWorks(serviceUrl, migrationUrl, service);
      await expectLogProtected(service);
      await setUpEmbeddedRoles(db.url); // every start runs it again
    } finally {
      await service.end();
      await db.drop();
    }
  }, 120_000);
});
