import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a card or a campaign was deleted (source time of the earliest deletion seen), so balances
 * `as_of` a time after it leave the card out, as the current totals do. Rows deleted before this
 * migration have no time (null: counted as deleted from the start) until
 * `ledger replay --projection loyalty_cards` and `--projection campaigns` fill it in.
 */
export class DeletionTimes1764000020000 implements MigrationInterface {
  name = 'DeletionTimes1764000020000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE loyalty_cards ADD COLUMN deleted_at timestamptz`);
    await queryRunner.query(`ALTER TABLE campaigns ADD COLUMN deleted_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE campaigns DROP COLUMN deleted_at`);
    await queryRunner.query(`ALTER TABLE loyalty_cards DROP COLUMN deleted_at`);
  }
}
