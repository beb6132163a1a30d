import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keyed charges and refunds are `unfinished` too now, until their events are staged, so nothing announces
 * a capture, update or refund of one before its own event. A file from the previous version may hold keyed
 * rows whose key stopped short of `finished` (a crash, an abandoned client): they are marked here, from the
 * key that is still working on them, or they could be captured before the completer announces them.
 */
export class KeyedUnfinished1764900000000 implements MigrationInterface {
  name = 'KeyedUnfinished1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [table, points] of [['charges', `'charge_created', 'payment_processed'`], ['refunds', `'refund_created', 'refund_processed'`]]) {
      await queryRunner.query(
        `UPDATE "${table}" SET "unfinished" = 1 WHERE "keyed" = 1 AND "id" IN ` +
          `(SELECT "resource_id" FROM "idempotency_keys" WHERE "recovery_point" IN (${points}) AND "resource_id" IS NOT NULL)`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The previous version never marks a keyed row, and its completer would take a marked one for keyless.
    for (const table of ['charges', 'refunds']) await queryRunner.query(`UPDATE "${table}" SET "unfinished" = 0 WHERE "keyed" = 1`);
  }
}
