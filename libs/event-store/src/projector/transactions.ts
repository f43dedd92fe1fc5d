import type { Pool, PoolClient } from 'pg';
import { isTransientError } from '../database-errors';
import { withPooledClient } from './pooled-client';

export interface TransactionOptions {
  /** Schema searched first for the read-model tables (a rebuild's shadow schema). */
  schema?: string;
  /**
   * Commit without waiting for the WAL flush (a rebuild's batches): a crash can take back the
   * last few such transactions, read-model rows and checkpoint together, to be redone from the
   * log. WAL is flushed in order, so any later durable commit makes them durable too.
   */
  asynchronousCommit?: boolean;
}

/**
 * Runs `work` in one transaction on a pooled client, with `schema` first on the search_path
 * (a rebuild's shadow tables) and, if asked, an asynchronous commit. Rolls back and rethrows
 * on failure.
 */
export async function inTransaction<T>(pool: Pool, options: TransactionOptions, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return withPooledClient(pool, async (client) => {
    try {
      // One round trip: the settings travel with BEGIN (a rebuild opens one such transaction per member per batch).
      let begin = 'BEGIN';
      if (options.asynchronousCommit) begin += '; SET LOCAL synchronous_commit = off';
      if (options.schema) begin += `; SET LOCAL search_path = ${client.escapeIdentifier(options.schema)}, public`;
      await client.query(begin);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}

/**
 * Runs `work` inside a savepoint of the caller's transaction. When it throws, rolls back to the
 * savepoint and returns the error, so the transaction can go on to park or record it. A
 * transient error is thrown: the transaction is lost or must be retried whole anyway.
 */
export async function withinSavepoint<T>(client: PoolClient, work: () => Promise<T>): Promise<T | Error> {
  await client.query('SAVEPOINT apply');
  try {
    return await work();
  } catch (error) {
    if (isTransientError(error)) throw error;
    // If even that fails (the connection is gone), the original error is the one to report.
    await client.query('ROLLBACK TO SAVEPOINT apply').catch(() => {
      throw error;
    });
    return asError(error);
  }
}

export const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
