import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reconciliation with Voucherify's API:
 * - `reconciled`: the signature status of a transaction the ledger fetched from Voucherify itself
 *   (a backfill), so no one mistakes it for a signed delivery;
 * - `reconciliation_runs`: each run's options, progress, cursor per campaign and report (kept for
 *   the console and the metrics);
 * - the last webhook per Voucherify project, read in one index probe per project (the silence alarm).
 */
export class Reconciliation1764000014000 implements MigrationInterface {
  name = 'Reconciliation1764000014000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // NOT VALID, then VALIDATE: the check of the existing rows does not block appends meanwhile.
    await queryRunner.query(`ALTER TABLE events DROP CONSTRAINT events_signature_status_check`);
    await queryRunner.query(
      `ALTER TABLE events ADD CONSTRAINT events_signature_status_check CHECK (signature_status IN ('verified', 'unsigned', 'imported', 'operator', 'reconciled')) NOT VALID`,
    );
    await queryRunner.query(`ALTER TABLE events VALIDATE CONSTRAINT events_signature_status_check`);
    await queryRunner.query(
      `CREATE INDEX events_webhook_project_received_idx ON events (project_id, received_at) WHERE signature_status IN ('verified', 'unsigned')`,
    );
    await queryRunner.query(`
      CREATE TABLE reconciliation_runs (
        id               uuid PRIMARY KEY,
        state            text NOT NULL CHECK (state IN ('running', 'succeeded', 'failed', 'interrupted')),
        trigger          text NOT NULL CHECK (trigger IN ('cli', 'api', 'schedule')),
        options          jsonb NOT NULL,
        campaign_ids     text[] NOT NULL,
        holder           text NOT NULL,
        started_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        finished_at      timestamptz,
        resumed          integer NOT NULL DEFAULT 0,
        progress         jsonb NOT NULL,
        summary          jsonb NOT NULL,
        cards            jsonb NOT NULL DEFAULT '[]'::jsonb,
        cards_truncated  boolean NOT NULL DEFAULT false,
        cursors          jsonb NOT NULL DEFAULT '{}'::jsonb,
        error            text
      )`);
    await queryRunner.query(`CREATE INDEX reconciliation_runs_started_idx ON reconciliation_runs (started_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX reconciliation_runs_open_idx ON reconciliation_runs (state) WHERE state IN ('running', 'interrupted')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE reconciliation_runs`);
    await queryRunner.query(`DROP INDEX events_webhook_project_received_idx`);
    await queryRunner.query(`ALTER TABLE events DROP CONSTRAINT events_signature_status_check`);
    await queryRunner.query(
      `ALTER TABLE events ADD CONSTRAINT events_signature_status_check CHECK (signature_status IN ('verified', 'unsigned', 'imported', 'operator')) NOT VALID`,
    );
  }
}
