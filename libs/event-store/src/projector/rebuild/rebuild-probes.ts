/**
 * Test-only: points where a test stops a rebuild to look at it, or to break something (end its
 * lock session, crash PostgreSQL), at a moment no outside observer could pin down. A parameter of
 * their own, beside RebuildOptions, so the options a caller sets hold only what a rebuild needs;
 * no production caller passes them.
 */
export interface RebuildProbes {
  /** Awaited before each batch of the load, before the lock is checked (a half-built shadow). */
  betweenBatches?: () => Promise<void>;
  /** Awaited once the shadow has caught up and has its indexes, just before the swap. */
  beforeSwap?: () => Promise<void>;
}
