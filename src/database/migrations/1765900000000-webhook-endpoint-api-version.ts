import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook endpoints keep the `api_version` they were created with, null when none was asked for (Stripe
 * then sends the account's default version). Endpoints made before it asked for none as far as anyone
 * can tell, and are null.
 */
export class WebhookEndpointApiVersion1765900000000 implements MigrationInterface {
  name = 'WebhookEndpointApiVersion1765900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook_endpoints" ADD COLUMN "api_version" varchar`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook_endpoints" DROP COLUMN "api_version"`);
  }
}
