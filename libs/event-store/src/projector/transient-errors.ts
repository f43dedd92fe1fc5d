/** How the projector tells faults a retry fixes from events it cannot apply. */

/**
 * Faults a retry can fix (cancelled statement, deadlock, serialization, out of resources,
 * lock timeout, lost connection): never a reason to park an event.
 */
export function isTransientError(error: unknown): boolean {
  const code = (error as { code?: string })?.code ?? '';
  const movedCheckpoint = (error as Error)?.name === 'CheckpointMovedError';
  return movedCheckpoint || isConnectionError(error) || isStalePlanError(error) || /^(40|53|57|55P03|08)/.test(code);
}

/**
 * A prepared statement whose result columns changed under it (a migration while this process
 * runs). Our named statements list their columns, so this should not happen; if it does, the
 * batch is retried on a fresh connection rather than its events parked.
 */
export function isStalePlanError(error: unknown): boolean {
  return (error as { code?: string })?.code === '0A000' && /cached plan must not change result type/.test(String((error as Error)?.message));
}

export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string })?.code ?? '';
  return /^(08|57P|53)/.test(code) || /ECONN|ETIMEDOUT|EPIPE|Connection terminated|timeout exceeded/.test(String((error as Error)?.message));
}
