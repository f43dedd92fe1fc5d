import type { SignatureStatus } from '../types';

/** An event as projections read it from the log, in commit-safe order. */
export interface LogEvent {
  position: number;
  transactionId: string;
  eventId: string;
  type: string;
  occurredAt: Date | null;
  /** True when the sender gave a created_at at all, even one that did not parse (occurredAt null). */
  occurredAtGiven: boolean;
  /** When the ledger stored the event: what projections fall back on when a source time cannot be believed. */
  receivedAt: Date;
  /** How it came in: a verified webhook, an import, an operator's own event (a point value). */
  signatureStatus: SignatureStatus;
  payload: any;
}

export interface ProjectionFailure {
  event: LogEvent;
  error: Error;
}

/** A projection as the runner drives it: applies a batch inside the runner's transaction. */
export interface Projection {
  readonly name: string;
  /** Returns the events it could not apply (they are parked); throwing fails the whole batch. */
  apply(client: import('pg').PoolClient, events: LogEvent[]): Promise<ProjectionFailure[]>;
  /**
   * A rebuild's way in, when the projection has one: a fold that keeps its documents in memory
   * across batches and writes each one once per flush (see ProjectionFold). `storedEmpty`: its
   * tables hold nothing yet (a fresh rebuild), so nothing needs loading until the first flush.
   */
  openFold?(storedEmpty: boolean): ProjectionFold;
}

/** Runs `work` in a transaction of its own (on the rebuild's shadow tables), committed when it returns. */
export type InTransaction = <T>(work: (client: import('pg').PoolClient) => Promise<T>) => Promise<T>;

/** What a fold answers for a batch it cannot take in memory: flush, then apply the batch the usual way. */
export const FLUSH_FIRST = Symbol('flush first');

/**
 * A projection's state folded in memory over many batches (a rebuild), written only when the
 * rebuild flushes: each document is loaded at most once per flush and written once, instead of
 * once per batch. The rebuild moves the checkpoint only with a flush, so what is in memory is
 * never counted as applied.
 */
export interface ProjectionFold {
  /**
   * Folds the batch into memory, reading stored documents in a transaction of `db` when it must
   * (a fold that needs no stored document opens none). Returns
   * the events it could not apply (parked at the next flush), or FLUSH_FIRST, having changed
   * nothing, when the batch needs what is folded so far stored first.
   */
  add(events: LogEvent[], db: InTransaction): Promise<ProjectionFailure[] | typeof FLUSH_FIRST>;
  /** Writes every document changed since the last flush in the caller's transaction, then forgets what it held. */
  flush(client: import('pg').PoolClient): Promise<void>;
  /**
   * Forgets what it held without writing it, and loads what it needs from then on: the tables
   * may now hold what the usual way wrote (a batch the fold could not take, a flush that failed).
   */
  forget(): void;
}
