import type { Pool, PoolClient } from 'pg';
import { isPersonalSourceId, personalDataOf, SourceIdPolicy } from '@ledger/voucherify';
import { parseStoredBody, StoredBody } from '@ledger/event-store';

/** What an erasure removes besides Voucherify's customer fields, from the configuration. */
export interface ErasureOptions {
  extraFields: string[];
  sourceId: SourceIdPolicy;
}

/** One event to redact: where, and the paths of the personal fields it holds. */
export interface ErasureTarget {
  position: number;
  eventId: string;
  paths: string[][];
}

export interface ErasureScan {
  customerId: string;
  targets: ErasureTarget[];
  /** Removed fields by name (the last key of each path), over all targets. */
  fields: Record<string, number>;
  /** The byte strings looked for in refused deliveries: the id and the customer's identifying values. */
  needles: string[];
  /** Whether the customer's source id is personal (it is then removed, from the profile too). */
  sourceIdErased: boolean;
}

type Db = Pool | PoolClient;

/**
 * The customer a request names (a `cust_` id or the shop's source id), as the ledger knows them:
 * from the customers read model, else from the log's customer index. Null: never seen.
 */
export async function resolveCustomer(db: Db, idOrSourceId: string): Promise<string | null> {
  const known = await db.query<{ id: string }>(`SELECT id FROM customers WHERE id = $1 OR source_id = $1 ORDER BY (id = $1) DESC LIMIT 1`, [idOrSourceId]);
  if (known.rows[0]) return known.rows[0].id;
  const logged = await db.query<{ customer_id: string }>(`SELECT customer_id FROM events WHERE customer_id = $1 LIMIT 1`, [idOrSourceId]);
  return logged.rows[0]?.customer_id ?? null;
}

/**
 * Every event that holds the customer's personal data, with the paths to remove. Candidates are
 * the events indexed under the customer and those whose bytes contain the id or one of the
 * customer's identifying values (a referrer, a holder, a metadata copy): one pass over the log.
 * The ledger's own events (`ledger.*`) are never candidates.
 */
export async function scanForErasure(db: Db, customerId: string, options: ErasureOptions): Promise<ErasureScan> {
  const profile = await db.query<{ email: string | null; source_id: string | null }>(`SELECT email, source_id FROM customers WHERE id = $1`, [customerId]);
  const sourceId = profile.rows[0]?.source_id ?? null;
  const sourceIdErased = isPersonalSourceId(sourceId, options.sourceId);
  const knownValues = [profile.rows[0]?.email, sourceIdErased ? sourceId : null].filter((v): v is string => typeof v === 'string' && v.length >= 5);
  const needles = [customerId, ...knownValues];
  const candidates = await db.query<StoredBody & { global_position: string; event_id: string }>(
    `SELECT global_position, event_id, raw_body, decoded_body FROM events e
     WHERE e.event_type NOT LIKE 'ledger.%'
       AND (e.customer_id = $1 OR EXISTS (SELECT 1 FROM unnest($2::text[]) n WHERE position(convert_to(n, 'UTF8') IN e.raw_body) > 0))
     ORDER BY global_position`,
    [customerId, needles],
  );
  const targets: ErasureTarget[] = [];
  const fields: Record<string, number> = {};
  for (const row of candidates.rows) {
    const { paths } = personalDataOf(parseStoredBody(row), customerId, { extraFields: options.extraFields, sourceId: options.sourceId, knownValues });
    if (paths.length === 0) continue;
    targets.push({ position: Number(row.global_position), eventId: row.event_id, paths });
    for (const path of paths) fields[path[path.length - 1]] = (fields[path[path.length - 1]] ?? 0) + 1;
  }
  return { customerId, targets, fields, needles, sourceIdErased };
}

/** Refused deliveries whose kept prefix holds one of the needles. */
export const REFUSED_NAMING = `body_prefix IS NOT NULL AND EXISTS (SELECT 1 FROM unnest($1::text[]) n WHERE position(convert_to(n, 'UTF8') IN body_prefix) > 0)`;

export async function countRefusedNaming(db: Db, needles: string[]): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM rejected_deliveries WHERE ${REFUSED_NAMING}`, [needles]);
  return rows[0].n;
}
