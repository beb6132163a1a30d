import { Column, Entity, Index } from 'typeorm';
import { StripeObjectEntity } from '../database/stripe-object.entity.js';

@Entity('charges')
@Index('charges_id', ['id'], { unique: true })
// Lists page newest-first by seq, per account, optionally per customer: index range scans at any size.
@Index('charges_account_list', ['account', 'seq'])
@Index('charges_customer_list', ['account', 'customer_id', 'seq'])
// The `transfer_group` list filter; partial, as most charges have none and should not pay for it on insert.
@Index('charges_transfer_group_list', ['account', 'transfer_group', 'seq'], { where: 'transfer_group IS NOT NULL' })
// Only the few keyless charges not yet finished: what the completer looks for.
@Index('charges_unfinished', ['created'], { where: 'unfinished = 1' })
@Index('charges_capturing', ['capturing_since'], { where: 'capturing IS NOT NULL AND captured = 0' })
export class ChargeEntity extends StripeObjectEntity {
  @Column('integer')
  amount: number;

  @Column('integer', { default: 0 })
  amount_captured: number;

  @Column('integer', { default: 0 })
  amount_refunded: number;

  @Column('varchar')
  currency: string;

  @Column('varchar', { nullable: true })
  customer_id: string | null;

  @Column('varchar')
  card_id: string;

  /** JSON snapshot of the card as charged, so a charge reads without a join (and survives source deletion). */
  @Column('text')
  card: string;

  /** pending (created, not yet answered by the network) | succeeded | failed */
  @Column('varchar')
  status: string;

  /** Made under an Idempotency-Key: if abandoned, its key leads the completer back to it. */
  @Column('boolean', { default: false })
  keyed: boolean;

  /**
   * A charge whose events are not yet staged: until then nothing may be done to it that announces an
   * event of its own (capture, update, refund), or that event would come before its charge.succeeded.
   * For a keyless charge it is also how far the work got (there is no key row to say): the completer
   * finishes it from here if its request never does. A keyed one is finished from its key.
   */
  @Column('boolean', { default: false })
  unfinished: boolean;

  /** Whether the client asked to capture at once (`capture=false` authorizes only). */
  @Column('boolean')
  capture_requested: boolean;

  @Column('boolean', { default: false })
  captured: boolean;

  /**
   * The amount a capture asked for: set in the commit before the card network is asked, and kept (the
   * charge is `captured` once the network's capture is recorded). While it is set on an uncaptured charge a
   * refund is refused, since refunding an uncaptured charge releases its authorization, which the network
   * may be capturing at that very moment.
   */
  @Column('integer', { nullable: true })
  capturing: number | null;

  /** Who noted the capture: `key:<idempotency key seq>` or `req:<request id>` (kept after it is recorded). */
  @Column('varchar', { nullable: true })
  capturing_by: string | null;

  /** When the capture was noted (unix seconds): the completer finishes a keyless one left noted this long. */
  @Column('integer', { nullable: true })
  capturing_since: number | null;

  @Column('varchar', { nullable: true })
  failure_code: string | null;

  @Column('varchar', { nullable: true })
  failure_message: string | null;

  /** JSON of Stripe's `outcome`, null while pending. */
  @Column('text', { nullable: true })
  outcome: string | null;

  @Column('varchar', { nullable: true })
  authorization_code: string | null;

  @Column('varchar', { nullable: true })
  balance_transaction: string | null;

  @Column('varchar', { nullable: true })
  description: string | null;

  @Column('text', { default: '{}' })
  metadata: string;

  @Column('varchar', { nullable: true })
  receipt_email: string | null;

  @Column('varchar', { nullable: true })
  statement_descriptor: string | null;

  /** Appended to the account's prefix on the card statement (see `calculated_statement_descriptor`). */
  @Column('varchar', { nullable: true })
  statement_descriptor_suffix: string | null;

  /** Set once: at creation, or later by update or capture while the charge has none (Stripe's rule). */
  @Column('varchar', { nullable: true })
  transfer_group: string | null;

  @Column('text', { nullable: true })
  shipping: string | null;

  @Column('text', { default: '{}' })
  fraud_details: string;
}
