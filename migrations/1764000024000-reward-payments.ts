import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The redemption that paid a reward in points, on the observation `customer.rewarded` made of it:
 * the POINTS_REDEMPTION transaction of the same redemption is then the same change, one entry.
 * Observations stored before have none until `ledger replay --projection ledger`.
 */
export class RewardPayments1764000024000 implements MigrationInterface {
  name = 'RewardPayments1764000024000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ledger_observations ADD COLUMN redemption_id text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ledger_observations DROP COLUMN redemption_id`);
  }
}
