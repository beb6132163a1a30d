import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Refunds name their charge's customer and card, as Stripe.Refund does (`customer`, `payment_method`). */
export class RefundCustomer1764700000000 implements MigrationInterface {
  name = 'RefundCustomer1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "refunds" ADD COLUMN "customer_id" varchar`);
    await queryRunner.query(`ALTER TABLE "refunds" ADD COLUMN "payment_method" varchar`);
    // Refunds made before this migration take them from their charge.
    await queryRunner.query(
      `UPDATE "refunds" SET ("customer_id", "payment_method") = (SELECT "customer_id", "card_id" FROM "charges" WHERE "charges"."id" = "refunds"."charge_id" AND "charges"."account" = "refunds"."account")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "refunds" DROP COLUMN "payment_method"`);
    await queryRunner.query(`ALTER TABLE "refunds" DROP COLUMN "customer_id"`);
  }
}
