import type { Pool } from 'pg';
import { GroupCommitAppender } from '@ledger/event-store';
import type { LedgerConfig } from '../config/ledger-config';

/** The appender of the ingest use case, sized by configuration; the service and the CLI share it. */
export function createGroupCommitAppender(pool: Pool, config: LedgerConfig): GroupCommitAppender {
  return new GroupCommitAppender(pool, { maxBatch: config.ingestMaxBatch, maxConcurrentFlushes: config.ingestConcurrentFlushes });
}
