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
      `UPDATE "refunds" SET "events_owed" = 1 WHERE "unfinished" = 1 AND "status" <> 'pending' AND NOT EXISTS (
         SELECT 1 FROM "events" WHERE "events"."account" = "refunds"."account" AND "events"."type" = 'refund.created'
           AND json_extract("events"."data", '$.object.id') = "refunds"."id")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "refunds" DROP COLUMN "events_owed"`);
  }
}
