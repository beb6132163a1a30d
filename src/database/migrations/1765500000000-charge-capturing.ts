import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A charge notes a capture (`capturing`: the amount; `capturing_by`, `capturing_since`: the request that
 * asked and when), committed before the card network is asked. Existing charges have none (null).
 */
export class ChargeCapturing1765500000000 implements MigrationInterface {
  name = 'ChargeCapturing1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "charges" ADD COLUMN "capturing" integer`);
    await queryRunner.query(`ALTER TABLE "charges" ADD COLUMN "capturing_by" varchar`);
    await queryRunner.query(`ALTER TABLE "charges" ADD COLUMN "capturing_since" integer`);
    // The completer's search for keyless captures left noted: empty but for captures not yet recorded.
    await queryRunner.query(`CREATE INDEX "charges_capturing" ON "charges" ("capturing_since") WHERE capturing IS NOT NULL AND captured = 0`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "charges_capturing"`);
    await queryRunner.query(`ALTER TABLE "charges" DROP COLUMN "capturing_since"`);
    await queryRunner.query(`ALTER TABLE "charges" DROP COLUMN "capturing_by"`);
    await queryRunner.query(`ALTER TABLE "charges" DROP COLUMN "capturing"`);
  }
}
