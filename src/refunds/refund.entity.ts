import { Column, Entity, Index } from 'typeorm';
import { StripeObjectEntity } from '../database/stripe-object.entity.js';

@Entity('refunds')
@Index('refunds_id', ['id'], { unique: true })
@Index('refunds_account_list', ['account', 'seq'])
@Index('refunds_charge', ['account', 'charge_id', 'seq'])
@Index('refunds_unfinished', ['created'], { where: 'unfinished = 1' })
export class RefundEntity extends StripeObjectEntity {
  @Column('varchar')
  charge_id: string;

  /** The charge's customer and card (`payment_method`), kept so every view of the refund names them. */
  @Column('varchar', { nullable: true })
  customer_id: string | null;

  @Column('varchar', { nullable: true })
  payment_method: string | null;

  @Column('integer')
  amount: number;

  @Column('varchar')
  currency: string;

  /** Made under an Idempotency-Key: if abandoned, its key leads the completer back to it. */
  @Column('boolean', { default: false })
  keyed: boolean;

  /** A refund whose request has not finished; keyless ones are finished from here (see ChargeEntity.unfinished). */
  @Column('boolean', { default: false })
  unfinished: boolean;

  /** Processed by a build that staged a refund's events in its finishing phase, and not finished by it (migration 1766000000000). */
  @Column('boolean', { default: false })
  events_owed: boolean;

  /** pending (reserved, network not yet asked) | succeeded | failed */
  @Column('varchar')
  status: string;

  @Column('varchar', { nullable: true })
  reason: string | null;

  @Column('text', { default: '{}' })
  metadata: string;

  @Column('varchar', { nullable: true })
  balance_transaction: string | null;

  /** Where Stripe would email refund instructions when the money cannot go back to the card. */
  @Column('varchar', { nullable: true })
  instructions_email: string | null;
}
