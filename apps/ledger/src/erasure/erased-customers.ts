import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { personalDataOf, withoutPaths } from '@ledger/voucherify';
import { LedgerConfig } from '../config/ledger-config';
import { PG_POOL } from '../database/database.module';
import { ErasureRequestError, requestErasure } from './erasures';

/**
 * The customers erased (or being erased), for the ingest: a webhook that names one is stored
 * already redacted, after its signature was checked on the bytes received. Re-read at most every
 * ERASURE_REFRESH_MS, on the request path: a stale list is never used past that, and an erasure
 * waits two refreshes before it scans the log, so nothing slips between the two.
 */
@Injectable()
export class ErasedCustomers {
  private erasureOf = new Map<string, string>();
  private loadedAt = -Infinity;
  private loading: Promise<void> | null = null;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly config: LedgerConfig,
  ) {}

  /** The body without the personal data of every erased customer it names, or null when it names none. */
  async redact(body: unknown): Promise<{ body: unknown; redactedBy: string } | null> {
    if (Date.now() - this.loadedAt >= this.config.erasureRefreshMs) await this.reload();
    if (this.erasureOf.size === 0) return null;
    const named = new Set<string>();
    collectStrings(body, (value) => this.erasureOf.has(value) && named.add(value));
    if (named.size === 0) return null;
    let redacted = body;
    for (const customerId of named) {
      const { paths } = personalDataOf(redacted, customerId, { extraFields: this.config.eraseExtraFields, sourceId: this.config.eraseSourceId });
      redacted = withoutPaths(redacted, paths);
    }
    return { body: redacted, redactedBy: `ingest:${[...named].map((c) => this.erasureOf.get(c)).sort().join(',')}` };
  }

  /** ERASE_ON_CUSTOMER_DELETED: Voucherify deleted the customer; their erasure is requested (once). */
  async requestOnDeletion(customerId: string): Promise<void> {
    try {
      await requestErasure(this.pool, { customer: customerId, reason: 'customer.deleted in Voucherify', requestedBy: 'customer.deleted' });
    } catch (error) {
      if (!(error instanceof ErasureRequestError)) throw error;
    }
  }

  private reload(): Promise<void> {
    this.loading ??= this.pool
      // A failed erasure too: it was asked for; until it is asked again and done, nothing new of theirs is kept.
      .query<{ customer_id: string; id: string }>(`SELECT DISTINCT ON (customer_id) customer_id, id FROM erasures ORDER BY customer_id, requested_at DESC`)
      .then(({ rows }) => {
        this.erasureOf = new Map(rows.map((r) => [r.customer_id, r.id]));
        this.loadedAt = Date.now();
      })
      .finally(() => (this.loading = null));
    return this.loading;
  }
}

function collectStrings(node: unknown, visit: (value: string) => unknown): void {
  if (typeof node === 'string') visit(node);
  else if (Array.isArray(node)) for (const child of node) collectStrings(child, visit);
  else if (typeof node === 'object' && node !== null) for (const child of Object.values(node)) collectStrings(child, visit);
}
