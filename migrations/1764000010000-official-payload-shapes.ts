import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the official payloads say beyond points: a card's own state (disabled, deleted), a
 * campaign's state (shown on its cards and holdings), vouchers held through a holder assignment
 * (a referral code held by a referee), and a customer's loyalty tier per campaign. Read models
 * are disposable: `ledger replay` fills the new columns and tables from the log.
 */
export class OfficialPayloadShapes1764000010000 implements MigrationInterface {
  name = 'OfficialPayloadShapes1764000010000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE loyalty_cards
        ADD COLUMN active boolean,
        ADD COLUMN deleted boolean NOT NULL DEFAULT false,
        ADD COLUMN status text NOT NULL DEFAULT 'active'`);

    await queryRunner.query(`
      CREATE TABLE campaigns (
        id                    text PRIMARY KEY,
        name                  text,
        active                boolean,
        status                text NOT NULL,
        deleted               boolean NOT NULL,
        state_at              timestamptz,
        state_at_untrusted    boolean NOT NULL,
        state_event_id        text NOT NULL
      )`);

    // One row per redeemable holder (rh_...): the customer holds the voucher in that role until the
    // assignment is deleted (removed, kept so that a late created cannot bring it back).
    await queryRunner.query(`
      CREATE TABLE voucher_holder_assignments (
        holder_id             text PRIMARY KEY,
        voucher_id            text,
        customer_id           text,
        holder_role           text,
        code                  text,
        type                  text,
        campaign_id           text,
        campaign_name         text,
        assigned_at           timestamptz,
        assigned_at_untrusted boolean NOT NULL,
        assigned_event_id     text NOT NULL,
        removed               boolean NOT NULL,
        removed_event_id      text
      )`);
    await queryRunner.query(`CREATE INDEX voucher_holder_assignments_customer_idx ON voucher_holder_assignments (customer_id)`);
    await queryRunner.query(`CREATE INDEX voucher_holder_assignments_voucher_idx ON voucher_holder_assignments (voucher_id)`);

    await queryRunner.query(`
      CREATE TABLE loyalty_tiers (
        customer_id           text NOT NULL,
        campaign_id           text NOT NULL,
        campaign_name         text,
        tier_id               text,
        tier_name             text,
        since                 timestamptz,
        source_time_untrusted boolean NOT NULL,
        history               jsonb NOT NULL,
        PRIMARY KEY (customer_id, campaign_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['loyalty_tiers', 'voucher_holder_assignments', 'campaigns']) await queryRunner.query(`DROP TABLE ${table}`);
    await queryRunner.query(`ALTER TABLE loyalty_cards DROP COLUMN active, DROP COLUMN deleted, DROP COLUMN status`);
  }
}
