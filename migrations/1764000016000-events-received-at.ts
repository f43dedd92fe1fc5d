import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks by the time they arrived: the overview's "webhooks per minute" and "last webhook"
 * (GET /events/received-per-minute) read a range of received_at, which no index held (a scan
 * of the whole log per chart refresh). Only webhooks (verified or unsigned), not imported or
 * operator events.
 *
 * A plain CREATE INDEX, in the migration's transaction: CONCURRENTLY would wait for the other
 * instances' sessions queued on the migration advisory lock, which wait for it (tried: the
 * several-instances migration test hangs). Appends wait during the build (seconds per million events).
 */
export class EventsReceivedAt1764000016000 implements MigrationInterface {
  name = 'EventsReceivedAt1764000016000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX events_webhook_received_at_idx ON events (received_at) WHERE signature_status IN ('verified', 'unsigned')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX events_webhook_received_at_idx`);
  }
}
