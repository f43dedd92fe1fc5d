import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deferred revenue (IFRS 15): a campaign's revenue estimates, set by operator events
 * (`ledger.revenue_estimate.set`) and folded by the point values projection beside the point
 * values. Existing logs hold none, so nothing to replay.
 */
export class RevenueEstimates1764000030000 implements MigrationInterface {
  name = 'RevenueEstimates1764000030000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE campaign_revenue_estimates (
        campaign_id                text NOT NULL,
        effective_from             timestamptz NOT NULL,
        value_per_point            numeric NOT NULL,
        currency                   text NOT NULL,
        expected_redemption_share  numeric NOT NULL CHECK (expected_redemption_share BETWEEN 0 AND 1),
        set_at                     timestamptz,
        event_id                   text NOT NULL,
        PRIMARY KEY (campaign_id, effective_from)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE campaign_revenue_estimates`);
  }
}
