import { MigrationInterface, QueryRunner } from 'typeorm';
import { EVENTS_REFUSE_CHANGE_ERASABLE, LEDGER_ERASE_OF_PAYLOAD } from './1764000028000-erasable-log';

/**
 * One copy of each webhook: its raw bytes. The `payload` column (the same body parsed to jsonb
 * at every append) goes; what read it parses the bytes instead (projections did already; the
 * events API, `verify`, `export`, erasures, the duplicate check). The jsonb copy was a third of
 * the bytes written per append and most of PostgreSQL's parsing (bench/results/history.md).
 *
 * A body whose bytes are not valid UTF-8 (rare; ingest takes one, decoding it as Node does, each
 * bad sequence a U+FFFD) keeps that decoded text in `decoded_body`, null for every other event:
 * SQL that reads a body as JSON reads `COALESCE(decoded_body, convert_from(raw_body, 'UTF8'))`.
 * What jsonb refused at the append (U+0000, lone surrogates, huge numbers) is now refused before
 * it (`libs/voucherify/src/json-shape.ts`), so every stored body still casts to jsonb.
 *
 * `ledger_erase` reads the body that way and clears `decoded_body` when it rewrites the bytes
 * (as UTF-8); the update trigger lets that column through too.
 */
export class OneCopyOfEachWebhook1764000033000 implements MigrationInterface {
  name = 'OneCopyOfEachWebhook1764000033000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET LOCAL lock_timeout = '10s'`);
    await queryRunner.query(`ALTER TABLE events ADD COLUMN decoded_body text`);
    // Only rows whose bytes are not UTF-8 need it: found one by one (convert_from raises on them).
    await queryRunner.query(`ALTER TABLE events DISABLE TRIGGER events_refuse_update_delete`);
    await queryRunner.query(`
      DO $$
      DECLARE row record;
      BEGIN
        FOR row IN SELECT global_position, raw_body, payload FROM events LOOP
          BEGIN
            PERFORM convert_from(row.raw_body, 'UTF8');
          EXCEPTION WHEN character_not_in_repertoire OR untranslatable_character THEN
            UPDATE events SET decoded_body = row.payload::text WHERE global_position = row.global_position;
          END;
        END LOOP;
      END
      $$`);
    await queryRunner.query(`ALTER TABLE events ENABLE TRIGGER events_refuse_update_delete`);
    await queryRunner.query(erasableChangeOf(['decoded_body']));
    await queryRunner.query(ledgerEraseOfRawBody());
    await queryRunner.query(`ALTER TABLE events DROP COLUMN payload`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET LOCAL lock_timeout = '10s'`);
    await queryRunner.query(`ALTER TABLE events ADD COLUMN payload jsonb`);
    await queryRunner.query(`ALTER TABLE events ALTER COLUMN payload SET STORAGE EXTERNAL`);
    await queryRunner.query(`ALTER TABLE events DISABLE TRIGGER events_refuse_update_delete`);
    await queryRunner.query(`UPDATE events SET payload = COALESCE(decoded_body, convert_from(raw_body, 'UTF8'))::jsonb`);
    await queryRunner.query(`ALTER TABLE events ENABLE TRIGGER events_refuse_update_delete`);
    await queryRunner.query(`ALTER TABLE events ALTER COLUMN payload SET NOT NULL`);
    await queryRunner.query(EVENTS_REFUSE_CHANGE_ERASABLE);
    await queryRunner.query(orReplace(LEDGER_ERASE_OF_PAYLOAD));
    await queryRunner.query(`ALTER TABLE events DROP COLUMN decoded_body`);
  }
}

/** Migration 28's update trigger, letting `columns` change in an erasure too. */
function erasableChangeOf(columns: string[]): string {
  const minus = columns.map((c) => ` - '${c}'`).join('');
  return rewritten(EVENTS_REFUSE_CHANGE_ERASABLE, [[/- 'redacted_by'\)/g, `- 'redacted_by'${minus})`, 2]]);
}

/** Migration 28's ledger_erase, reading the body from its bytes and clearing `decoded_body` when it rewrites them. */
function ledgerEraseOfRawBody(): string {
  return rewritten(orReplace(LEDGER_ERASE_OF_PAYLOAD), [
    [/SELECT global_position, event_id, event_type, payload, customer_id INTO event/g,
      `SELECT global_position, event_id, event_type, COALESCE(decoded_body, convert_from(raw_body, 'UTF8'))::jsonb AS payload, customer_id INTO event`, 1],
    [/UPDATE events SET payload = redacted_payload, raw_body = redacted_body,/g, 'UPDATE events SET raw_body = redacted_body, decoded_body = NULL,', 1],
    [/INSERT INTO events \(event_id, event_type, occurred_at, occurred_at_raw, raw_body, payload, signature_status, envelope_format\)/g,
      'INSERT INTO events (event_id, event_type, occurred_at, occurred_at_raw, raw_body, signature_status, envelope_format)', 1],
    [/convert_to\(record_body::text, 'UTF8'\), record_body, 'operator'/g, `convert_to(record_body::text, 'UTF8'), 'operator'`, 1],
  ]);
}

/** Migration 28 creates ledger_erase; here it replaces it, keeping its grants. */
const orReplace = (sql: string) => rewritten(sql, [[/CREATE FUNCTION ledger_erase/g, 'CREATE OR REPLACE FUNCTION ledger_erase', 1]]);

/** `sql` with each pattern replaced, checked to match exactly `times` times: an edit that misses fails the migration. */
function rewritten(sql: string, edits: [RegExp, string, number][]): string {
  let result = sql;
  for (const [pattern, replacement, times] of edits) {
    const found = result.match(pattern)?.length ?? 0;
    if (found !== times) throw new Error(`migration 1764000033000: ${pattern} matched ${found} times, not ${times}`);
    result = result.replace(pattern, replacement);
  }
  return result;
}
