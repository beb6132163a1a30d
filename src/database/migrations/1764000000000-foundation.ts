import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Idempotency keys and customers (issue: Foundation). */
export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "customers" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "id" varchar NOT NULL, "account" varchar NOT NULL, "created" integer NOT NULL, "email" varchar, "name" varchar, "description" varchar, "phone" varchar, "metadata" text NOT NULL DEFAULT ('{}'), "address" text, "shipping" text, "balance" integer NOT NULL DEFAULT (0), "currency" varchar, "default_source" varchar, "invoice_prefix" varchar NOT NULL, "deleted" boolean NOT NULL DEFAULT (0))`);
    await queryRunner.query(`CREATE INDEX "customers_account_list" ON "customers" ("account", "deleted", "seq")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "customers_id" ON "customers" ("id")`);
    await queryRunner.query(`CREATE TABLE "idempotency_keys" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "account" varchar NOT NULL, "key" varchar(255) NOT NULL, "request_method" varchar NOT NULL, "request_path" varchar NOT NULL, "request_params" text NOT NULL, "recovery_point" varchar NOT NULL, "resource_id" varchar, "locked_at" bigint, "last_run_at" bigint NOT NULL, "response_code" integer, "response_body" text, "request_id" varchar NOT NULL, "created_at" bigint NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "idempotency_keys_unfinished" ON "idempotency_keys" ("recovery_point", "last_run_at")`);
    await queryRunner.query(`CREATE INDEX "idempotency_keys_created" ON "idempotency_keys" ("created_at")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "idempotency_keys_account_key" ON "idempotency_keys" ("account", "key")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
    await queryRunner.query(`DROP TABLE "customers"`);
  }
}
