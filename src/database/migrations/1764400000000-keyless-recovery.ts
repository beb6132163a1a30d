import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Charges and refunds remember whether they were made under an Idempotency-Key, so the completer can
 * also finish the ones a keyless request left pending (issue: Charges and refunds, the completer).
 */
export class KeylessRecovery1764400000000 implements MigrationInterface {
  name = 'KeylessRecovery1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "charges_id"`);
    await queryRunner.query(`DROP INDEX "charges_account_list"`);
    await queryRunner.query(`DROP INDEX "charges_customer_list"`);
    await queryRunner.query(`CREATE TABLE "temporary_charges" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "id" varchar NOT NULL, "account" varchar NOT NULL, "created" integer NOT NULL, "amount" integer NOT NULL, "amount_captured" integer NOT NULL DEFAULT (0), "amount_refunded" integer NOT NULL DEFAULT (0), "currency" varchar NOT NULL, "customer_id" varchar, "card_id" varchar NOT NULL, "card" text NOT NULL, "status" varchar NOT NULL, "capture_requested" boolean NOT NULL, "captured" boolean NOT NULL DEFAULT (0), "failure_code" varchar, "failure_message" varchar, "outcome" text, "authorization_code" varchar, "balance_transaction" varchar, "description" varchar, "metadata" text NOT NULL DEFAULT ('{}'), "receipt_email" varchar, "statement_descriptor" varchar, "shipping" text, "fraud_details" text NOT NULL DEFAULT ('{}'), "keyed" boolean NOT NULL DEFAULT (0))`);
    await queryRunner.query(`INSERT INTO "temporary_charges"("seq", "id", "account", "created", "amount", "amount_captured", "amount_refunded", "currency", "customer_id", "card_id", "card", "status", "capture_requested", "captured", "failure_code", "failure_message", "outcome", "authorization_code", "balance_transaction", "description", "metadata", "receipt_email", "statement_descriptor", "shipping", "fraud_details") SELECT "seq", "id", "account", "created", "amount", "amount_captured", "amount_refunded", "currency", "customer_id", "card_id", "card", "status", "capture_requested", "captured", "failure_code", "failure_message", "outcome", "authorization_code", "balance_transaction", "description", "metadata", "receipt_email", "statement_descriptor", "shipping", "fraud_details" FROM "charges"`);
    await queryRunner.query(`DROP TABLE "charges"`);
    await queryRunner.query(`ALTER TABLE "temporary_charges" RENAME TO "charges"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "charges_id" ON "charges" ("id")`);
    await queryRunner.query(`CREATE INDEX "charges_account_list" ON "charges" ("account", "seq")`);
    await queryRunner.query(`CREATE INDEX "charges_customer_list" ON "charges" ("account", "customer_id", "seq")`);
    await queryRunner.query(`DROP INDEX "refunds_id"`);
    await queryRunner.query(`DROP INDEX "refunds_account_list"`);
    await queryRunner.query(`DROP INDEX "refunds_charge"`);
    await queryRunner.query(`CREATE TABLE "temporary_refunds" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "id" varchar NOT NULL, "account" varchar NOT NULL, "created" integer NOT NULL, "charge_id" varchar NOT NULL, "amount" integer NOT NULL, "currency" varchar NOT NULL, "status" varchar NOT NULL, "reason" varchar, "metadata" text NOT NULL DEFAULT ('{}'), "balance_transaction" varchar, "keyed" boolean NOT NULL DEFAULT (0))`);
    await queryRunner.query(`INSERT INTO "temporary_refunds"("seq", "id", "account", "created", "charge_id", "amount", "currency", "status", "reason", "metadata", "balance_transaction") SELECT "seq", "id", "account", "created", "charge_id", "amount", "currency", "status", "reason", "metadata", "balance_transaction" FROM "refunds"`);
    await queryRunner.query(`DROP TABLE "refunds"`);
    await queryRunner.query(`ALTER TABLE "temporary_refunds" RENAME TO "refunds"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "refunds_id" ON "refunds" ("id")`);
    await queryRunner.query(`CREATE INDEX "refunds_account_list" ON "refunds" ("account", "seq")`);
    await queryRunner.query(`CREATE INDEX "refunds_charge" ON "refunds" ("account", "charge_id", "seq")`);
    await queryRunner.query(`CREATE INDEX "charges_pending_keyless" ON "charges" ("created") WHERE status = 'pending' AND keyed = 0`);
    await queryRunner.query(`CREATE INDEX "refunds_pending_keyless" ON "refunds" ("created") WHERE status = 'pending' AND keyed = 0`);
    // Rows from before this migration: those a key points at were made under one.
    await queryRunner.query(`UPDATE "charges" SET "keyed" = 1 WHERE "id" IN (SELECT "resource_id" FROM "idempotency_keys" WHERE "resource_id" IS NOT NULL)`);
    await queryRunner.query(`UPDATE "refunds" SET "keyed" = 1 WHERE "id" IN (SELECT "resource_id" FROM "idempotency_keys" WHERE "resource_id" IS NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "refunds_pending_keyless"`);
    await queryRunner.query(`DROP INDEX "charges_pending_keyless"`);
    await queryRunner.query(`ALTER TABLE "refunds" DROP COLUMN "keyed"`);
    await queryRunner.query(`ALTER TABLE "charges" DROP COLUMN "keyed"`);
  }
}
