import { Query } from '@nestjs/cqrs';
import type { findVoucher } from '@ledger/projections';

/** A held voucher by id (v_...) or code, with its holder; null when unknown. */
export class GetVoucherQuery extends Query<Awaited<ReturnType<typeof findVoucher>>> {
  constructor(readonly idOrCode: string) {
    super();
  }
}
