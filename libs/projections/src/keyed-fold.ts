import type { PoolClient } from 'pg';
import { FLUSH_FIRST, InTransaction, LogEvent, ProjectionFailure, ProjectionFold } from '@ledger/event-store';
import { evolveAll, KeyedReadModel, readBatch, settleChanged, toProjectedEvent } from './read-model';

/** Documents written per save statement at a flush: each save's arrays stay a few MB. */
const SAVE_SLICE = 2_000;

/**
 * A keyed read model folded in memory across a rebuild's batches (ProjectionFold). Each document
 * is loaded at most once per flush (not at all while the tables are known to be empty), evolved
 * by every event of every batch, and written once at the flush, instead of loaded, evolved and
 * written once per batch. The evolve and the failures are applyBatch's (evolveAll), so the
 * result is the live projector's.
 */
export class KeyedFold<S, F> implements ProjectionFold {
  /** Every document the fold holds: loaded, built or changed since the last flush. */
  private readonly states = new Map<string, S | undefined>();
  /** As loaded (or absent): a document is written at the flush only when it differs. */
  private readonly stored = new Map<string, S | undefined>();

  constructor(
    private readonly model: KeyedReadModel<S, F>,
    /** The tables hold nothing yet: a document not in memory does not exist, no load needed. */
    private storedEmpty: boolean,
  ) {}

  async add(events: LogEvent[], db: InTransaction): Promise<ProjectionFailure[] | typeof FLUSH_FIRST> {
    const model = this.model;
    const reads = readBatch(model, events.map(toProjectedEvent));
    if (reads.length === 0) return [];
    if (model.needsStored && reads.some(({ read }) => model.needsStored!(read))) return FLUSH_FIRST;
    if (model.foldsInto) {
      for (const { read } of reads) {
        for (const key of read.keys) {
          const state = this.states.get(key);
          if (state !== undefined && !model.foldsInto(state, read, key)) return FLUSH_FIRST;
        }
      }
    }
    const missingKeys = () => [...new Set(reads.flatMap(({ read }) => read.keys))].filter((key) => !this.states.has(key));
    const remember = (keys: string[], loaded: Map<string, S>) => {
      for (const key of keys) {
        this.states.set(key, loaded.get(key));
        this.stored.set(key, loaded.get(key));
      }
    };
    if (model.beforeLoad || (!this.storedEmpty && missingKeys().length > 0)) {
      await db(async (client) => {
        if (model.beforeLoad) await model.beforeLoad(client, reads.map(({ read }) => read));
        const missing = missingKeys(); // beforeLoad may have given reads more keys
        if (missing.length > 0) remember(missing, this.storedEmpty ? new Map() : await model.load(client, missing, reads.map(({ read }) => read)));
      });
    } else {
      remember(missingKeys(), new Map());
    }
    return evolveAll(model, this.states, reads).map((f) => ({ event: events[f.index], error: f.error }));
  }

  async flush(client: PoolClient): Promise<void> {
    const changed = [...this.states].filter(([key, state]) => state !== undefined && state !== this.stored.get(key));
    for (let from = 0; from < changed.length; from += SAVE_SLICE) {
      // Settled slice by slice: what a document derives (a ledger's entries) is held for one slice at a time.
      await this.model.save(client, settleChanged(this.model, new Map(changed.slice(from, from + SAVE_SLICE)), this.stored));
    }
    this.forget();
  }

  forget(): void {
    this.states.clear();
    this.stored.clear();
    this.storedEmpty = false;
  }
}
