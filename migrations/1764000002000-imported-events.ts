import { MigrationInterface, QueryRunner } from 'typeorm';

/** Events appended by `ledger import` carry no signature to check: they are marked `imported`. */
export class ImportedEvents1764000002000 implements MigrationInterface {
  name = 'ImportedEvents1764000002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE events DROP CONSTRAINT events_signature_status_check`);
    await queryRunner.query(
      `ALTER TABLE events ADD CONSTRAINT events_signature_status_check CHECK (signature_status IN ('verified', 'unsigned', 'imported'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE events DROP CONSTRAINT events_signature_status_check`);
    // NOT VALID: imported rows cannot be removed from an append-only log; new ones are refused.
    await queryRunner.query(
      `ALTER TABLE events ADD CONSTRAINT events_signature_status_check CHECK (signature_status IN ('verified', 'unsigned')) NOT VALID`,
    );
  }
}
