import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * idempotency_keys_unfinished holds only unfinished keys: the completer's sweep is its one reader, and every
 * finished key (nearly all of them) cost an entry, written by its last phase and kept until the reaper.
 */
export class UnfinishedKeysIndex1765100000000 implements MigrationInterface {
  name = 'UnfinishedKeysIndex1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idempotency_keys_unfinished"`);
    await queryRunner.query(
      `CREATE INDEX "idempotency_keys_unfinished" ON "idempotency_keys" ("last_run_at") WHERE recovery_point <> 'finished'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idempotency_keys_unfinished"`);
    await queryRunner.query(`CREATE INDEX "idempotency_keys_unfinished" ON "idempotency_keys" ("recovery_point", "last_run_at")`);
  }
}
