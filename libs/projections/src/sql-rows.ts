import type { PoolClient } from 'pg';

export interface Column {
  /** snake_case column name, also the key in each row object. */
  name: string;
  /** PostgreSQL type, for jsonb_to_recordset. */
  type: string;
}

/**
 * One multi-row upsert: the rows travel as one jsonb parameter and are unpacked by
 * jsonb_to_recordset, so a batch costs one round trip whatever its size. Named statements
 * (one per table): PostgreSQL parses and plans them once per connection, not once per batch.
 * They follow search_path changes (a rebuild's shadow schema) by replanning.
 */
export async function upsertRows(
  client: PoolClient,
  table: string,
  primaryKey: string[],
  columns: Column[],
  rows: Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  const names = columnNames(columns);
  const definition = columns.map((c) => `${c.name} ${c.type}`).join(', ');
  const updates = columns
    .filter((c) => !primaryKey.includes(c.name))
    .map((c) => `${c.name} = EXCLUDED.${c.name}`)
    .join(', ');
  await client.query({
    name: `upsert-${table}`,
    text: `INSERT INTO ${table} (${names})
     SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS r(${definition})
     ON CONFLICT (${primaryKey.join(', ')}) DO UPDATE SET ${updates}`,
    values: [JSON.stringify(rows)],
  });
}

/**
 * The columns, listed: a named statement must never say `SELECT *`. PostgreSQL refuses to
 * re-plan a prepared statement whose result columns changed (a migration adding a column while
 * this process runs), and the statement would then fail until its connection closes.
 */
export const columnNames = (columns: Column[]): string => columns.map((c) => c.name).join(', ');

export async function selectByKeys<R>(client: PoolClient, table: string, key: string, columns: Column[], keys: string[]): Promise<R[]> {
  const result = await client.query({
    name: `select-${table}-by-${key}`,
    text: `SELECT ${columnNames(columns)} FROM ${table} WHERE ${key} = ANY($1::text[])`,
    values: [keys],
  });
  return result.rows as R[];
}

/** bigint columns come back from pg as strings. */
export const toInt = (value: unknown): number => Number(value ?? 0);
export const toIso = (value: unknown): string | null => (value instanceof Date ? value.toISOString() : (value as string | null) ?? null);
