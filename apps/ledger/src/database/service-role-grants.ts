/**
 * Who may do what, when the service connects as a role of its own (DATABASE_URL) and migrations
 * run as the owner (DATABASE_MIGRATION_URL):
 *
 * - the owner owns the history: `events`, `event_chain`, their trigger function, the erasure
 *   function `ledger_erase` and the migrations table. The service may only INSERT and SELECT
 *   there, and call `ledger_erase` (which removes personal fields only), so it can neither UPDATE,
 *   DELETE or TRUNCATE the log, nor ALTER it or switch its append-only trigger off (that needs
 *   ownership), nor replace the trigger's function;
 * - the service owns everything else (read models, checkpoints, dead letters, refused deliveries,
 *   the rebuild's shadow schemas): a rebuild creates tables and swaps them by renaming, which
 *   needs ownership, and retention deletes refused deliveries;
 * - the owner is a member of the service role, so later migrations (run as the owner) can still
 *   alter the service's tables; the service is never a member of the owner.
 *
 * Applied after every migration run, under the migration lock, and idempotent: tables a new
 * migration creates (owned by the owner) are handed to the service at the next start, and a
 * database that ran single-role before is converted. Statements run only when something is off, so
 * a normal start takes no table lock.
 */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any[]>;
}

/** The history: owned by the owner, append-only for the service. */
const HISTORY_TABLES: Record<string, string> = {
  events: 'SELECT, INSERT',
  event_chain: 'SELECT, INSERT',
  typeorm_migrations: 'SELECT',
  // Which fields an erasure may remove, and the chain's form: the owner's, read by the service.
  erasable_fields: 'SELECT',
  chain_forms: 'SELECT',
};
const HISTORY_FUNCTIONS = ['events_refuse_change()', 'events_guard_redaction()', 'ledger_erase(text, text, jsonb, jsonb)'];
/** Owner's functions the service calls: erasure is the one way it can change an event, and only as the function allows. */
const SERVICE_CALLS = ['ledger_erase(text, text, jsonb, jsonb)'];
/** Where the service's own tables live (public, and the rebuild's shadow and retired schemas). */
const SERVICE_SCHEMAS = ['public', 'ledger_rebuild', 'ledger_retired'];
const FORBIDDEN_ON_HISTORY = ['UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'];

export class ServiceRoleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceRoleError';
  }
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function one<T>(db: Queryable, sql: string, params: unknown[] = []): Promise<T> {
  return (await db.query(sql, params))[0] as T;
}

/**
 * Gives `service` exactly the rights above; `db` is connected as the owner. Returns warnings about
 * what could not be made safe (e.g. a service role that is a superuser).
 */
export async function secureServiceRole(db: Queryable, service: string): Promise<string[]> {
  const { owner } = await one<{ owner: string }>(db, 'SELECT current_user AS owner');
  if (owner === service) return [];
  const roles = await one<{ exists: boolean; owner_in_service: boolean; service_in_owner: boolean }>(
    db,
    `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists,
            pg_has_role(current_user, $1, 'MEMBER') AS owner_in_service,
            EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AND pg_has_role($1, current_user, 'MEMBER') AS service_in_owner`,
    [service],
  );
  if (!roles.exists) throw new ServiceRoleError(`the service role ${service} does not exist`);
  if (!roles.owner_in_service) {
    throw new ServiceRoleError(`the migration role ${owner} must be a member of the service role ${service}: GRANT ${ident(service)} TO ${ident(owner)}`);
  }
  if (roles.service_in_owner) {
    throw new ServiceRoleError(`the service role ${service} is a member of the migration role ${owner}: it could rewrite the log; REVOKE ${ident(owner)} FROM ${ident(service)}`);
  }

  await takeHistory(db, owner, service);
  await grantSchemaRights(db, service); // first: a new owner needs CREATE on the table's schema
  await handOverTheRest(db, service);
  return warnings(db, service);
}

async function takeHistory(db: Queryable, owner: string, service: string): Promise<void> {
  for (const [table, rights] of Object.entries(HISTORY_TABLES)) {
    const row = await one<{ owner: string } | undefined>(
      db,
      `SELECT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE oid = to_regclass($1)`,
      [`public.${table}`],
    );
    if (!row) continue;
    // Owned by the service (a database that ran single-role): the owner, a member of it, takes it.
    if (row.owner !== owner) await db.query(`ALTER TABLE public.${table} OWNER TO ${ident(owner)}`);
    const wrong = await one<{ wrong: boolean }>(
      db,
      `SELECT bool_or(has_table_privilege($1, $2, p)) OR NOT bool_and(has_table_privilege($1, $2, w)) AS wrong
       FROM unnest($3::text[]) p, unnest($4::text[]) w`,
      [service, `public.${table}`, FORBIDDEN_ON_HISTORY, rights.split(', ')],
    );
    if (wrong.wrong) {
      await db.query(`REVOKE ALL ON public.${table} FROM ${ident(service)}`);
      await db.query(`GRANT ${rights} ON public.${table} TO ${ident(service)}`);
    }
  }
  for (const fn of HISTORY_FUNCTIONS) {
    const row = await one<{ owner: string } | undefined>(
      db,
      `SELECT pg_get_userbyid(proowner) AS owner FROM pg_proc WHERE oid = to_regprocedure($1)`,
      [`public.${fn}`],
    );
    if (row && row.owner !== owner) await db.query(`ALTER FUNCTION public.${fn} OWNER TO ${ident(owner)}`);
  }
  for (const fn of SERVICE_CALLS) {
    const row = await one<{ allowed: boolean } | undefined>(db, `SELECT has_function_privilege($1, to_regprocedure($2), 'EXECUTE') AS allowed WHERE to_regprocedure($2) IS NOT NULL`, [
      service,
      `public.${fn}`,
    ]);
    if (row && !row.allowed) await db.query(`GRANT EXECUTE ON FUNCTION public.${fn} TO ${ident(service)}`);
  }
  // PostgreSQL 17 can let a role vacuum a table it does not own: an erasure vacuums the bodies it rewrote.
  const maintain = await one<{ missing: boolean }>(
    db,
    `SELECT CASE WHEN current_setting('server_version_num')::int >= 170000
                 THEN NOT has_table_privilege($1, 'public.events', 'MAINTAIN') ELSE false END AS missing`,
    [service],
  ).catch(() => ({ missing: false }));
  if (maintain.missing) await db.query(`GRANT MAINTAIN ON public.events TO ${ident(service)}`);
}

/** Every other table (and the shadow schemas) to the service: the rebuild renames and replaces them. */
async function handOverTheRest(db: Queryable, service: string): Promise<void> {
  const schemas = await db.query(
    `SELECT nspname FROM pg_namespace WHERE nspname = ANY($1::text[]) AND nspname <> 'public' AND pg_get_userbyid(nspowner) <> $2`,
    [SERVICE_SCHEMAS, service],
  );
  for (const { nspname } of schemas) await db.query(`ALTER SCHEMA ${ident(nspname)} OWNER TO ${ident(service)}`);
  const tables = await db.query(
    `SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1::text[]) AND pg_get_userbyid(c.relowner) <> $2
       AND NOT (n.nspname = 'public' AND c.relname = ANY($3::text[]))`,
    [SERVICE_SCHEMAS, service, Object.keys(HISTORY_TABLES)],
  );
  for (const { nspname, relname } of tables) await db.query(`ALTER TABLE ${ident(nspname)}.${ident(relname)} OWNER TO ${ident(service)}`);
}

/** A rebuild creates its schemas (CREATE on the database) and moves tables into public (CREATE there). */
async function grantSchemaRights(db: Queryable, service: string): Promise<void> {
  const has = await one<{ database: boolean; public: boolean }>(
    db,
    `SELECT has_database_privilege($1, current_database(), 'CREATE') AS database,
            has_schema_privilege($1, 'public', 'CREATE') AND has_schema_privilege($1, 'public', 'USAGE') AS public`,
    [service],
  );
  const database = (await one<{ name: string }>(db, 'SELECT current_database() AS name')).name;
  // Needs the owner to own the database (and so, since PostgreSQL 15, the public schema); if it
  // does not, the warnings below say what the service still lacks.
  if (!has.database) await db.query(`GRANT CREATE ON DATABASE ${ident(database)} TO ${ident(service)}`).catch(() => undefined);
  if (!has.public) await db.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${ident(service)}`).catch(() => undefined);
}

async function warnings(db: Queryable, service: string): Promise<string[]> {
  const state = await one<{ superuser: boolean; owns_events: boolean; can_rewrite: boolean; database: boolean; public: boolean }>(
    db,
    `SELECT r.rolsuper AS superuser,
            pg_has_role($1, (SELECT relowner FROM pg_class WHERE oid = to_regclass('public.events')), 'USAGE') AS owns_events,
            has_table_privilege($1, 'public.events', 'UPDATE') OR has_table_privilege($1, 'public.events', 'DELETE')
              OR has_table_privilege($1, 'public.events', 'TRUNCATE') AS can_rewrite,
            has_database_privilege($1, current_database(), 'CREATE') AS database,
            has_schema_privilege($1, 'public', 'CREATE') AS public
     FROM pg_roles r WHERE r.rolname = $1`,
    [service],
  );
  const found: string[] = [];
  if (state.superuser) found.push(`the service role ${service} is a superuser: the database cannot stop it from rewriting the log`);
  else if (state.owns_events || state.can_rewrite) found.push(`the service role ${service} can still change or disable the events table`);
  if (!state.database || !state.public) {
    found.push(`the service role ${service} lacks CREATE on the database or on schema public: rebuilds will fail; make the migration role the database owner`);
  }
  return found;
}
