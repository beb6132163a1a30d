import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A capture's note says who noted it and when (`capturing_by`, `capturing_since`), so that the completer
 * can finish a keyless capture left noted; the partial index finds those (it holds only captures not yet
 * recorded). Existing notes have neither (null): the completer leaves them to their requests' retries.
 */
export class ChargeCaptureNote1765800000000 implements MigrationInterface {
  name = 'ChargeCaptureNote1765800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "charges" ADD COLUMN "capturing_by" varchar`);
    await queryRunner.query(`ALTER TABLE "charges" ADD COLUMN "capturing_since" integer`);
    await queryRunner.query(`CREATE INDEX "charges_capturing" ON "charges" ("capturing_since") WHERE capturing IS NOT NULL AND captured = 0`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "charges_capturing"`);
    await queryRunner.query(`ALTER TABLE "charges" DROP COLUMN "capturing_since"`);
    await queryRunner.query(`ALTER TABLE "charges" DROP COLUMN "capturing_by"`);
  }
}
