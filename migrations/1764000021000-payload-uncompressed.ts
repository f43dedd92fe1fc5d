import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The parsed payload (jsonb) is stored without compression too, as raw bodies are since
 * migration 5: pglz compression of a 2.5–6 KB payload was about a quarter of PostgreSQL's CPU
 * per append (median 444 → 333 µs per webhook, three alternated rounds; bench/results/history.md),
 * at about 2–3 KB more disk per event. Projections read the raw body, so the payload is written
 * on every append and read rarely (the event API, `ledger verify`). Affects rows written from now
 * on; existing rows keep their form.
 */
export class PayloadUncompressed1764000021000 implements MigrationInterface {
  name = 'PayloadUncompressed1764000021000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The ALTER needs an exclusive lock on the log: give up (and fail the start, to be retried)
    // rather than queue behind a long read and hold every append meanwhile.
    await queryRunner.query(`SET LOCAL lock_timeout = '10s'`);
    await queryRunner.query(`ALTER TABLE events ALTER COLUMN payload SET STORAGE EXTERNAL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SET LOCAL lock_timeout = '10s'`);
    await queryRunner.query(`ALTER TABLE events ALTER COLUMN payload SET STORAGE EXTENDED`);
  }
}
