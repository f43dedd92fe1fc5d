import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An expiry entry keeps when its points were due (the buckets' `expires_at`) beside when
 * Voucherify's job took them off (`occurred_at`): the period report can count expiries by either.
 * Entries from before have none until `ledger replay --projection ledger`.
 */
export class ExpiryDueDates1764000026000 implements MigrationInterface {
  name = 'ExpiryDueDates1764000026000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ledger_entries ADD COLUMN due_at timestamptz`);
    // The report by due date reads the few expiries whose two dates straddle a bound.
    await queryRunner.query(`CREATE INDEX ledger_entries_due_idx ON ledger_entries (due_at) WHERE due_at IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ledger_entries_due_idx`);
    await queryRunner.query(`ALTER TABLE ledger_entries DROP COLUMN due_at`);
  }
}
