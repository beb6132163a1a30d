import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Customers keep `preferred_locales` (a JSON array of strings), as Stripe.Customer does; existing ones have none. */
export class CustomerPreferredLocales1765000000000 implements MigrationInterface {
  name = 'CustomerPreferredLocales1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "customers" ADD COLUMN "preferred_locales" text NOT NULL DEFAULT ('[]')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "customers" DROP COLUMN "preferred_locales"`);
  }
}
