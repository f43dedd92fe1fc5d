import { Inject } from '@nestjs/common';
import { Query, IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { PG_POOL } from '../database/database.module';
import { decodeCursorObject, encodeCursor } from '../http/page-cursor';
import type { CustomerSearchPageDto } from './customer.dto';

/** Where a page of search results ended: the match's rank and the customer's id. */
export interface SearchCursor {
  rank: number;
  id: string;
}

export function decodeSearchCursor(cursor: unknown): SearchCursor | string {
  const value = decodeCursorObject(cursor);
  if (typeof value === 'string') return value;
  if (![0, 1, 2].includes(value.rank as number) || typeof value.id !== 'string' || value.id.length > 255) return 'cursor is not one this API issued';
  return { rank: value.rank as number, id: value.id };
}

export class SearchCustomersQuery extends Query<CustomerSearchPageDto> {
  constructor(
    readonly q: string,
    readonly limit: number,
    readonly after?: SearchCursor,
  ) {
    super();
  }
}

/** The profile's searchable text; the expression of customers_search_idx (migration 1764000029000), to the character. */
const SEARCH_TEXT = `lower(coalesce(c.name, '') || ' ' || coalesce(c.email, '') || ' ' || coalesce(c.source_id, '') || ' ' || coalesce(c.phone, '') || ' ' || c.id)`;

/**
 * Customers whose profile (name, email, source id, phone, id) or one of whose card codes holds the
 * text, case-insensitive, anywhere in a word: trigram index scans, then the page. Exact matches
 * come first, then those where a word starts with the text, then the rest; by id within each.
 * An erased customer's removed values are no longer in the profile, so they find no one.
 */
const SQL = `
  WITH matched AS (
    SELECT c.id FROM customers c WHERE ${SEARCH_TEXT} LIKE $1
    UNION
    SELECT lc.customer_id FROM loyalty_cards lc WHERE lower(lc.code) LIKE $1 AND lc.customer_id IS NOT NULL
  ),
  exact_codes AS (SELECT customer_id FROM loyalty_cards WHERE lower(code) = $2 AND customer_id IS NOT NULL),
  ranked AS (
    SELECT m.id,
           CASE
             WHEN $2 IN (lower(c.email), lower(c.source_id), lower(c.phone), lower(m.id)) OR m.id IN (SELECT customer_id FROM exact_codes) THEN 0
             WHEN ${SEARCH_TEXT.replace(/\bc\.id\b/, 'm.id')} LIKE $3 OR ${SEARCH_TEXT.replace(/\bc\.id\b/, 'm.id')} LIKE $4 THEN 1
             ELSE 2
           END AS rank
    FROM matched m LEFT JOIN customers c ON c.id = m.id
  ),
  -- The page first, then what it shows: a text every customer holds ranks all of them, but fetches 20 profiles.
  page AS (
    SELECT * FROM ranked
    WHERE $5::int IS NULL OR (rank, id) > ($5::int, $6::text)
    ORDER BY rank, id
    LIMIT $7
  )
  SELECT p.rank, p.id, c.source_id, c.name, c.email, c.phone, COALESCE(c.deleted, false) AS deleted,
         ARRAY(SELECT code FROM loyalty_cards WHERE customer_id = p.id AND code IS NOT NULL ORDER BY code LIMIT 10) AS card_codes
  FROM page p LEFT JOIN customers c ON c.id = p.id
  ORDER BY p.rank, p.id`;

/** LIKE's own characters, taken literally. */
const literal = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

@QueryHandler(SearchCustomersQuery)
export class SearchCustomersHandler implements IQueryHandler<SearchCustomersQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ q, limit, after }: SearchCustomersQuery): Promise<CustomerSearchPageDto> {
    const text = q.trim().toLowerCase();
    const { rows } = await this.pool.query({
      name: 'customers-search',
      text: SQL,
      values: [`%${literal(text)}%`, text, `${literal(text)}%`, `% ${literal(text)}%`, after?.rank ?? null, after?.id ?? null, limit + 1],
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map((r) => ({
        id: r.id,
        source_id: r.source_id,
        name: r.name,
        email: r.email,
        phone: r.phone,
        deleted: r.deleted,
        card_codes: r.card_codes,
        match: (['exact', 'word_start', 'part_of_word'] as const)[r.rank],
      })),
      next_cursor: rows.length > limit && last ? encodeCursor({ rank: last.rank, id: last.id }) : null,
    };
  }
}
