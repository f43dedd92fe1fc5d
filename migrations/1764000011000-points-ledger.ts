import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The points ledger: one entry per Voucherify transaction (or per change seen only in a
 * snapshot, `derived`), in each card's chain order; the snapshots it was checked against; the
 * gaps where a webhook is missing; and the value of a point per campaign over time.
 */
export class PointsLedger1764000011000 implements MigrationInterface {
  name = 'PointsLedger1764000011000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ledger_entries (
        voucher_id             text NOT NULL,
        entry_key              text NOT NULL,
        transaction_id         text,
        transaction_type       text,
        unit                   text NOT NULL,
        kind                   text NOT NULL,
        points                 bigint,
        stated_balance_after   bigint,
        balance_before         bigint NOT NULL,
        balance_after          bigint NOT NULL,
        gap_before             bigint NOT NULL,
        occurred_at            timestamptz,
        occurred_at_untrusted  boolean NOT NULL DEFAULT false,
        seq                    integer NOT NULL,
        reason                 text,
        related                jsonb NOT NULL DEFAULT '{}'::jsonb,
        event_ids              jsonb NOT NULL,
        event_type             text NOT NULL,
        derived                boolean NOT NULL,
        campaign_id            text,
        total_after            bigint NOT NULL,
        redeemed_after         bigint NOT NULL,
        expired_after          bigint NOT NULL,
        subtracted_after       bigint NOT NULL,
        PRIMARY KEY (voucher_id, entry_key)
      )`);
    // "As of T" and a card's ledger page: the last entries at or before a time, in chain order.
    // NULLS FIRST: an entry without a time is the oldest, and a backward scan gives DESC NULLS LAST.
    await queryRunner.query(`CREATE INDEX ledger_entries_card_time_idx ON ledger_entries (voucher_id, occurred_at NULLS FIRST, seq)`);
    // Period reports: a campaign's entries in a time range.
    await queryRunner.query(`CREATE INDEX ledger_entries_campaign_time_idx ON ledger_entries (campaign_id, occurred_at)`);
    await queryRunner.query(`CREATE INDEX ledger_entries_transaction_idx ON ledger_entries (transaction_id) WHERE transaction_id IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE ledger_observations (
        voucher_id            text NOT NULL,
        event_id              text NOT NULL,
        event_type            text NOT NULL,
        campaign_id           text,
        observed_at           timestamptz,
        observed_at_untrusted boolean NOT NULL DEFAULT false,
        balance               bigint,
        stated                boolean NOT NULL,
        delta                 bigint,
        pending_points        bigint,
        unit                  text NOT NULL,
        PRIMARY KEY (voucher_id, event_id)
      )`);
    await queryRunner.query(`CREATE INDEX ledger_observations_card_time_idx ON ledger_observations (voucher_id, observed_at NULLS FIRST)`);
    await queryRunner.query(`
      CREATE TABLE ledger_gaps (
        voucher_id       text NOT NULL,
        entry_key        text NOT NULL,
        after_entry_key  text,
        points           bigint NOT NULL,
        from_at          timestamptz,
        to_at            timestamptz,
        campaign_id      text,
        PRIMARY KEY (voucher_id, entry_key)
      )`);
    await queryRunner.query(`CREATE INDEX ledger_gaps_campaign_idx ON ledger_gaps (campaign_id, voucher_id, entry_key)`);
    await queryRunner.query(`
      CREATE TABLE campaign_point_values (
        campaign_id     text NOT NULL,
        effective_from  timestamptz NOT NULL,
        value           numeric NOT NULL,
        currency        text NOT NULL,
        set_at          timestamptz,
        event_id        text NOT NULL,
        PRIMARY KEY (campaign_id, effective_from)
      )`);
    // Operator events (a point value) are in the log too, under a signature status of their own.
    // NOT VALID, then VALIDATE: the check of the existing rows does not block appends meanwhile.
    await queryRunner.query(`ALTER TABLE events DROP CONSTRAINT events_signature_status_check`);
    await queryRunner.query(
      `ALTER TABLE events ADD CONSTRAINT events_signature_status_check CHECK (signature_status IN ('verified', 'unsigned', 'imported', 'operator')) NOT VALID`,
    );
    await queryRunner.query(`ALTER TABLE events VALIDATE CONSTRAINT events_signature_status_check`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE events DROP CONSTRAINT events_signature_status_check`);
    await queryRunner.query(
      `ALTER TABLE events ADD CONSTRAINT events_signature_status_check CHECK (signature_status IN ('verified', 'unsigned', 'imported')) NOT VALID`,
    );
    for (const table of ['campaign_point_values', 'ledger_gaps', 'ledger_observations', 'ledger_entries']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
