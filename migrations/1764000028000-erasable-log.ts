import { createHash } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasure of a customer's personal data from a log that stays provable (docs/security.md, "Erasure").
 *
 * - The chain moves to form 2: each link commits to the SHA-256 of the event's raw body, not to the
 *   bytes themselves, so a body can lose its personal fields and the chain still holds. A redacted
 *   event keeps its original hash (`original_sha256`) and the erasure that redacted it
 *   (`redacted_by`); the erasure's record, an operator event on the chain, names each redacted
 *   body's new hash.
 * - Existing links are recomputed in form 2 here, after this migration has checked every form-1
 *   link against the bytes as they are now: what `verify` proved before is proved once more, and
 *   a link that no longer matched is kept on record (`chain_forms.v1_broken_seq`) so that `verify`
 *   keeps failing rather than the new form laundering it. Each link keeps its form-1 hash, so a
 *   head kept before still checks.
 * - The service's role still cannot UPDATE events: `ledger_erase`, owned by the owner, is the one
 *   way to redact; it removes only the customer's personal data (a field in `erasable_fields` of an
 *   object whose id is the customer's, or a value of a `metadata` object in an event that names
 *   them) and appends the record in the same transaction. Only it may append a record or a
 *   redacted hash (events_guard_redaction).
 */
/** The update trigger as this migration sets it (migration 1764000033000 lets one more column through). */
export const EVENTS_REFUSE_CHANGE_ERASABLE = `
      CREATE OR REPLACE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'events' AND COALESCE(current_setting('ledger.erasure', true), '') <> '' THEN
          IF to_jsonb(NEW)->>'redacted_by' = current_setting('ledger.erasure', true)
             AND (to_jsonb(NEW) - 'raw_body' - 'payload' - 'original_sha256' - 'redacted_by')
               = (to_jsonb(OLD) - 'raw_body' - 'payload' - 'original_sha256' - 'redacted_by') THEN
            RETURN NEW;
          END IF;
        END IF;
        RAISE EXCEPTION 'the % table is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`;

/** ledger_erase as this migration creates it, reading and writing the `payload` copy (dropped by migration 1764000033000). */
export const LEDGER_ERASE_OF_PAYLOAD = `
      CREATE FUNCTION ledger_erase(p_erasure_id text, p_customer_id text, p_targets jsonb, p_record jsonb) RETURNS bigint
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        target jsonb;
        path jsonb;
        event record;
        redacted_payload jsonb;
        redacted_body bytea;
        holder jsonb;
        named jsonb := '[]'::jsonb;
        record_body jsonb;
        record_position bigint;
        depth int;
      BEGIN
        IF p_erasure_id IS NULL OR p_erasure_id !~ '^[A-Za-z0-9_-]{1,64}$' THEN
          RAISE EXCEPTION 'an erasure id is 1 to 64 letters, digits, _ or -' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF p_customer_id IS NULL OR length(p_customer_id) NOT BETWEEN 1 AND 255 THEN
          RAISE EXCEPTION 'an erasure names the customer it erases' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF jsonb_typeof(p_record) IS DISTINCT FROM 'object' OR p_record->>'type' IS DISTINCT FROM 'ledger.erasure.recorded'
           OR p_record->'event'->>'id' IS NULL OR jsonb_typeof(COALESCE(p_record->'data', '{}'::jsonb)) <> 'object' THEN
          RAISE EXCEPTION 'the record is not a ledger.erasure.recorded event' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        PERFORM set_config('ledger.erasure', p_erasure_id, true);
        FOR target IN SELECT value FROM jsonb_array_elements(p_targets) LOOP
          SELECT global_position, event_id, event_type, payload, customer_id INTO event
            FROM events WHERE global_position = (target->>'position')::bigint FOR UPDATE;
          IF NOT FOUND THEN
            RAISE EXCEPTION 'no event at position %', target->>'position' USING ERRCODE = 'invalid_parameter_value';
          END IF;
          IF event.event_type LIKE 'ledger.%' THEN
            RAISE EXCEPTION 'event % is the ledger''s own and is not erased', event.event_id USING ERRCODE = 'insufficient_privilege';
          END IF;
          redacted_payload := event.payload;
          -- From the deepest and last path first: removing an array element never shifts a path still to come.
          FOR path IN SELECT value FROM jsonb_array_elements(target->'paths') ORDER BY jsonb_array_length(value) DESC, value::text DESC LOOP
            depth := jsonb_array_length(path);
            holder := CASE WHEN depth > 1 THEN redacted_payload #> ARRAY(SELECT jsonb_array_elements_text(path) LIMIT depth - 1) END;
            -- Personal data of this customer only: a personal field of an object that is the customer
            -- (its id), or a value a metadata object holds in an event that names the customer.
            IF depth < 2 OR jsonb_typeof(holder) IS DISTINCT FROM 'object' OR NOT (
                 (holder->>'id' = p_customer_id AND EXISTS (SELECT 1 FROM erasable_fields WHERE name = path->>(depth - 1)))
                 OR (path->>(depth - 2) = 'metadata'
                     AND (event.customer_id = p_customer_id OR position(p_customer_id IN event.payload::text) > 0))) THEN
              RAISE EXCEPTION 'field % is not personal data of customer % that an erasure may remove', path::text, p_customer_id USING ERRCODE = 'insufficient_privilege';
            END IF;
            redacted_payload := redacted_payload #- ARRAY(SELECT jsonb_array_elements_text(path));
          END LOOP;
          IF redacted_payload = event.payload THEN
            RAISE EXCEPTION 'event % holds nothing these paths remove: its bytes are kept as received', event.event_id USING ERRCODE = 'invalid_parameter_value';
          END IF;
          redacted_body := convert_to(redacted_payload::text, 'UTF8');
          UPDATE events SET payload = redacted_payload, raw_body = redacted_body,
                 original_sha256 = COALESCE(original_sha256, sha256(raw_body)), redacted_by = p_erasure_id
           WHERE global_position = event.global_position;
          named := named || jsonb_build_object('event_id', event.event_id, 'position', event.global_position,
                                               'fields', target->'paths', 'redacted_sha256', encode(sha256(redacted_body), 'hex'));
        END LOOP;
        -- What the record says of the erasure is the function's: its id, the customer, the events it redacted.
        record_body := jsonb_set(p_record, '{data}', COALESCE(p_record->'data', '{}'::jsonb)
          || jsonb_build_object('erasure_id', p_erasure_id, 'customer_id', p_customer_id, 'events', named));
        INSERT INTO events (event_id, event_type, occurred_at, occurred_at_raw, raw_body, payload, signature_status, envelope_format)
        VALUES (record_body->'event'->>'id', 'ledger.erasure.recorded', (record_body->'event'->>'created_at')::timestamptz,
                record_body->'event'->>'created_at', convert_to(record_body::text, 'UTF8'), record_body, 'operator', 'v2024-01-01')
        RETURNING global_position INTO record_position;
        PERFORM set_config('ledger.erasure', '', true);
        PERFORM pg_notify('ledger_events_appended', record_position::text);
        RETURN record_position;
      END
      $$`;

export class ErasableLog1764000028000 implements MigrationInterface {
  name = 'ErasableLog1764000028000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE events ADD COLUMN original_sha256 bytea, ADD COLUMN redacted_by text`);
    await queryRunner.query(`CREATE TABLE erasable_fields (name text PRIMARY KEY)`);
    // Voucherify's customer object (docs/voucherify.md, section 11); a shop adds its own by migration or as the owner.
    await queryRunner.query(
      `INSERT INTO erasable_fields (name) VALUES ('name'), ('email'), ('phone'), ('address'), ('birthdate'), ('birthday'), ('metadata'), ('source_id')`,
    );
    // The update trigger lets through what ledger_erase does and nothing else: the body, its parsed
    // copy and the redaction columns, inside an erasure it started.
    await queryRunner.query(EVENTS_REFUSE_CHANGE_ERASABLE);
    await queryRunner.query(LEDGER_ERASE_OF_PAYLOAD);
    // Only ledger_erase (running as the owner) appends an erasure record or a redacted original hash:
    // the service's role, which may INSERT events, cannot forge a redaction that verify would accept.
    await queryRunner.query(`
      CREATE FUNCTION events_guard_redaction() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (NEW.original_sha256 IS NOT NULL OR NEW.event_type = 'ledger.erasure.recorded')
           AND current_user <> (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'public.events'::regclass) THEN
          RAISE EXCEPTION 'only ledger_erase records an erasure' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(`CREATE TRIGGER events_guard_redaction BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION events_guard_redaction()`);
    // PostgreSQL lets PUBLIC execute a new function; only the owner and the service may
    // (service-role-grants.ts grants it to the service's role).
    await queryRunner.query(`REVOKE ALL ON FUNCTION ledger_erase(text, text, jsonb, jsonb) FROM PUBLIC`);

    await queryRunner.query(`
      CREATE TABLE chain_forms (
        form               smallint PRIMARY KEY,
        adopted_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
        links_rewritten    bigint NOT NULL,
        v1_broken_seq      bigint,
        v1_broken_reason   text
      )`);
    await queryRunner.query(`ALTER TABLE event_chain ADD COLUMN v1_hash bytea`);
    await this.rewriteChain(queryRunner);

    await queryRunner.query(`
      CREATE TABLE erasures (
        id               text PRIMARY KEY,
        customer_id      text NOT NULL,
        reason           text,
        requested_by     text NOT NULL,
        status           text NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
        requested_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        started_at       timestamptz,
        finished_at      timestamptz,
        progress         jsonb NOT NULL DEFAULT '{}'::jsonb,
        result           jsonb,
        error            text
      )`);
    // One erasure per customer (a failed one may be tried again): erasing twice is refused.
    await queryRunner.query(`CREATE UNIQUE INDEX erasures_customer_idx ON erasures (customer_id) WHERE status <> 'failed'`);
    await queryRunner.query(`
      CREATE TABLE verify_runs (
        id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        finished_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
        ok               boolean NOT NULL,
        checked          bigint NOT NULL,
        unchained        bigint NOT NULL,
        head_position    bigint,
        redacted_events  bigint NOT NULL,
        erasures         bigint NOT NULL,
        problem          jsonb
      )`);
  }

  /**
   * Every link in form 2, in chain order, after checking its form-1 hash against the event as it
   * is now. The append-only trigger on event_chain is lifted for this transaction only.
   */
  private async rewriteChain(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE event_chain DISABLE TRIGGER event_chain_refuse_update_delete`);
    const zero = Buffer.alloc(32);
    let previousV1 = zero;
    let previousV2 = zero;
    let expectedSeq = 1;
    let broken: { seq: number; reason: string } | null = null;
    let rewritten = 0;
    for (let after = 0; ; ) {
      const page: Array<{ seq: string; prev_hash: Buffer; hash: Buffer; event_id: string | null; event_type: string; occurred_at_raw: string | null; raw_body: Buffer | null }> =
        await queryRunner.query(
          `SELECT c.seq, c.prev_hash, c.hash, e.event_id, e.event_type, e.occurred_at_raw, e.raw_body
           FROM event_chain c LEFT JOIN events e ON e.global_position = c.global_position
           WHERE c.seq > $1 ORDER BY c.seq LIMIT 2000`,
          [after],
        );
      if (page.length === 0) break;
      const seqs: string[] = [];
      const prevs: Buffer[] = [];
      const hashes: Buffer[] = [];
      const v1s: Buffer[] = [];
      for (const link of page) {
        const seq = Number(link.seq);
        if (!broken) {
          const v1 = link.event_id === null ? null : linkHashV1(previousV1, link.event_id, link.event_type, link.occurred_at_raw, link.raw_body!);
          if (seq !== expectedSeq) broken = { seq: expectedSeq, reason: `link ${expectedSeq} is missing` };
          else if (!link.prev_hash.equals(previousV1)) broken = { seq, reason: 'the link does not point at the previous one' };
          else if (v1 === null) broken = { seq, reason: 'the chained event is gone' };
          else if (!v1.equals(link.hash)) broken = { seq, reason: 'the event differs from what was chained (identity, type, source time or bytes)' };
        }
        expectedSeq = seq + 1;
        previousV1 = link.hash;
        // A link whose event is gone keeps a hash nothing can reproduce: verify fails on it as before.
        const v2 =
          link.event_id === null
            ? createHash('sha256').update('gone').update(link.hash).digest()
            : linkHashV2(previousV2, link.event_id, link.event_type, link.occurred_at_raw, createHash('sha256').update(link.raw_body!).digest());
        seqs.push(link.seq);
        prevs.push(previousV2);
        hashes.push(v2);
        v1s.push(link.hash);
        previousV2 = v2;
      }
      await queryRunner.query(
        `UPDATE event_chain c SET prev_hash = u.prev_hash, hash = u.hash, v1_hash = u.v1_hash
         FROM unnest($1::bigint[], $2::bytea[], $3::bytea[], $4::bytea[]) AS u(seq, prev_hash, hash, v1_hash) WHERE c.seq = u.seq`,
        [seqs, prevs, hashes, v1s],
      );
      rewritten += page.length;
      after = Number(page[page.length - 1].seq);
    }
    await queryRunner.query(`ALTER TABLE event_chain ENABLE TRIGGER event_chain_refuse_update_delete`);
    await queryRunner.query(`INSERT INTO chain_forms (form, links_rewritten, v1_broken_seq, v1_broken_reason) VALUES (2, $1, $2, $3)`, [
      rewritten,
      broken?.seq ?? null,
      broken?.reason ?? null,
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const [{ redacted }] = await queryRunner.query(`SELECT count(*)::int AS redacted FROM events WHERE redacted_by IS NOT NULL`);
    if (redacted > 0) throw new Error(`${redacted} events were redacted by an erasure: form 1 of the chain cannot be recomputed over them, and this migration cannot be undone`);
    await queryRunner.query(`DROP TABLE verify_runs`);
    await queryRunner.query(`DROP TABLE erasures`);
    // Form-1 hashes come back from the links that kept them; links chained since are recomputed from their bytes.
    await queryRunner.query(`ALTER TABLE event_chain DISABLE TRIGGER event_chain_refuse_update_delete`);
    let previous = Buffer.alloc(32);
    for (let after = 0; ; ) {
      const page: Array<{ seq: string; event_id: string | null; event_type: string; occurred_at_raw: string | null; raw_body: Buffer | null; v1_hash: Buffer | null }> =
        await queryRunner.query(
          `SELECT c.seq, c.v1_hash, e.event_id, e.event_type, e.occurred_at_raw, e.raw_body
           FROM event_chain c LEFT JOIN events e ON e.global_position = c.global_position WHERE c.seq > $1 ORDER BY c.seq LIMIT 2000`,
          [after],
        );
      if (page.length === 0) break;
      const seqs: string[] = [];
      const prevs: Buffer[] = [];
      const hashes: Buffer[] = [];
      for (const link of page) {
        const hash = link.v1_hash ?? (link.event_id === null ? Buffer.alloc(32) : linkHashV1(previous, link.event_id, link.event_type, link.occurred_at_raw, link.raw_body!));
        seqs.push(link.seq);
        prevs.push(previous);
        hashes.push(hash);
        previous = hash;
      }
      await queryRunner.query(
        `UPDATE event_chain c SET prev_hash = u.prev_hash, hash = u.hash FROM unnest($1::bigint[], $2::bytea[], $3::bytea[]) AS u(seq, prev_hash, hash) WHERE c.seq = u.seq`,
        [seqs, prevs, hashes],
      );
      after = Number(page[page.length - 1].seq);
    }
    await queryRunner.query(`ALTER TABLE event_chain ENABLE TRIGGER event_chain_refuse_update_delete`);
    await queryRunner.query(`ALTER TABLE event_chain DROP COLUMN v1_hash`);
    await queryRunner.query(`DROP TABLE chain_forms`);
    await queryRunner.query(`DROP TRIGGER events_guard_redaction ON events`);
    await queryRunner.query(`DROP FUNCTION events_guard_redaction()`);
    await queryRunner.query(`DROP FUNCTION ledger_erase(text, text, jsonb, jsonb)`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the % table is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await queryRunner.query(`DROP TABLE erasable_fields`);
    await queryRunner.query(`ALTER TABLE events DROP COLUMN original_sha256, DROP COLUMN redacted_by`);
  }
}

const SEPARATOR = Buffer.from([0]);

/**
 * The two link forms, written out here so that this migration computes them the same way whatever
 * later code does (libs/event-store/src/chain/link-hash.ts has the live ones).
 */
function linkHashV1(previous: Buffer, eventId: string, type: string, occurredAtRaw: string | null, rawBody: Buffer): Buffer {
  return createHash('sha256').update(previous).update(eventId).update(SEPARATOR).update(type).update(SEPARATOR).update(occurredAtRaw ?? '').update(SEPARATOR).update(rawBody).digest();
}

function linkHashV2(previous: Buffer, eventId: string, type: string, occurredAtRaw: string | null, bodySha256: Buffer): Buffer {
  return createHash('sha256')
    .update('ledger-chain-v2')
    .update(SEPARATOR)
    .update(previous)
    .update(eventId)
    .update(SEPARATOR)
    .update(type)
    .update(SEPARATOR)
    .update(occurredAtRaw ?? '')
    .update(SEPARATOR)
    .update(bodySha256)
    .digest();
}
