import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Events (the outbox), webhook endpoints, deliveries and their attempts (issue: Events and signed webhook deliveries). */
export class Events1764200000000 implements MigrationInterface {
  name = 'Events1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "events" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "id" varchar NOT NULL, "account" varchar NOT NULL, "created" integer NOT NULL, "type" varchar NOT NULL, "data" text NOT NULL, "request_id" varchar, "request_idempotency_key" varchar)`);
    await queryRunner.query(`CREATE INDEX "events_account_type" ON "events" ("account", "type", "seq")`);
    await queryRunner.query(`CREATE INDEX "events_account_list" ON "events" ("account", "seq")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "events_id" ON "events" ("id")`);
    await queryRunner.query(`CREATE TABLE "webhook_attempts" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "account" varchar NOT NULL, "delivery_seq" integer NOT NULL, "event_id" varchar NOT NULL, "endpoint_id" varchar NOT NULL, "attempt" integer NOT NULL, "status_code" integer, "error" varchar, "next_retry_at" bigint, "created_at" bigint NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "webhook_attempts_account" ON "webhook_attempts" ("account", "seq")`);
    await queryRunner.query(`CREATE TABLE "webhook_deliveries" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "account" varchar NOT NULL, "event_id" varchar NOT NULL, "endpoint_id" varchar NOT NULL, "status" varchar NOT NULL, "attempts" integer NOT NULL DEFAULT (0), "next_attempt_at" bigint, "last_status_code" integer, "last_error" varchar, "created_at" bigint NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "webhook_deliveries_account" ON "webhook_deliveries" ("account", "seq")`);
    await queryRunner.query(`CREATE INDEX "webhook_deliveries_event" ON "webhook_deliveries" ("event_id")`);
    await queryRunner.query(`CREATE INDEX "webhook_deliveries_due" ON "webhook_deliveries" ("status", "next_attempt_at")`);
    await queryRunner.query(`CREATE TABLE "webhook_endpoints" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "id" varchar NOT NULL, "account" varchar NOT NULL, "created" integer NOT NULL, "url" varchar NOT NULL, "enabled_events" text NOT NULL, "description" varchar, "metadata" text NOT NULL DEFAULT ('{}'), "status" varchar NOT NULL, "secret" varchar NOT NULL, "deleted" boolean NOT NULL DEFAULT (0))`);
    await queryRunner.query(`CREATE INDEX "webhook_endpoints_account_list" ON "webhook_endpoints" ("account", "deleted", "seq")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "webhook_endpoints_id" ON "webhook_endpoints" ("id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "webhook_attempts"`);
    await queryRunner.query(`DROP TABLE "webhook_deliveries"`);
    await queryRunner.query(`DROP TABLE "webhook_endpoints"`);
    await queryRunner.query(`DROP TABLE "events"`);
  }
}
