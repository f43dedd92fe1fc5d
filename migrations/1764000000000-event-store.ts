import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only event log and the table of refused deliveries.
 *
 * `transaction_id` lets readers consume the log in commit-safe order (docs/design.md, rule 4):
 * rows are read only below `pg_snapshot_xmin(pg_current_snapshot())`, ordered by
 * `(transaction_id, global_position)`, so a slow transaction can never be skipped.
 */
export class EventStore1764000000000 implements MigrationInterface {
  name = 'EventStore1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE events (
        global_position   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transaction_id    xid8 NOT NULL DEFAULT pg_current_xact_id(),
        event_id          text NOT NULL,
        delivery_id       text,
        event_type        text NOT NULL,
        project_id        text,
        customer_id       text,
        occurred_at       timestamptz,
        occurred_at_raw   text,
        received_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
        raw_body          bytea NOT NULL,
        payload           jsonb NOT NULL,
        signature_status  text NOT NULL,
        envelope_format   text NOT NULL,
        request_headers   jsonb NOT NULL DEFAULT '{}'::jsonb,
        CONSTRAINT events_event_id_key UNIQUE (event_id),
        CONSTRAINT events_signature_status_check CHECK (signature_status IN ('verified', 'unsigned'))
      )`);
    await queryRunner.query(
      `CREATE INDEX events_safe_order_idx ON events (transaction_id, global_position)`,
    );
    await queryRunner.query(
      `CREATE INDEX events_type_position_idx ON events (event_type, global_position)`,
    );
    await queryRunner.query(
      `CREATE INDEX events_customer_position_idx ON events (customer_id, global_position)
         WHERE customer_id IS NOT NULL`,
    );

    // The database itself, not only the code, refuses to rewrite history (docs/design.md, rule 2).
    await queryRunner.query(`
      CREATE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the events table is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER events_refuse_update_delete
        BEFORE UPDATE OR DELETE ON events
        FOR EACH ROW EXECUTE FUNCTION events_refuse_change()`);
    await queryRunner.query(`
      CREATE TRIGGER events_refuse_truncate
        BEFORE TRUNCATE ON events
        FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change()`);

    await queryRunner.query(`
      CREATE TABLE rejected_deliveries (
        id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        rejected_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
        status_code      smallint NOT NULL,
        reason           text NOT NULL,
        detail           text,
        event_id         text,
        request_headers  jsonb NOT NULL DEFAULT '{}'::jsonb,
        body_size        integer,
        body_prefix      bytea
      )`);
    await queryRunner.query(
      `CREATE INDEX rejected_deliveries_rejected_at_idx ON rejected_deliveries (rejected_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rejected_deliveries`);
    await queryRunner.query(`DROP TABLE events`);
    await queryRunner.query(`DROP FUNCTION events_refuse_change()`);
  }
}
