import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A keyless charge or refund stays `unfinished` until its outcome's events are staged, not only until the
 * network answers: a crash between the two commits left an outcome no event ever announced, because the
 * completer looked only for `pending` ones. The flag replaces the `pending` partial indexes.
 */
export class KeylessUnfinished1764800000000 implements MigrationInterface {
  name = 'KeylessUnfinished1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['charges', 'refunds']) {
      await queryRunner.query(`ALTER TABLE "${table}" ADD COLUMN "unfinished" boolean NOT NULL DEFAULT (0)`);
      // Before this migration a keyless row was unfinished exactly while it was pending.
      await queryRunner.query(`UPDATE "${table}" SET "unfinished" = 1 WHERE "status" = 'pending' AND "keyed" = 0`);
      await queryRunner.query(`DROP INDEX "${table}_pending_keyless"`);
      await queryRunner.query(`CREATE INDEX "${table}_unfinished" ON "${table}" ("created") WHERE unfinished = 1`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['refunds', 'charges']) {
      await queryRunner.query(`DROP INDEX "${table}_unfinished"`);
      await queryRunner.query(`CREATE INDEX "${table}_pending_keyless" ON "${table}" ("created") WHERE status = 'pending' AND keyed = 0`);
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "unfinished"`);
    }
  }
}
