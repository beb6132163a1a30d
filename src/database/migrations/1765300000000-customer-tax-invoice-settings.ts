import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customers keep `tax_exempt`, `next_invoice_sequence` and `invoice_settings` (its four fields as columns),
 * refunds their `instructions_email`. Existing customers get what Stripe shows for a new one: `none`,
 * sequence 1, no invoice settings; existing refunds had no instructions email.
 */
export class CustomerTaxInvoiceSettings1765300000000 implements MigrationInterface {
  name = 'CustomerTaxInvoiceSettings1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "customers" ADD COLUMN "tax_exempt" varchar NOT NULL DEFAULT ('none')`);
    await queryRunner.query(`ALTER TABLE "customers" ADD COLUMN "next_invoice_sequence" integer NOT NULL DEFAULT (1)`);
    await queryRunner.query(`ALTER TABLE "customers" ADD COLUMN "invoice_custom_fields" text`);
    await queryRunner.query(`ALTER TABLE "customers" ADD COLUMN "invoice_default_payment_method" varchar`);
    await queryRunner.query(`ALTER TABLE "customers" ADD COLUMN "invoice_footer" varchar`);
    await queryRunner.query(`ALTER TABLE "customers" ADD COLUMN "invoice_rendering_options" text`);
    await queryRunner.query(`ALTER TABLE "refunds" ADD COLUMN "instructions_email" varchar`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "refunds" DROP COLUMN "instructions_email"`);
    for (const column of ['invoice_rendering_options', 'invoice_footer', 'invoice_default_payment_method', 'invoice_custom_fields', 'next_invoice_sequence', 'tax_exempt']) {
      await queryRunner.query(`ALTER TABLE "customers" DROP COLUMN "${column}"`);
    }
  }
}
