import type { Pool, PoolClient } from 'pg';
import { isConnectionError, isStalePlanError } from '../database-errors';

/**
 * Runs `work` on a client checked out of the pool, and gives it back. While a client is checked
 * out the pool no longer listens for its errors, and pg emits 'error' on it whenever its
 * connection dies (a PostgreSQL restart or crash), even in the middle of a query: unheard,
 * that error would crash the process. Here it is heard; the pending query fails anyway, and a
 * broken client (or one holding a prepared statement PostgreSQL will no longer run) goes back
 * destroyed, not reused.
 */
export async function withPooledClient<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failed: unknown;
  const onError = (error: Error) => (failed ??= error);
  client.on('error', onError);
  try {
    return await work(client);
  } catch (error) {
    failed ??= error;
    throw error;
  } finally {
    client.off('error', onError);
    client.release(failed && (isConnectionError(failed) || isStalePlanError(failed)) ? (failed as Error) : undefined);
  }
}
