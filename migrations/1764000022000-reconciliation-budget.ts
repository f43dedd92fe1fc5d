import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a reconciliation run planned to read and the Voucherify calls it spent: a run states its
 * plan (reads, calls, time) before it calls anything, and its report keeps what it cost.
 */
export class ReconciliationBudget1764000022000 implements MigrationInterface {
  name = 'ReconciliationBudget1764000022000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE reconciliation_runs ADD COLUMN plan jsonb, ADD COLUMN calls jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE reconciliation_runs DROP COLUMN calls, DROP COLUMN plan`);
  }
}
