import { MigrationInterface, QueryRunner } from 'typeorm';

const CARD_AMOUNTS = ['points', 'balance', 'redeemed_points', 'expired_points', 'subtracted_points', 'pending_points'];

/**
 * Source times and amounts are data, not authority. A read model now says when a time it orders
 * by is the received time standing in for one that could not be believed (`*_untrusted`), and an
 * amount that could not be read (not a safe integer) is stored as null, never 0 or rounded.
 */
export class UntrustedSourceValues1764000008000 implements MigrationInterface {
  name = 'UntrustedSourceValues1764000008000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const flag = (name: string) => `ADD COLUMN ${name} boolean NOT NULL DEFAULT false`;
    await queryRunner.query(
      `ALTER TABLE loyalty_cards ${CARD_AMOUNTS.map((c) => `ALTER COLUMN ${c} DROP NOT NULL`).join(', ')}, ${flag('source_time_untrusted')}`,
    );
    await queryRunner.query(
      `ALTER TABLE points_history ALTER COLUMN delta DROP NOT NULL, ALTER COLUMN balance_after DROP NOT NULL, ${flag('source_time_untrusted')}`,
    );
    await queryRunner.query(`ALTER TABLE customers ${flag('source_time_untrusted')}`);
    await queryRunner.query(`ALTER TABLE reward_redemptions ${flag('points_unreadable')}, ${flag('created_at_untrusted')}`);
    await queryRunner.query(
      `ALTER TABLE voucher_holdings ${flag('quantity_unreadable')}, ${flag('acquired_at_untrusted')}, ${flag('snapshot_at_untrusted')}`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The old schema cannot hold an unknown amount: it goes back to 0, as the old code read it.
    // Read models are disposable; `ledger replay` rebuilds them from the log.
    for (const column of CARD_AMOUNTS) await queryRunner.query(`UPDATE loyalty_cards SET ${column} = 0 WHERE ${column} IS NULL`);
    await queryRunner.query(
      `ALTER TABLE loyalty_cards ${CARD_AMOUNTS.map((c) => `ALTER COLUMN ${c} SET NOT NULL`).join(', ')}, DROP COLUMN source_time_untrusted`,
    );
    await queryRunner.query(`UPDATE points_history SET delta = COALESCE(delta, 0), balance_after = COALESCE(balance_after, 0) WHERE delta IS NULL OR balance_after IS NULL`);
    await queryRunner.query(
      `ALTER TABLE points_history ALTER COLUMN delta SET NOT NULL, ALTER COLUMN balance_after SET NOT NULL, DROP COLUMN source_time_untrusted`,
    );
    await queryRunner.query(`ALTER TABLE customers DROP COLUMN source_time_untrusted`);
    await queryRunner.query(`ALTER TABLE reward_redemptions DROP COLUMN points_unreadable, DROP COLUMN created_at_untrusted`);
    await queryRunner.query(
      `ALTER TABLE voucher_holdings DROP COLUMN quantity_unreadable, DROP COLUMN acquired_at_untrusted, DROP COLUMN snapshot_at_untrusted`,
    );
  }
}
