import type { MigrationInterface, QueryRunner } from 'typeorm';
import { newId } from '../../common/ids.js';

/**
 * A partial capture now records the uncaptured rest it releases as a refund of the charge, as Stripe
 * shows it, and what is left to refund is the charge's amount less its refunds. A charge an older build
 * captured in part has the rest in `amount_refunded` and no such refund: it is given one here, or it
 * could be refunded past its capture. It is dated when the charge was captured (its `charge.captured`
 * event), or created if that event is gone; lists go by insertion, so it is listed as the newest.
 */
export class PartialCaptureReleases1766100000000 implements MigrationInterface {
  name = 'PartialCaptureReleases1766100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const charges: Array<{ id: string; account: string; created: number; customer_id: string | null; card_id: string; currency: string; keyed: number; released: number }> =
      await queryRunner.query(
        `SELECT "id", "account", "created", "customer_id", "card_id", "currency", "keyed", "amount" - "amount_captured" AS "released"
         FROM "charges" WHERE "captured" = 1 AND "amount_captured" < "amount" ORDER BY "seq"`,
      );
    if (!charges.length) return;
    // One pass over the capture events of the accounts concerned, not one per charge.
    const captures: Array<{ account: string; charge: string; created: number }> = await queryRunner.query(
      `SELECT "account", json_extract("data", '$.object.id') AS "charge", "created" FROM "events"
       WHERE "type" = 'charge.captured' AND "account" IN (SELECT DISTINCT "account" FROM "charges" WHERE "captured" = 1 AND "amount_captured" < "amount")`,
    );
    const capturedAt = new Map(captures.map((event) => [`${event.account} ${event.charge}`, event.created]));
    for (const charge of charges) {
      const created = capturedAt.get(`${charge.account} ${charge.id}`) ?? charge.created;
      await queryRunner.query(
        `INSERT INTO "refunds" ("id", "account", "created", "charge_id", "customer_id", "payment_method", "amount", "currency", "status", "metadata", "keyed")
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'succeeded', '{}', ?)`,
        [newId('re', 24), charge.account, created, charge.id, charge.customer_id, charge.card_id, charge.released, charge.currency, charge.keyed],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // A release is the one refund with no balance transaction on a captured charge (a refund of it moves money).
    await queryRunner.query(
      `DELETE FROM "refunds" WHERE "balance_transaction" IS NULL AND "status" = 'succeeded'
         AND "charge_id" IN (SELECT "id" FROM "charges" WHERE "captured" = 1 AND "amount_captured" < "amount")`,
    );
  }
}
