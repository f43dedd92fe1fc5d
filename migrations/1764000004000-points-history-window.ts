import { MigrationInterface, QueryRunner } from 'typeorm';

/** A card's history in source-time order, for loading only the tail a batch can touch. */
export class PointsHistoryWindow1764000004000 implements MigrationInterface {
  name = 'PointsHistoryWindow1764000004000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX points_history_card_time_idx
         ON points_history (voucher_id, (COALESCE(occurred_at, '-infinity'::timestamptz)), (event_id COLLATE "C"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX points_history_card_time_idx`);
  }
}
