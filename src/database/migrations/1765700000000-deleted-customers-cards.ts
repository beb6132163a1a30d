import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deleting a customer deletes its cards (since stop 27); customers deleted before that left theirs
 * usable, so a charge could still name one. Those cards are deleted now, as they would have been.
 */
export class DeletedCustomersCards1765700000000 implements MigrationInterface {
  name = 'DeletedCustomersCards1765700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "cards" SET "deleted" = 1 WHERE "deleted" = 0 AND "customer_id" IS NOT NULL AND EXISTS
         (SELECT 1 FROM "customers" WHERE "customers"."id" = "cards"."customer_id" AND "customers"."account" = "cards"."account" AND "customers"."deleted" = 1)`,
    );
  }

  async down(): Promise<void> {
    // Which of the cards were deleted with their customer and which by this migration is not recorded.
  }
}
