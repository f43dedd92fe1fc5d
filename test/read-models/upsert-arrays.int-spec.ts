import fc from 'fast-check';
import { arrayLiteral, Column } from '../../libs/projections/src/sql-rows';
import { createTestDatabase, TestDatabase } from '../support/test-database';

// The read models' upserts send each column as an array literal written by arrayLiteral. Any
// value it quotes wrongly would be stored changed (or refused), so every kind of value must come
// back from PostgreSQL exactly as it went in.
describe('upsert arrays (arrayLiteral) against PostgreSQL', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  const roundTrip = async (column: Column, values: unknown[], select: string): Promise<unknown[]> => {
    const rows = values.map((value) => ({ [column.name]: value }));
    const result = await db.pool.query(`SELECT ${select} AS v FROM unnest($1::${column.type}[]) WITH ORDINALITY AS r(v, n) ORDER BY n`, [
      arrayLiteral(column, rows),
    ]);
    return result.rows.map((r) => r.v);
  };

  // PostgreSQL text cannot hold U+0000; everything else, quotes, backslashes, braces, commas,
  // spaces, "NULL" and any unicode included, must survive.
  const storableText = fc.oneof(
    fc.string({ unit: 'grapheme' }),
    fc.string({ unit: fc.constantFrom('"', '\\', '{', '}', ',', ' ', 'N', 'U', 'L', 'a', '\t', '\n') }),
    fc.constantFrom('NULL', 'null', '', ' ', '""', '\\"', '{}', '{a,b}'),
  ).filter((s) => !s.includes('\u0000'));

  it('keeps text exactly, and null as null', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(storableText), { maxLength: 20 }), async (values) => {
        const back = await roundTrip({ name: 'reason', type: 'text' }, values, 'v');
        expect(back).toEqual(values.map((v) => v ?? null));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps jsonb values, strings and nested quotes included', async () => {
    const json = fc.jsonValue().filter((v) => !JSON.stringify(v).includes('\\u0000'));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(json, { nil: null }), { maxLength: 10 }), async (values) => {
        const back = await roundTrip({ name: 'metadata', type: 'jsonb' }, values, 'v::text');
        // jsonb normalises (key order, -0, number spelling); compare as parsed by JSON.
        const expected = values.map((v) => (v === null ? null : JSON.parse(JSON.stringify(v))));
        expect(back.map((t) => (t === null ? null : JSON.parse(t as string)))).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps bigints, booleans and timestamps', async () => {
    const numbers = await roundTrip({ name: 'delta', type: 'bigint' }, [0, -1, 9007199254740991, null, -9007199254740991], 'v::text');
    expect(numbers).toEqual(['0', '-1', '9007199254740991', null, '-9007199254740991']);

    const flags = await roundTrip({ name: 'explicit_delta', type: 'boolean' }, [true, false, null], 'v');
    expect(flags).toEqual([true, false, null]);

    const times = ['2024-01-01T00:00:00.000Z', '2024-02-29T23:59:59.123456Z', null];
    const back = await roundTrip({ name: 'occurred_at', type: 'timestamptz' }, [...times, new Date('2024-03-01T12:00:00.5Z')], `to_char(v AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`);
    expect(back).toEqual(['2024-01-01T00:00:00.000000', '2024-02-29T23:59:59.123456', null, '2024-03-01T12:00:00.500000']);
  });
});
