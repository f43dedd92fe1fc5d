import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pending ledger: each movement of a card's pending points (an entry `lopp_...` added,
 * updated, cancelled, activated), with the card's pending points after it. A customer twin of an
 * activation (no transaction) names its entry on the points ledger's observation, so the
 * PENDING_POINTS_ACTIVATION transaction of the same entry stays one change. Existing logs fill both
 * from `ledger replay --projection pending_points` and `--projection ledger`.
 */
export class PendingPoints1764000027000 implements MigrationInterface {
  name = 'PendingPoints1764000027000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE pending_point_movements (
        voucher_id            text NOT NULL,
        movement_key          text NOT NULL,
        campaign_id           text,
        movement              text NOT NULL,
        entry_id              text,
        stated_change         bigint,
        stated_after          bigint,
        entry_points          bigint,
        activates_at          timestamptz,
        order_id              text,
        transaction_id        text,
        occurred_at           timestamptz,
        occurred_at_untrusted boolean NOT NULL DEFAULT false,
        event_ids             jsonb NOT NULL,
        event_type            text NOT NULL,
        points                bigint,
        pending_before        bigint NOT NULL,
        pending_after         bigint NOT NULL,
        gap_before            bigint NOT NULL,
        seq                   integer NOT NULL,
        PRIMARY KEY (voucher_id, movement_key)
      )`);
    // As-of answers: the card's last movement at or before a time (as ledger_entries_card_time_idx).
    await queryRunner.query(`CREATE INDEX pending_point_movements_card_time_idx ON pending_point_movements (voucher_id, occurred_at NULLS FIRST, seq)`);
    // The period report reads a period's movements by time.
    await queryRunner.query(`CREATE INDEX pending_point_movements_time_idx ON pending_point_movements (occurred_at)`);
    await queryRunner.query(`ALTER TABLE ledger_observations ADD COLUMN pending_entry_id text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ledger_observations DROP COLUMN pending_entry_id`);
    await queryRunner.query(`DROP TABLE pending_point_movements`);
  }
}
