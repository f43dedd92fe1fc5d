import type { PoolClient } from 'pg';
import type { LogEvent, Projection } from '@ledger/event-store';
import { canonicalEventType, isWithinYears1To9999, obj } from '@ledger/voucherify';
import type { ProjectedEvent } from './projected-event';
import { KeyedFold } from './keyed-fold';
import { SOURCE_TIME_MAX_SKEW_MS, SourceTime } from './source-time';

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
  /**
   * Optional, with `settle`: evolve without what a document derives from all its facts (the
   * ledger's chain), so that a batch derives it once per document, before the save, instead of
   * once per event. `evolve` must equal `settle` after `accumulate` (evolveAll, settleChanged).
   */
  accumulate?(state: S | undefined, read: EventRead<F>, key: string): S | undefined;
  settle?(state: S): S;
  /**
   * Optional, before `load`: adds to a read's keys the documents its event touches but cannot name
   * alone (a deleted campaign's cards), and stores what the batch tells about no one document yet
   * (the deletion, for the cards that come later). In the batch's transaction.
   */
  beforeLoad?(client: PoolClient, reads: EventRead<F>[]): Promise<void>;
  /** `reads` is the batch, for read models that load only the part of a document it can touch. */
  load(client: PoolClient, keys: string[], reads: EventRead<F>[]): Promise<Map<string, S>>;
  save(client: PoolClient, changed: Map<string, S>): Promise<void>;
  /** Empties the read model's tables (rebuilds). */
  readonly tables: readonly string[];
  /**
   * Optional, for a rebuild's fold (KeyedFold): whether `read` can be folded into `state`, a
   * document the fold holds in memory, without loading it again. Default: always. The ledger
   * says no for a fact before the window it loaded.
   */
  foldsInto?(state: S, read: EventRead<F>, key: string): boolean;
  /**
   * Optional, for a rebuild's fold: whether the read needs every document folded so far in the
   * tables before it is applied (the ledger's campaign deletion finds the campaign's cards there).
   */
  needsStored?(read: EventRead<F>): boolean;
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

/** The batch's reads of a read model, each with its event's index in the batch. */
export function readBatch<S, F>(model: KeyedReadModel<S, F>, events: ProjectedEvent[]): Array<{ index: number; read: EventRead<F> }> {
  const reads: Array<{ index: number; read: EventRead<F> }> = [];
  events.forEach((event, index) => {
    const read = model.read(event);
    if (read) reads.push({ index, read });
  });
  return reads;
}

/**
 * Evolves `states` by each read in turn, in place. An event whose evolve throws leaves its
 * documents as they were and is reported as a failure; the rest are applied. The one fold of
 * the live batch (applyBatch) and of a rebuild's memory (KeyedFold).
 */
export function evolveAll<S, F>(model: KeyedReadModel<S, F>, states: Map<string, S | undefined>, reads: Array<{ index: number; read: EventRead<F> }>): EventFailure[] {
  // Documents are settled once, by settleChanged, when the model derives in a step of its own.
  const evolveOne = model.accumulate && model.settle ? model.accumulate : model.evolve;
  const failures: EventFailure[] = [];
  for (const { index, read } of reads) {
    try {
      // All keys of one event change together or not at all.
      const next = read.keys.map((key) => evolveOne(states.get(key), read, key));
      read.keys.forEach((key, k) => states.set(key, next[k]));
    } catch (error) {
      failures.push({ index, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }
  return failures;
}

/**
 * Folds a batch over a keyed read model inside the caller's transaction. Each event is read
 * once. An event whose evolve throws leaves its documents as they were and is reported as a
 * failure; the rest of the batch is applied.
 */
export async function applyBatch<S, F>(model: KeyedReadModel<S, F>, client: PoolClient, events: ProjectedEvent[]): Promise<EventFailure[]> {
  const reads = readBatch(model, events);
  if (reads.length > 0 && model.beforeLoad) await model.beforeLoad(client, reads.map(({ read }) => read));
  const allKeys = [...new Set(reads.flatMap(({ read }) => read.keys))];
  if (allKeys.length === 0) return [];

  const loaded = await model.load(
    client,
    allKeys,
    reads.map(({ read }) => read),
  );
  const states = new Map<string, S | undefined>(allKeys.map((k) => [k, loaded.get(k)]));
  const failures = evolveAll(model, states, reads);

  const changed = settleChanged(model, states, loaded);
  if (changed.size > 0) await model.save(client, changed);
  return failures;
}

/** The documents that differ from `stored`, settled (what evolveAll left to derive), as save takes them. */
export function settleChanged<S, F>(model: KeyedReadModel<S, F>, states: Map<string, S | undefined>, stored: Map<string, S | undefined>): Map<string, S> {
  const changed = new Map<string, S>();
  for (const [key, state] of states) {
    if (state !== undefined && state !== stored.get(key)) changed.set(key, model.accumulate && model.settle ? model.settle(state) : state);
  }
  return changed;
}

/** The events converted so far: the projections of one pass share the batch's LogEvent objects. */
const projected = new WeakMap<LogEvent, ProjectedEvent>();

/**
 * What a read model sees of a stored event, converted once per event whatever the number of
 * projections that apply it (read models never change what they are given: evolve is pure). The
 * stored times are checked as numbers, not formatted and parsed again.
 */
export function toProjectedEvent(event: LogEvent): ProjectedEvent {
  let seen = projected.get(event);
  if (!seen) {
    seen = projectEvent(event);
    projected.set(event, seen);
  }
  return seen;
}

function projectEvent(event: LogEvent): ProjectedEvent {
  const receivedAt = event.receivedAt.toISOString();
  const occurred = ownTime(event, receivedAt);
  return {
    position: event.position,
    eventId: event.eventId,
    type: canonicalEventType(event.type),
    occurredAt: occurred.at,
    occurredAtUntrusted: occurred.untrusted,
    receivedAt,
    signatureStatus: event.signatureStatus,
    data: obj(obj(event.payload)?.data) ?? {},
  };
}

/**
 * The event's created_at as stored, checked like any source time. A created_at that was given
 * but did not parse was stored as null; it is untrusted, not absent. An earlier parser may have
 * stored a year 0 or 10000 (PostgreSQL keeps both; a read model could not): checked again here.
 */
function ownTime(event: LogEvent, receivedAt: string): SourceTime {
  const occurred = event.occurredAt;
  if (occurred === null) return event.occurredAtGiven ? { at: receivedAt, untrusted: true } : { at: null, untrusted: false };
  // As checkedTime (source-time.ts) decides for a time given as text: a time outside the years
  // 0001–9999, or too far after the event was received, is not believed.
  const millis = occurred.getTime();
  if (isWithinYears1To9999(millis) && millis <= event.receivedAt.getTime() + SOURCE_TIME_MAX_SKEW_MS) {
    return { at: occurred.toISOString(), untrusted: false };
  }
  return { at: receivedAt, untrusted: true };
}

/** A keyed read model as the projection runner drives it, and as a rebuild folds it. */
export function asProjection<S, F>(model: KeyedReadModel<S, F>): Projection {
  return {
    name: model.name,
    openFold: (storedEmpty) => new KeyedFold(model, storedEmpty),
    async apply(client, events) {
      const failures = await applyBatch(model, client, events.map(toProjectedEvent));
      return failures.map((f) => ({ event: events[f.index], error: f.error }));
    },
  };
}
