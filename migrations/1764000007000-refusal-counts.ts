import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refusals of unauthenticated deliveries are counted, not kept: one row per minute, reason and
 * status, however many arrive. Anyone can send them, so keeping a row each let a flood fill the
 * disk and crowd out the signed refusals an operator needs (those still get a row each in
 * rejected_deliveries).
 */
export class RefusalCounts1764000007000 implements MigrationInterface {
  name = 'RefusalCounts1764000007000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE rejected_delivery_counts (
        minute       timestamptz NOT NULL,
        reason       text NOT NULL,
        status_code  smallint NOT NULL,
        deliveries   bigint NOT NULL,
        body_bytes   bigint NOT NULL,
        PRIMARY KEY (minute, reason, status_code)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rejected_delivery_counts`);
  }
}
