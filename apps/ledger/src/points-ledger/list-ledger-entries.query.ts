import { Query } from '@nestjs/cqrs';
import type { ledgerPage, LedgerPageQuery } from '@ledger/projections';

/** A page of a card's ledger entries, newest first. */
export class ListLedgerEntriesQuery extends Query<Awaited<ReturnType<typeof ledgerPage>>> {
  constructor(readonly page: LedgerPageQuery) {
    super();
  }
}
