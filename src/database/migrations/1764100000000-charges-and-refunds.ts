import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Cards, charges, refunds and the simulated card network's own ledger (issue: Charges and refunds). */
export class ChargesAndRefunds1764100000000 implements MigrationInterface {
  name = 'ChargesAndRefunds1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "cards" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "id" varchar NOT NULL, "account" varchar NOT NULL, "customer_id" varchar, "brand" varchar NOT NULL, "last4" varchar NOT NULL, "exp_month" integer NOT NULL, "exp_year" integer NOT NULL, "funding" varchar NOT NULL, "country" varchar NOT NULL, "fingerprint" varchar NOT NULL, "cvc_check" varchar, "decline" text, "created" integer NOT NULL, "deleted" boolean NOT NULL DEFAULT (0))`);
    await queryRunner.query(`CREATE INDEX "cards_customer" ON "cards" ("account", "customer_id", "seq")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "cards_id" ON "cards" ("id")`);
    await queryRunner.query(`CREATE TABLE "card_network_operations" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "kind" varchar NOT NULL, "reference" varchar NOT NULL, "account" varchar NOT NULL, "amount" integer NOT NULL, "result" text NOT NULL, "created_at" bigint NOT NULL)`);
    await queryRunner.query(`CREATE UNIQUE INDEX "card_network_operations_reference" ON "card_network_operations" ("kind", "reference")`);
    await queryRunner.query(`CREATE TABLE "charges" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "id" varchar NOT NULL, "account" varchar NOT NULL, "created" integer NOT NULL, "amount" integer NOT NULL, "amount_captured" integer NOT NULL DEFAULT (0), "amount_refunded" integer NOT NULL DEFAULT (0), "currency" varchar NOT NULL, "customer_id" varchar, "card_id" varchar NOT NULL, "card" text NOT NULL, "status" varchar NOT NULL, "capture_requested" boolean NOT NULL, "captured" boolean NOT NULL DEFAULT (0), "failure_code" varchar, "failure_message" varchar, "outcome" text, "authorization_code" varchar, "balance_transaction" varchar, "description" varchar, "metadata" text NOT NULL DEFAULT ('{}'), "receipt_email" varchar, "statement_descriptor" varchar, "shipping" text, "fraud_details" text NOT NULL DEFAULT ('{}'))`);
    await queryRunner.query(`CREATE INDEX "charges_customer_list" ON "charges" ("account", "customer_id", "seq")`);
    await queryRunner.query(`CREATE INDEX "charges_account_list" ON "charges" ("account", "seq")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "charges_id" ON "charges" ("id")`);
    await queryRunner.query(`CREATE TABLE "refunds" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "id" varchar NOT NULL, "account" varchar NOT NULL, "created" integer NOT NULL, "charge_id" varchar NOT NULL, "amount" integer NOT NULL, "currency" varchar NOT NULL, "status" varchar NOT NULL, "reason" varchar, "metadata" text NOT NULL DEFAULT ('{}'), "balance_transaction" varchar)`);
    await queryRunner.query(`CREATE INDEX "refunds_charge" ON "refunds" ("account", "charge_id", "seq")`);
    await queryRunner.query(`CREATE INDEX "refunds_account_list" ON "refunds" ("account", "seq")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "refunds_id" ON "refunds" ("id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "refunds"`);
    await queryRunner.query(`DROP TABLE "charges"`);
    await queryRunner.query(`DROP TABLE "card_network_operations"`);
    await queryRunner.query(`DROP TABLE "cards"`);
  }
}
