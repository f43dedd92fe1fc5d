import fc from 'fast-check';
import type { Pool, PoolClient } from 'pg';
import type { LogEvent } from '../../libs/event-store/src';
import { ALL_READ_MODELS, applyBatch, KeyedReadModel, ProjectedEvent, toProjectedEvent } from '../../libs/projections/src';
import { GeneratedEvent, GeneratedHistory, historyArbitrary } from './loyalty-history';

/**
 * The middle test tier (`*.int-spec.ts`): a read model's pure `evolve` and its real `load`/`save`
 * against PostgreSQL, with no HTTP and no service. Given events → then rows. Each case runs in a
 * transaction of its own on the test file's cloned database and is rolled back, so one database
 * serves hundreds of fast-check cases, each starting from empty tables.
 */

/** Long after every generated source time, so those are believed (see source-time.ts). */
const RECEIVED_AT = new Date('2026-01-01T00:00:00.000Z');

let position = 0;

/** A stored event as the projector reads it from the log (what toProjectedEvent is given). */
export function logEvent(type: string, data: Record<string, unknown>, createdAt: string | null, eventId: string, receivedAt = RECEIVED_AT): LogEvent {
  position++;
  const occurredAt = createdAt === null ? null : new Date(createdAt);
  return {
    position,
    transactionId: String(position),
    eventId,
    type,
    occurredAt: occurredAt && !Number.isNaN(occurredAt.getTime()) ? occurredAt : null,
    occurredAtGiven: createdAt !== null,
    receivedAt,
    signatureStatus: 'verified',
    payload: { type, data, event: { id: eventId, type, created_at: createdAt } },
  };
}

/** A generated history's events as the read models see them, in the history's own order. */
export const projectedHistory = (history: GeneratedHistory): ProjectedEvent[] => history.events.map(projectedGenerated);

export const projectedGenerated = (event: GeneratedEvent): ProjectedEvent =>
  toProjectedEvent(logEvent(event.type, event.data, event.createdAt, event.eventId));

export interface Given {
  /** The models to apply; each batch is folded into every one of them, in this order. */
  models?: KeyedReadModel<any, any>[];
  /** Events in arrival order, cut into the projector's batches. */
  batches: ProjectedEvent[][];
}

/**
 * Applies the batches (evolve + load/save, as the projector does, one applyBatch per model and
 * batch) inside one transaction, hands the client to `then` for assertions (the read models'
 * query functions take it as their pool), and rolls everything back. An event a model could not
 * apply fails the case: the projector would have parked it.
 */
export async function givenEvents<T>(pool: Pool, given: Given, then: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const batch of given.batches) {
      for (const model of given.models ?? ALL_READ_MODELS) {
        const failures = await applyBatch(model, client, batch);
        if (failures.length > 0) throw new Error(`${model.name} could not apply ${batch[failures[0].index].eventId}: ${failures[0].error.message}`);
      }
    }
    return await then(client);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

/** A query function of a read model (written for a Pool) run on the case's client, inside its transaction. */
export const asPool = (client: PoolClient): Pool => client as unknown as Pool;

/** Every row of `tables`, as text, in a stable order: two deliveries can be compared exactly. */
export async function tableRows(client: PoolClient, tables: readonly string[]): Promise<Record<string, string[]>> {
  const rows: Record<string, string[]> = {};
  for (const table of tables) {
    const result = await client.query(`SELECT t::text AS row FROM ${table} t ORDER BY t::text COLLATE "C"`);
    rows[table] = result.rows.map((r) => r.row);
  }
  return rows;
}

/**
 * Another arrival order of `events` cut into batches as the projector might meet them: any
 * permutation, any batch sizes. (Redeliveries never reach a read model twice: the log keeps an
 * event once.)
 */
export function arrivalArbitrary<E>(events: E[]): fc.Arbitrary<E[][]> {
  const n = events.length;
  return fc
    .record({
      order: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
      sizes: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 10 }),
    })
    .map(({ order, sizes }) => {
      const batches: E[][] = [];
      for (let offset = 0, b = 0; offset < n; b++) {
        const size = sizes[b % sizes.length];
        batches.push(order.slice(offset, offset + size).map((i) => events[i]));
        offset += size;
      }
      return batches;
    });
}

/**
 * The rows of `models` do not depend on arrival order or batching: a generated history in any
 * permutation, cut into any batches, gives exactly the rows of the history applied in order as
 * one batch.
 */
export function orderIndependence(pool: () => Pool, models: KeyedReadModel<any, any>[], numRuns: number): Promise<void> {
  const tables = models.flatMap((m) => m.tables);
  const scenario = historyArbitrary(3, 10).chain((history) => {
    const events = projectedHistory(history);
    return fc.tuple(fc.constant(events), arrivalArbitrary(events));
  });
  return fc.assert(
    fc.asyncProperty(scenario, async ([events, batches]) => {
      const inOrder = await givenEvents(pool(), { models, batches: [events] }, (client) => tableRows(client, tables));
      const shuffled = await givenEvents(pool(), { models, batches }, (client) => tableRows(client, tables));
      expect(shuffled).toEqual(inOrder);
    }),
    { numRuns },
  );
}
