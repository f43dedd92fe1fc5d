import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Projection checkpoints, parked (poison) events, and the read-model tables.
 * Read models are disposable: each can be rebuilt from the event log.
 */
export class ReadModels1764000001000 implements MigrationInterface {
  name = 'ReadModels1764000001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The checkpoint is the (transaction_id, position) pair of the last event applied (docs/design.md, rule 4).
    await queryRunner.query(`
      CREATE TABLE projection_checkpoints (
        projection      text PRIMARY KEY,
        transaction_id  xid8 NOT NULL DEFAULT '0'::xid8,
        position        bigint NOT NULL DEFAULT 0,
        events_applied  bigint NOT NULL DEFAULT 0,
        updated_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
        last_error      text,
        last_error_at   timestamptz
      )`);
    await queryRunner.query(`
      CREATE TABLE projection_dead_letters (
        id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        projection     text NOT NULL,
        event_id       text NOT NULL,
        position       bigint NOT NULL,
        error          text NOT NULL,
        stack          text,
        attempts       integer NOT NULL DEFAULT 1,
        parked_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT projection_dead_letters_unique UNIQUE (projection, event_id)
      )`);

    await queryRunner.query(`
      CREATE TABLE customers (
        id           text PRIMARY KEY,
        source_id    text,
        name         text,
        email        text,
        metadata     jsonb,
        deleted      boolean NOT NULL DEFAULT false,
        profile_rank smallint NOT NULL DEFAULT 0,
        profile_at   timestamptz,
        profile_event_id text NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX customers_source_id_idx ON customers (source_id)`);

    await queryRunner.query(`
      CREATE TABLE loyalty_cards (
        voucher_id         text PRIMARY KEY,
        code               text,
        campaign_id        text,
        campaign_name      text,
        customer_id        text,
        points             bigint NOT NULL DEFAULT 0,
        balance            bigint NOT NULL DEFAULT 0,
        redeemed_points    bigint NOT NULL DEFAULT 0,
        expired_points     bigint NOT NULL DEFAULT 0,
        subtracted_points  bigint NOT NULL DEFAULT 0,
        pending_points     bigint NOT NULL DEFAULT 0,
        updated_at         timestamptz,
        last_event_id      text NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX loyalty_cards_customer_idx ON loyalty_cards (customer_id)`);
    await queryRunner.query(`CREATE INDEX loyalty_cards_code_idx ON loyalty_cards (code)`);

    await queryRunner.query(`
      CREATE TABLE points_history (
        voucher_id      text NOT NULL,
        event_id        text NOT NULL,
        customer_id     text,
        event_type      text NOT NULL,
        occurred_at     timestamptz,
        delta           bigint NOT NULL,
        balance_after   bigint NOT NULL,
        explicit_delta  boolean NOT NULL,
        reason          text NOT NULL,
        related_id      text,
        PRIMARY KEY (voucher_id, event_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX points_history_customer_idx ON points_history (customer_id, occurred_at DESC, event_id DESC)`,
    );

    await queryRunner.query(`
      CREATE TABLE reward_redemptions (
        id            text PRIMARY KEY,
        state         text,
        customer_id   text,
        voucher_id    text,
        campaign_id   text,
        reward_id     text,
        reward_name   text,
        reward_type   text,
        points        bigint,
        source_id     text,
        created_at    timestamptz,
        updated_at    timestamptz,
        transitions   jsonb NOT NULL,
        observations  jsonb NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX reward_redemptions_customer_idx ON reward_redemptions (customer_id)`);

    await queryRunner.query(`
      CREATE TABLE voucher_holdings (
        voucher_id         text PRIMARY KEY,
        customer_id        text,
        code               text,
        type               text,
        campaign_id        text,
        campaign_name      text,
        active             boolean,
        discount           jsonb,
        gift               jsonb,
        quantity           bigint,
        redeemed_quantity  bigint,
        acquired_at        timestamptz,
        acquired_via       text,
        acquired_event_id  text,
        deleted            boolean NOT NULL DEFAULT false,
        status             text NOT NULL,
        snapshot_at        timestamptz,
        snapshot_event_id  text NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX voucher_holdings_customer_idx ON voucher_holdings (customer_id)`);
    await queryRunner.query(`CREATE INDEX voucher_holdings_code_idx ON voucher_holdings (code)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'voucher_holdings',
      'reward_redemptions',
      'points_history',
      'loyalty_cards',
      'customers',
      'projection_dead_letters',
      'projection_checkpoints',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
