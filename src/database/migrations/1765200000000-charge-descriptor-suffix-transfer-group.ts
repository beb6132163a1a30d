import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Charges keep `statement_descriptor_suffix` and `transfer_group`, as Stripe.Charge does; existing ones
 * have neither (null). The partial index serves the `transfer_group` list filter without costing the
 * many charges that have no group anything on insert.
 */
export class ChargeDescriptorSuffixTransferGroup1765200000000 implements MigrationInterface {
  name = 'ChargeDescriptorSuffixTransferGroup1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "charges" ADD COLUMN "statement_descriptor_suffix" varchar`);
    await queryRunner.query(`ALTER TABLE "charges" ADD COLUMN "transfer_group" varchar`);
    await queryRunner.query(
      `CREATE INDEX "charges_transfer_group_list" ON "charges" ("account", "transfer_group", "seq") WHERE transfer_group IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "charges_transfer_group_list"`);
    await queryRunner.query(`ALTER TABLE "charges" DROP COLUMN "transfer_group"`);
    await queryRunner.query(`ALTER TABLE "charges" DROP COLUMN "statement_descriptor_suffix"`);
  }
}
