import { Client } from 'pg';

/**
 * The two roles of the embedded server (`npm start` without DATABASE_URL): `ledger_owner` owns
 * the database and runs the migrations, `ledger_service` is what the service connects as (see
 * service-role-grants.ts for who may do what). The server listens on 127.0.0.1 only, so fixed
 * passwords protect nothing more than the superuser's fixed one already does.
 */
export const EMBEDDED_OWNER_ROLE = 'ledger_owner';
export const EMBEDDED_SERVICE_ROLE = 'ledger_service';

export interface RoleUrls {
  /** DATABASE_URL: the service's role. */
  serviceUrl: string;
  /** DATABASE_MIGRATION_URL: the owner's. */
  migrationUrl: string;
}

function asRole(url: string, role: string): string {
  const parsed = new URL(url);
  parsed.username = role;
  parsed.password = role;
  return parsed.toString();
}

/**
 * Creates both roles if needed and makes the owner role own the database, given a superuser's URL
 * of it. Idempotent, so it runs at every start. A data folder migrated before the roles existed
 * has its objects owned by the superuser: they go to the owner role, which hands the read models
 * to the service at its next migration run.
 */
export async function setUpEmbeddedRoles(superuserUrl: string): Promise<RoleUrls> {
  const client = new Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    for (const role of [EMBEDDED_OWNER_ROLE, EMBEDDED_SERVICE_ROLE]) {
      const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      if (exists.rowCount === 0) await client.query(`CREATE ROLE ${role} LOGIN PASSWORD '${role}'`);
    }
    // The owner may act as the service (alter its tables in later migrations), never the reverse.
    await client.query(`GRANT ${EMBEDDED_SERVICE_ROLE} TO ${EMBEDDED_OWNER_ROLE}`);
    const { rows } = await client.query<{ db: string; superuser: string }>('SELECT current_database() AS db, current_user AS superuser');
    const { db, superuser } = rows[0];
    await client.query(`ALTER DATABASE "${db.replace(/"/g, '""')}" OWNER TO ${EMBEDDED_OWNER_ROLE}`);
    await takeOverFromSuperuser(client, superuser);
  } finally {
    await client.end();
  }
  return { serviceUrl: asRole(superuserUrl, EMBEDDED_SERVICE_ROLE), migrationUrl: asRole(superuserUrl, EMBEDDED_OWNER_ROLE) };
}

/** Objects the superuser created (migrations run as it before the roles existed) go to the owner role. */
async function takeOverFromSuperuser(client: Client, superuser: string): Promise<void> {
  const owned = await client.query<{ kind: string; name: string }>(
    `SELECT 'SCHEMA' AS kind, quote_ident(nspname) AS name FROM pg_namespace
       WHERE nspname IN ('ledger_rebuild', 'ledger_retired') AND pg_get_userbyid(nspowner) = $1
     UNION ALL
     SELECT 'TABLE', quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p') AND n.nspname IN ('public', 'ledger_rebuild', 'ledger_retired') AND pg_get_userbyid(c.relowner) = $1
     UNION ALL
     SELECT 'FUNCTION', p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) = $1`,
    [superuser],
  );
  if (owned.rowCount === 0) return;
  await client.query(`GRANT CREATE ON SCHEMA public TO ${EMBEDDED_OWNER_ROLE}`); // in case public is not owned by pg_database_owner
  for (const { kind, name } of owned.rows) await client.query(`ALTER ${kind} ${name} OWNER TO ${EMBEDDED_OWNER_ROLE}`);
}
