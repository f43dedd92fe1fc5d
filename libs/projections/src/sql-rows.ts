import type { PoolClient } from 'pg';

export interface Column {
  /** snake_case column name, also the key in each row object. */
  name: string;
  /** PostgreSQL type of the column (its values travel as an array of it). */
  type: string;
}

/**
 * One multi-row upsert: each column travels as one typed array parameter and the rows are zipped
 * back by unnest, so a batch costs one round trip whatever its size. Named statements (one per
 * table): PostgreSQL parses and plans them once per connection, not once per batch. They follow
 * search_path changes (a rebuild's shadow schema) by replanning.
 *
 * Arrays rather than one jsonb document unpacked by jsonb_to_recordset: PostgreSQL parsed that
 * document into jsonb (sorting every object's keys) before taking it apart again, which the
 * replay profile showed as about a sixth of the database's CPU.
 */
export async function upsertRows(
  client: PoolClient,
  table: string,
  primaryKey: string[],
  columns: Column[],
  rows: Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  await client.query({
    name: `upsert-${table}`,
    text: upsertSql(table, primaryKey, columns),
    values: columns.map((column) => arrayLiteral(column, rows)),
  });
}

const upsertSqlByTable = new Map<string, string>();

function upsertSql(table: string, primaryKey: string[], columns: Column[]): string {
  const known = upsertSqlByTable.get(table);
  if (known) return known;
  const names = columnNames(columns);
  const arrays = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
  const updates = columns
    .filter((c) => !primaryKey.includes(c.name))
    .map((c) => `${c.name} = EXCLUDED.${c.name}`)
    .join(', ');
  const sql = `INSERT INTO ${table} (${names})
     SELECT ${names} FROM unnest(${arrays}) AS r(${names})
     ON CONFLICT (${primaryKey.join(', ')}) DO UPDATE SET ${updates}`;
  upsertSqlByTable.set(table, sql);
  return sql;
}

/**
 * One column of every row as a PostgreSQL array literal. Written here rather than left to pg's
 * array serialiser, which runs two regular expressions over every element: most values here
 * are numbers, booleans, ids and timestamps with nothing to escape. jsonb values go as JSON
 * text, so a string stays a JSON string.
 */
export function arrayLiteral(column: Column, rows: Record<string, unknown>[]): string {
  const parts = new Array<string>(rows.length);
  const json = column.type === 'jsonb';
  for (let i = 0; i < rows.length; i++) {
    const value = rows[i][column.name];
    if (value === undefined || value === null) parts[i] = 'NULL';
    else if (json) parts[i] = quoted(JSON.stringify(value));
    else if (typeof value === 'number' || typeof value === 'bigint') parts[i] = String(value);
    else if (typeof value === 'boolean') parts[i] = value ? 't' : 'f';
    else if (value instanceof Date) parts[i] = quoted(value.toISOString());
    else parts[i] = quoted(String(value));
  }
  return `{${parts.join(',')}}`;
}

const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

/** An array element in double quotes: only `"` and `\` need a backslash inside them. */
const quoted = (text: string): string => `"${NEEDS_ESCAPE.test(text) ? text.replace(ESCAPED, '\\$&') : text}"`;

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

/** A bigint column (pg hands them over as strings); null stays null (an amount that could not be read), never 0. */
export const toNullableInt = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
export const toIso = (value: unknown): string | null => (value instanceof Date ? value.toISOString() : (value as string | null) ?? null);
