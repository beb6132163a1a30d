import type { MigrationInterface, QueryRunner } from 'typeorm';

const COLUMNS = ['name', 'address_line1', 'address_line2', 'address_city', 'address_state', 'address_zip', 'address_country'];

/**
 * Cards keep what Stripe keeps on a card: the holder's name and address (from a card hash or a source
 * update) and metadata. Added with ALTER TABLE, which is instant on a file of any size, rather than the
 * table rebuild TypeORM would generate.
 */
export class CardHolderDetails1764600000000 implements MigrationInterface {
  name = 'CardHolderDetails1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const column of COLUMNS) await queryRunner.query(`ALTER TABLE "cards" ADD COLUMN "${column}" varchar`);
    await queryRunner.query(`ALTER TABLE "cards" ADD COLUMN "metadata" text NOT NULL DEFAULT ('{}')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of ['metadata', ...[...COLUMNS].reverse()]) await queryRunner.query(`ALTER TABLE "cards" DROP COLUMN "${column}"`);
  }
}
