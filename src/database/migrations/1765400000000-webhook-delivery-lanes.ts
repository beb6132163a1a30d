import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dispatcher claims due deliveries endpoint by endpoint (each endpoint a lane of a few in flight):
 * this index finds the endpoints with pending deliveries, and each one's oldest due ones, in a few seeks,
 * however many deliveries a silent endpoint has waiting.
 */
export class WebhookDeliveryLanes1765400000000 implements MigrationInterface {
  name = 'WebhookDeliveryLanes1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "webhook_deliveries_lanes" ON "webhook_deliveries" ("status", "endpoint_id", "next_attempt_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "webhook_deliveries_lanes"`);
  }
}
