import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Customers keep `business_name` and `individual_name`, which Stripe.Customer shows when set; existing ones have neither. */
export class CustomerBusinessIndividualName1765600000000 implements MigrationInterface {
  name = 'CustomerBusinessIndividualName1765600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "customers" ADD COLUMN "business_name" varchar`);
    await queryRunner.query(`ALTER TABLE "customers" ADD COLUMN "individual_name" varchar`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "customers" DROP COLUMN "individual_name"`);
    await queryRunner.query(`ALTER TABLE "customers" DROP COLUMN "business_name"`);
  }
}
