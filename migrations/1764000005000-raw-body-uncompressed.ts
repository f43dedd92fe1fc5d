import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The raw bytes of each webhook are kept for audit and signature checks, and read rarely. Stored
 * out of line without compression (EXTERNAL): compressing them with pglz cost about a quarter of
 * PostgreSQL's CPU per append (206 → 150 µs per row in 16-row inserts; bench/results/history.md),
 * at the price of about 2.5 KB more disk per event. The parsed payload stays compressed. Affects
 * rows written from now on; existing rows keep their form.
 */
export class RawBodyUncompressed1764000005000 implements MigrationInterface {
  name = 'RawBodyUncompressed1764000005000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE events ALTER COLUMN raw_body SET STORAGE EXTERNAL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE events ALTER COLUMN raw_body SET STORAGE EXTENDED`);
  }
}
