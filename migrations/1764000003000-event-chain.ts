import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tamper evidence: each event's link in a SHA-256 hash chain, in the commit-safe order the
 * projectors read. Written after the commit by the chainer (in batches, so appends never wait on
 * a global lock), and append-only like the log itself.
 */
export class EventChain1764000003000 implements MigrationInterface {
  name = 'EventChain1764000003000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE event_chain (
        seq              bigint PRIMARY KEY,
        global_position  bigint NOT NULL UNIQUE,
        prev_hash        bytea NOT NULL,
        hash             bytea NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TRIGGER event_chain_refuse_update_delete
        BEFORE UPDATE OR DELETE ON event_chain
        FOR EACH ROW EXECUTE FUNCTION events_refuse_change()`);
    await queryRunner.query(`
      CREATE TRIGGER event_chain_refuse_truncate
        BEFORE TRUNCATE ON event_chain
        FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE event_chain`);
  }
}
