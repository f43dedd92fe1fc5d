import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which snapshot a card's counters (redeemed, expired, subtracted, pending) come from: the newest
 * that told them. A reconciliation's backfill tells none, and used to zero them when it was the
 * card's newest change. Rows from before have none (null: any snapshot that tells counters is
 * newer) until `ledger replay --projection loyalty_cards` fills them in.
 */
export class CardCountersStamp1764000023000 implements MigrationInterface {
  name = 'CardCountersStamp1764000023000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE loyalty_cards ADD COLUMN counters_at timestamptz, ADD COLUMN counters_event_id text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE loyalty_cards DROP COLUMN counters_event_id, DROP COLUMN counters_at`);
  }
}
