import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The points history is now read from the ledger (one entry per Voucherify transaction, never one
 * per webhook), so its own projection and table go. Down brings back an empty table in its last
 * shape: `ledger replay --projection points_history` with the code of that time refills it.
 */
export class PointsHistoryFromLedger1764000012000 implements MigrationInterface {
  name = 'PointsHistoryFromLedger1764000012000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE points_history`);
    await queryRunner.query(`DELETE FROM projection_dead_letters WHERE projection = 'points_history'`);
    await queryRunner.query(`DELETE FROM projection_checkpoints WHERE projection = 'points_history'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE points_history (
        voucher_id             text NOT NULL,
        event_id               text NOT NULL,
        customer_id            text,
        event_type             text NOT NULL,
        occurred_at            timestamptz,
        delta                  bigint,
        balance_after          bigint,
        explicit_delta         boolean NOT NULL,
        reason                 text NOT NULL,
        related_id             text,
        source_time_untrusted  boolean NOT NULL DEFAULT false,
        PRIMARY KEY (voucher_id, event_id)
      )`);
    await queryRunner.query(`CREATE INDEX points_history_customer_idx ON points_history (customer_id, occurred_at DESC, event_id DESC)`);
    await queryRunner.query(
      `CREATE INDEX points_history_card_time_idx
         ON points_history (voucher_id, (COALESCE(occurred_at, '-infinity'::timestamptz)), (event_id COLLATE "C"))`,
    );
  }
}
