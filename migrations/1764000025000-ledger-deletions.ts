import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deletions the ledger writes balances off at: a card's (`voucher.deleted`) or a campaign's
 * (`campaign.deleted`, no card: every card of the campaign, those seen later too). Kept whole, not
 * windowed: a deletion before a recomputed window still deletes the card. Existing logs get their
 * write-offs from `ledger replay --projection ledger`.
 */
export class LedgerDeletions1764000025000 implements MigrationInterface {
  name = 'LedgerDeletions1764000025000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ledger_deletions (
        event_id             text PRIMARY KEY,
        voucher_id           text,
        campaign_id          text,
        deleted_at           timestamptz,
        deleted_at_untrusted boolean NOT NULL DEFAULT false
      )`);
    await queryRunner.query(`CREATE INDEX ledger_deletions_card_idx ON ledger_deletions (voucher_id) WHERE voucher_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX ledger_deletions_campaign_idx ON ledger_deletions (campaign_id) WHERE voucher_id IS NULL`);
    // A campaign's deletion finds the cards the ledger saw in it.
    await queryRunner.query(`CREATE INDEX ledger_observations_campaign_idx ON ledger_observations (campaign_id, voucher_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ledger_observations_campaign_idx`);
    await queryRunner.query(`DROP TABLE ledger_deletions`);
  }
}
