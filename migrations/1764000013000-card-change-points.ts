import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change the snapshot in force stated, so two states of a card at the same source time are
 * ordered by the balance chain (the one that starts from the other's balance is the newer), not
 * by event id. `ledger replay --projection loyalty_cards` fills it for rows written before.
 */
export class CardChangePoints1764000013000 implements MigrationInterface {
  name = 'CardChangePoints1764000013000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE loyalty_cards ADD COLUMN change_points bigint`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE loyalty_cards DROP COLUMN change_points`);
  }
}
