import type { Pool } from 'pg';
import type { LedgerConfig } from '../config/ledger-config';
import type { ErasureDto } from './erasure.dto';
import { ErasureRequestError, getErasure, requestErasure, runErasure } from './erasures';

/**
 * `ledger erase --customer <cust_ id or source id> [--reason TEXT]`: requests the erasure and runs
 * it here, unless a running service takes it first (then waits for it). Prints the erasure.
 */
export async function eraseCustomer(pool: Pool, config: LedgerConfig, customer: string, reason?: string): Promise<ErasureDto> {
  const requested = await requestErasure(pool, { customer, reason, requestedBy: 'cli' });
  const options = { extraFields: config.eraseExtraFields, sourceId: config.eraseSourceId, refreshMs: config.erasureRefreshMs };
  for (;;) {
    const done = await runErasure(pool, requested.id, options);
    const erasure = done ?? (await getErasure(pool, requested.id));
    if (erasure && (erasure.status === 'done' || erasure.status === 'failed')) return erasure;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export { ErasureRequestError };
