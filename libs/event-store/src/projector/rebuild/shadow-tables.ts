import type { Pool, PoolClient } from 'pg';
import { restartCheckpoint } from '../checkpoints';
import { inTransaction } from '../transactions';

/**
 * The shadow tables live in their own schema under the live tables' names: the projection's SQL
 * is unchanged, each rebuild transaction puts this schema first on its search_path.
 */
export const SHADOW_SCHEMA = 'ledger_rebuild';
/** Where the live tables go at the swap, until they are dropped. */
const RETIRED_SCHEMA = 'ledger_retired';
/**
 * Key (with 0) of the transaction-level advisory lock that serialises the DDL every rebuild
 * shares: two `CREATE SCHEMA IF NOT EXISTS` of one schema at once both see it missing, and one
 * fails on pg_namespace's unique index. Rebuilds of different projections run side by side, from
 * any number of processes, so they take this lock in the transaction of each such statement.
 */
const SHARED_DDL_LOCK_CLASS = 7_346_013;

/** Takes the shared-DDL lock in the caller's transaction; it is released at commit or rollback. */
export async function lockSharedDdl(client: PoolClient): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1, 0)', [SHARED_DDL_LOCK_CLASS]);
}

/** `CREATE SCHEMA IF NOT EXISTS` for the shadow tables, one rebuild at a time across all processes (see SHARED_DDL_LOCK_CLASS). */
export async function createShadowSchema(pool: Pool): Promise<void> {
  await inTransaction(pool, {}, async (client) => {
    await lockSharedDdl(client);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${SHADOW_SCHEMA}`);
  });
}

/**
 * Creates empty shadow tables and starts their checkpoint over, or keeps those of an interrupted
 * rebuild to resume. Returns the events already applied to them.
 */
export async function prepareShadow(pool: Pool, tables: readonly string[], checkpointName: string, fresh: boolean): Promise<number> {
  const existing = await pool.query<{ tables: number; applied: string | null }>(
    `SELECT (SELECT count(*)::int FROM pg_tables WHERE schemaname = $1 AND tablename = ANY($2::text[])) AS tables,
            (SELECT events_applied FROM projection_checkpoints WHERE projection = $3) AS applied`,
    [SHADOW_SCHEMA, tables, checkpointName],
  );
  const found = existing.rows[0];
  if (!fresh && found.tables === tables.length && found.applied !== null) return Number(found.applied);

  for (const table of tables) {
    await pool.query(`DROP TABLE IF EXISTS ${SHADOW_SCHEMA}.${table}`);
    // Only the primary key while loading (the upserts need it); the other indexes are built once,
    // after the load (buildSecondaryIndexes), which is much cheaper than maintaining them per row.
    await pool.query(`CREATE TABLE ${SHADOW_SCHEMA}.${table} (LIKE public.${table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    const primaryKey = await pool.query<{ definition: string }>(
      `SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'p'`,
      [`public.${table}`],
    );
    if (primaryKey.rows[0]) await pool.query(`ALTER TABLE ${SHADOW_SCHEMA}.${table} ADD ${primaryKey.rows[0].definition}`);
  }
  await restartCheckpoint(pool, checkpointName);
  return 0;
}

/** The live table's other indexes, under the same names, on the loaded shadow table. */
export async function buildSecondaryIndexes(pool: Pool, table: string): Promise<void> {
  const indexes = await pool.query<{ definition: string }>(
    `SELECT pg_get_indexdef(i.indexrelid) AS definition FROM pg_index i
     WHERE i.indrelid = $1::regclass AND NOT i.indisprimary`,
    [`public.${table}`],
  );
  for (const { definition } of indexes.rows) {
    const onShadow = definition
      .replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX IF NOT EXISTS ')
      .replace(` ON public.${table} `, ` ON ${SHADOW_SCHEMA}.${table} `);
    await pool.query(onShadow);
  }
}

/** Locks the shadow tables against everyone else until the caller's transaction ends. */
export async function lockShadowTables(client: PoolClient, tables: readonly string[]): Promise<void> {
  await client.query(`LOCK TABLE ${tables.map((table) => `${SHADOW_SCHEMA}.${table}`).join(', ')} IN ACCESS EXCLUSIVE MODE`);
}

/**
 * In the caller's transaction, which holds the shared-DDL lock: moves the live tables out to the
 * retired schema and the shadow tables in under their names. Resets the search_path to public.
 */
export async function moveShadowTablesIn(client: PoolClient, tables: readonly string[]): Promise<void> {
  await client.query(`SELECT set_config('search_path', 'public', true)`);
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${RETIRED_SCHEMA}`);
  for (const table of tables) {
    await client.query(`DROP TABLE IF EXISTS ${RETIRED_SCHEMA}.${table}`);
    await client.query(`ALTER TABLE public.${table} SET SCHEMA ${RETIRED_SCHEMA}`);
    await client.query(`ALTER TABLE ${SHADOW_SCHEMA}.${table} SET SCHEMA public`);
  }
}

/** Drops the tables a swap retired. */
export async function dropRetiredTables(pool: Pool, tables: readonly string[]): Promise<void> {
  for (const table of tables) await pool.query(`DROP TABLE IF EXISTS ${RETIRED_SCHEMA}.${table}`);
}
