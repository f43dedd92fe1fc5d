import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks by the time they arrived: the overview's "webhooks per minute"
 * (GET /events/received-per-minute) reads a range of received_at, which no index held (a scan of
 * the whole log per chart refresh). A BRIN index: received_at grows with the log, so block ranges
 * of a few hundred kilobytes each summarise it, and an append costs next to nothing, where a
 * B-tree would add an index entry to every webhook stored (the hot path).
 *
 * A plain CREATE INDEX, in the migration's transaction: CONCURRENTLY would wait for the other
 * instances' sessions queued on the migration advisory lock, which wait for it (tried: the
 * several-instances migration test hangs). A BRIN builds in one pass over the table.
 */
export class EventsReceivedAt1764000016000 implements MigrationInterface {
  name = 'EventsReceivedAt1764000016000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX events_received_at_brin ON events USING brin (received_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX events_received_at_brin`);
  }
}
