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
}
