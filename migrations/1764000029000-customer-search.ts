import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Finding a customer by what support has (an email, a name, a phone, a card code, a source id),
 * case-insensitive and by any part of a word: trigram indexes (pg_trgm, a trusted extension the
 * database's owner may create) on one lower-cased text of the profile, and on card codes. Existing
 * logs fill `phone` with `ledger replay --projection customers`.
 */
export class CustomerSearch1764000029000 implements MigrationInterface {
  name = 'CustomerSearch1764000029000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`ALTER TABLE customers ADD COLUMN phone text`);
    // The expression must stay the one customer search queries (search-customers.query.ts, CUSTOMER_SEARCH_TEXT).
    await queryRunner.query(
      `CREATE INDEX customers_search_idx ON customers USING gin ((lower(coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(source_id, '') || ' ' || coalesce(phone, '') || ' ' || id)) gin_trgm_ops)`,
    );
    await queryRunner.query(`CREATE INDEX loyalty_cards_code_search_idx ON loyalty_cards USING gin (lower(code) gin_trgm_ops)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX loyalty_cards_code_search_idx`);
    await queryRunner.query(`DROP INDEX customers_search_idx`);
    await queryRunner.query(`ALTER TABLE customers DROP COLUMN phone`);
    // The extension stays: another schema object may use it by now.
  }
}
