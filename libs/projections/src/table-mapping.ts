import type { PoolClient } from 'pg';
import type { KeyedReadModel } from './read-model';
import type { SourceTime } from './source-time';
import { Column, selectByKeys, toIso, toNullableInt, upsertRows } from './sql-rows';

/**
 * One column of a read-model table, declared once: its name and PostgreSQL type, and the field
 * of the document it holds. The row mapping in both directions, the upsert and the SELECT list
 * are all derived from these declarations, so adding a column touches one line (and its
 * migration).
 */
export type ColumnSpec<S> =
  | {
      name: string;
      type: string;
      field: keyof S & string;
      /** Row value → field value; by default chosen by the type (bigint → number or null, timestamptz → ISO text). */
      read?: (value: unknown) => unknown;
    }
  | {
      /** A column built from several fields (or part of one): both directions given. */
      name: string;
      type: string;
      write: (state: S) => unknown;
      /** `partial` is the document read so far (columns are read in declaration order). */
      read: (value: unknown, partial: Partial<S>) => Partial<S>;
    };

export interface TableMapping<S> {
  readonly table: string;
  readonly primaryKey: readonly string[];
  readonly columns: Column[];
  fromRow(row: Record<string, unknown>): S;
  toRow(state: S): Record<string, unknown>;
  /** The documents whose `key` column is one of `keys`. */
  selectByKeys(client: PoolClient, key: string, keys: string[]): Promise<S[]>;
  /** One multi-row upsert of the documents' rows. */
  upsert(client: PoolClient, states: Iterable<S>): Promise<void>;
}

/** pg hands bigint over as text and timestamptz as a Date; the documents hold numbers and ISO text. */
function defaultRead(type: string): ((value: unknown) => unknown) | undefined {
  if (type === 'bigint') return toNullableInt;
  if (type === 'timestamptz') return toIso;
  return undefined;
}

export function tableMapping<S>(table: string, primaryKey: string[], specs: ColumnSpec<S>[]): TableMapping<S> {
  const columns = specs.map(({ name, type }) => ({ name, type }));
  const readers = specs.map((spec) => {
    if ('field' in spec) {
      const read = spec.read ?? defaultRead(spec.type);
      return (row: Record<string, unknown>, state: Record<string, unknown>) => {
        state[spec.field] = read ? read(row[spec.name]) : row[spec.name];
      };
    }
    return (row: Record<string, unknown>, state: Record<string, unknown>) => Object.assign(state, spec.read(row[spec.name], state as Partial<S>));
  });
  const writers = specs.map((spec) =>
    'field' in spec
      ? (state: S, row: Record<string, unknown>) => (row[spec.name] = state[spec.field])
      : (state: S, row: Record<string, unknown>) => (row[spec.name] = spec.write(state)),
  );
  const mapping: TableMapping<S> = {
    table,
    primaryKey,
    columns,
    fromRow(row) {
      const state: Record<string, unknown> = {};
      for (const read of readers) read(row, state);
      return state as S;
    },
    toRow(state) {
      const row: Record<string, unknown> = {};
      for (const write of writers) write(state, row);
      return row;
    },
    async selectByKeys(client, key, keys) {
      const rows = await selectByKeys<Record<string, unknown>>(client, table, key, columns, keys);
      return rows.map(mapping.fromRow);
    },
    upsert: (client, states) => upsertRows(client, table, primaryKey, columns, [...states].map(mapping.toRow)),
  };
  return mapping;
}

/**
 * The load and save of a read model whose documents are one row each, keyed by one column: most
 * read models are, and none should spell the two out again.
 */
export function oneRowPerDocument<S>(
  mapping: TableMapping<S>,
  keyColumn: string,
  keyOf: (document: S) => string,
): Pick<KeyedReadModel<S, any>, 'load' | 'save'> {
  return {
    async load(client, keys) {
      const documents = await mapping.selectByKeys(client, keyColumn, keys);
      return new Map(documents.map((document) => [keyOf(document), document]));
    },
    save: (client, changed) => mapping.upsert(client, changed.values()),
  };
}

/** A fact's source time in two columns: the time, and whether the received time stood in for it. */
export function sourceTimeColumns<S extends { time: SourceTime }>(name: string): ColumnSpec<S>[] {
  return [
    {
      name,
      type: 'timestamptz',
      write: (f) => f.time.at,
      read: (value, partial) => ({ time: { untrusted: false, ...partial.time, at: toIso(value) } }) as Partial<S>,
    },
    {
      name: `${name}_untrusted`,
      type: 'boolean',
      write: (f) => f.time.untrusted,
      read: (value, partial) => ({ time: { at: null, ...partial.time, untrusted: value === true } }) as Partial<S>,
    },
  ];
}

