import type { PoolClient } from 'pg';
import type { ProjectedEvent } from './projected-event';

/**
 * What a read model takes from one event, read once per batch (`read`) and then handed to its
 * `load` and `evolve`: the documents the event touches and the facts it tells them. Parsing an
 * event again in each step, or caching it per event object behind the read model's back, is
 * what this replaces.
 */
export interface EventRead<F> {
  event: ProjectedEvent;
  /** The documents the event touches, without repeats. */
  keys: string[];
  facts: F;
}

/**
 * A read model made of independent documents (a card, a customer, a redemption...), each
 * changed by a pure `evolve`. The I/O (`load`, `save`) stays at the edge and is set-based:
 * one read and one write per table per batch. `F` is what `read` takes from an event: the
 * event itself for most read models, parsed facts for the ledger and the cards.
 */
export interface KeyedReadModel<S, F = ProjectedEvent> {
  readonly name: string;
  /** The event's facts and the documents they touch; null when the read model ignores the event. */
  read(event: ProjectedEvent): EventRead<F> | null;
  /** Pure: the new state of one document, or the same object when nothing changes. */
  evolve(state: S | undefined, read: EventRead<F>, key: string): S | undefined;
  /** `reads` is the batch, for read models that load only the part of a document it can touch. */
  load(client: PoolClient, keys: string[], reads: EventRead<F>[]): Promise<Map<string, S>>;
  save(client: PoolClient, changed: Map<string, S>): Promise<void>;
  /** Empties the read model's tables (rebuilds). */
  readonly tables: readonly string[];
}

/** `read` for a read model whose evolve reads the event itself: its keys, and the event as its facts. */
export function readKeys(keysOf: (event: ProjectedEvent) => string[]): (event: ProjectedEvent) => EventRead<ProjectedEvent> | null {
  return (event) => {
    const keys = keysOf(event);
    return keys.length === 0 ? null : { event, keys: [...new Set(keys)], facts: event };
  };
}

/** The batch's events a read model could not apply, by their index in the batch. */
export interface EventFailure {
  index: number;
  error: Error;
}

/**
 * Folds a batch over a keyed read model inside the caller's transaction. Each event is read
 * once. An event whose evolve throws leaves its documents as they were and is reported as a
 * failure; the rest of the batch is applied.
 */
export async function applyBatch<S, F>(model: KeyedReadModel<S, F>, client: PoolClient, events: ProjectedEvent[]): Promise<EventFailure[]> {
  const reads: Array<{ index: number; read: EventRead<F> }> = [];
  events.forEach((event, index) => {
    const read = model.read(event);
    if (read) reads.push({ index, read });
  });
  const allKeys = [...new Set(reads.flatMap(({ read }) => read.keys))];
  if (allKeys.length === 0) return [];

  const loaded = await model.load(
    client,
    allKeys,
    reads.map(({ read }) => read),
  );
  const states = new Map<string, S | undefined>(allKeys.map((k) => [k, loaded.get(k)]));
  const failures: EventFailure[] = [];
  for (const { index, read } of reads) {
    try {
      // All keys of one event change together or not at all.
      const next = read.keys.map((key) => model.evolve(states.get(key), read, key));
      read.keys.forEach((key, k) => states.set(key, next[k]));
    } catch (error) {
      failures.push({ index, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  const changed = new Map<string, S>();
  for (const [key, state] of states) {
    if (state !== undefined && state !== loaded.get(key)) changed.set(key, state);
  }
  if (changed.size > 0) await model.save(client, changed);
  return failures;
}
