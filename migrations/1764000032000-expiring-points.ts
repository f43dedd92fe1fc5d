import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What will expire (docs/api.md, "Expiring points"):
 * - what the webhooks tell: each card's next expiry (`loyalty_card.next_expiration_date` and
 *   `_points`), on the cards read model; existing logs fill them with
 *   `ledger replay --projection loyalty_cards`;
 * - what Voucherify's points-expiration export tells: every active point bucket of a campaign,
 *   replaced whole at each read, with the read's state and time. Not a projection: it is a copy of
 *   Voucherify's forecast, not a fact of the log, and no replay rebuilds it.
 */
export class ExpiringPoints1764000032000 implements MigrationInterface {
  name = 'ExpiringPoints1764000032000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE loyalty_cards ADD COLUMN next_expiration_date date, ADD COLUMN next_expiration_points bigint`);
    await queryRunner.query(`
      CREATE TABLE point_expiry_buckets (
        campaign_id  text NOT NULL,
        bucket_id    text NOT NULL,
        voucher_id   text NOT NULL,
        expires_at   date NOT NULL,
        points       bigint NOT NULL,
        PRIMARY KEY (campaign_id, bucket_id)
      )`);
    await queryRunner.query(`CREATE INDEX point_expiry_buckets_due_idx ON point_expiry_buckets (campaign_id, expires_at)`);
    // A statement asks for its cards' buckets.
    await queryRunner.query(`CREATE INDEX point_expiry_buckets_card_idx ON point_expiry_buckets (voucher_id, expires_at)`);
    await queryRunner.query(`
      CREATE TABLE point_expiry_reads (
        campaign_id  text PRIMARY KEY,
        status       text NOT NULL CHECK (status IN ('reading', 'done', 'failed')),
        started_at   timestamptz NOT NULL,
        read_at      timestamptz,
        buckets      integer,
        calls        integer,
        error        text
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE point_expiry_reads`);
    await queryRunner.query(`DROP TABLE point_expiry_buckets`);
    await queryRunner.query(`ALTER TABLE loyalty_cards DROP COLUMN next_expiration_points, DROP COLUMN next_expiration_date`);
  }
}
