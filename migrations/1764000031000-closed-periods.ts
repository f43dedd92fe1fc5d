import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Closed months (the `closed_periods` projection): each closing keeps the period report as it
 * stood. Folded from operator events (`ledger.period.closed`, `ledger.period.reopened`); existing
 * logs hold none.
 */
export class ClosedPeriods1764000031000 implements MigrationInterface {
  name = 'ClosedPeriods1764000031000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE closed_periods (
        month              text PRIMARY KEY CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        status             text NOT NULL CHECK (status IN ('closed', 'reopened')),
        closed_at          timestamptz,
        closed_event_id    text NOT NULL,
        log_position       bigint NOT NULL,
        chain_head         jsonb,
        reports            jsonb NOT NULL,
        reopened_at        timestamptz,
        reopened_event_id  text,
        reopen_reason      text
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE closed_periods`);
  }
}
