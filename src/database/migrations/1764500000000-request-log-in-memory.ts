import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The request log moved to memory (src/request-log/request-log.store.ts): its table goes. */
export class RequestLogInMemory1764500000000 implements MigrationInterface {
  name = 'RequestLogInMemory1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "request_logs"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "request_logs" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "id" varchar NOT NULL, "account" varchar NOT NULL, "method" varchar NOT NULL, "path" varchar NOT NULL, "status" integer, "idempotency_key" varchar(255), "replayed" boolean NOT NULL, "original_request" varchar, "duration_ms" integer NOT NULL, "params" text NOT NULL, "response_body" text, "created_at" bigint NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "request_logs_id" ON "request_logs" ("id")`);
    await queryRunner.query(`CREATE INDEX "request_logs_account_list" ON "request_logs" ("account", "seq")`);
  }
}
