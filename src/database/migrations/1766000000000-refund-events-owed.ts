import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A refund's events used to be staged in its finishing phase; they are now staged as it is processed
 * (`refund_processed`). A refund an older build left processed but not finished (a crash, an abandoned
 * retry) would be finished with neither: it owes them (`events_owed`), and its finishing phase stages them.
 * One whose `refund.created` is already there (a build that staged them at `refund_processed` ran before
 * this migration, with the same schema) owes nothing: marking it would send its events twice.
 */
export class RefundEventsOwed1766000000000 implements MigrationInterface {
  name = 'RefundEventsOwed1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "refunds" ADD COLUMN "events_owed" boolean NOT NULL DEFAULT (0)`);
    await queryRunner.query(
      // One pass over the refund.created events of the accounts concerned (none, usually), not one per refund.
      `UPDATE "refunds" SET "events_owed" = 1 WHERE "unfinished" = 1 AND "status" <> 'pending' AND "id" NOT IN (
         SELECT json_extract("data", '$.object.id') FROM "events" WHERE "type" = 'refund.created'
           AND json_extract("data", '$.object.id') IS NOT NULL -- a NULL in NOT IN's list would match no refund at all
           AND "account" IN (SELECT "account" FROM "refunds" WHERE "unfinished" = 1 AND "status" <> 'pending'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "refunds" DROP COLUMN "events_owed"`);
  }
}
