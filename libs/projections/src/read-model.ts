import type { PoolClient } from 'pg';
import type { ProjectedEvent } from './projected-event';

/**
 * A read model made of independent documents (a card, a customer, a redemption...), each
 * changed by a pure `evolve`. The I/O (`load`, `save`) stays at the edge and is set-based:
 * one read and one write per table per batch.
 */
export interface KeyedReadModel<S> {
  readonly name: string;
  /** The documents an event touches; [] when the read model ignores the event. */
  keysOf(event: ProjectedEvent): string[];
  /** Pure: the new state of one document, or the same object when nothing changes. */
  evolve(state: S | undefined, event: ProjectedEvent, key: string): S | undefined;
  /** `events` is the batch, for read models that load only the part of a document it can touch. */
  load(client: PoolClient, keys: string[], events: ProjectedEvent[]): Promise<Map<string, S>>;
  save(client: PoolClient, changed: Map<string, S>): Promise<void>;
  /** Empties the read model's tables (rebuilds). */
  readonly tables: readonly string[];
}

export interface EventFailure {
  event: ProjectedEvent;
  error: Error;
}

/**
 * Folds a batch over a keyed read model inside the caller's transaction. An event whose
 * evolve throws leaves its documents as they were and is reported as a failure; the rest of
 * the batch is applied.
 */
export async function applyBatch<S>(
  model: KeyedReadModel<S>,
  client: PoolClient,
  events: ProjectedEvent[],
): Promise<EventFailure[]> {
  const keysByEvent = events.map((event) => [...new Set(model.keysOf(event))]);
  const allKeys = [...new Set(keysByEvent.flat())];
  if (allKeys.length === 0) return [];

  const loaded = await model.load(client, allKeys, events);
  const states = new Map<string, S | undefined>(allKeys.map((k) => [k, loaded.get(k)]));
  const failures: EventFailure[] = [];
  events.forEach((event, i) => {
    const keys = keysByEvent[i];
    if (keys.length === 0) return;
    try {
      // All keys of one event change together or not at all.
      const next = keys.map((key) => model.evolve(states.get(key), event, key));
      keys.forEach((key, k) => states.set(key, next[k]));
    } catch (error) {
      failures.push({ event, error: error instanceof Error ? error : new Error(String(error)) });
    }
  });

  const changed = new Map<string, S>();
  for (const [key, state] of states) {
    if (state !== undefined && state !== loaded.get(key)) changed.set(key, state);
  }
  if (changed.size > 0) await model.save(client, changed);
  return failures;
}
