import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { LEDGER_GAPS_TABLE } from '@ledger/projections';
import { PG_POOL } from '../database/database.module';
import { GAP_COLUMNS, presentGap } from './ledger.rows';
import type { LedgerGapListDto } from './ledger.dto';

/** A card's open gaps. */
export class CardGapsQuery extends Query<LedgerGapListDto> {
  constructor(readonly voucherId: string) {
    super();
  }
}

@QueryHandler(CardGapsQuery)
export class CardGapsHandler implements IQueryHandler<CardGapsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ voucherId }: CardGapsQuery): Promise<LedgerGapListDto> {
    const result = await this.pool.query({
      name: 'ledger-card-gaps',
      text: `SELECT ${GAP_COLUMNS} FROM ledger_gaps WHERE voucher_id = $1 ORDER BY to_at NULLS FIRST, entry_key`,
      values: [voucherId],
    });
    return { data: result.rows.map((row) => presentGap(LEDGER_GAPS_TABLE.fromRow(row))) };
  }
}
