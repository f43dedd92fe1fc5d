import { Command } from '@nestjs/cqrs';
import type { IngestResult } from './ingest-result';

/**
 * Where a body came from. A webhook has its signature checked and keeps some request headers;
 * an imported line was checked when it was first received (or is trusted history) and is stored
 * as `imported`.
 */
export type IngestSource =
  | {
      kind: 'webhook';
      /** The `x-voucherify-signature` header, as sent. */
      signature: string | undefined;
      /** Lower-cased names; only the ones worth keeping with the event. */
      headers: Record<string, string>;
    }
  | { kind: 'import' }
  /** An event of the ledger's own operators (e.g. a point value), built by an admin route. */
  | { kind: 'operator' }
  /** A transaction fetched from Voucherify's API by a reconciliation (backfill), stored as `reconciled`. */
  | { kind: 'reconciliation' };

/** Append one Voucherify event, given as the exact bytes received. */
export class IngestCommand extends Command<IngestResult> {
  constructor(
    readonly rawBody: Buffer,
    readonly source: IngestSource,
  ) {
    super();
  }
}
