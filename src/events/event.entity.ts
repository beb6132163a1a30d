import { Column, Entity, Index } from 'typeorm';
import { StripeObjectEntity } from '../database/stripe-object.entity.js';

/** A Stripe event, written in the same transaction as the change it reports (the outbox). */
@Entity('events')
@Index('events_id', ['id'], { unique: true })
@Index('events_account_list', ['account', 'seq'])
@Index('events_account_type', ['account', 'type', 'seq'])
export class EventEntity extends StripeObjectEntity {
  @Column('varchar')
  type: string;

  /** JSON `{object, previous_attributes?}`: the object as it was right after the change. */
  @Column('text')
  data: string;

  @Column('varchar', { nullable: true })
  request_id: string | null;

  @Column('varchar', { nullable: true })
  request_idempotency_key: string | null;
}
