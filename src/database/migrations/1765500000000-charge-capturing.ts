import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A charge records the amount a capture in flight asked for (`capturing`), committed before the card
 * network is asked and cleared in the commit that records the capture. Existing charges have no capture
 * in flight (null).
 */
export class ChargeCapturing1765500000000 implements MigrationInterface {
  name = 'ChargeCapturing1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "charges" ADD COLUMN "capturing" integer`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "charges" DROP COLUMN "capturing"`);
  }
}
