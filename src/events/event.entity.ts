import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A Stripe event, written in the same transaction as the change it reports (the outbox). */
@Entity('events')
@Index('events_id', ['id'], { unique: true })
@Index('events_account_list', ['account', 'seq'])
@Index('events_account_type', ['account', 'type', 'seq'])
export class EventEntity {
  @PrimaryGeneratedColumn()
  seq: number;

  @Column('varchar')
  id: string;

  @Column('varchar')
  account: string;

  @Column('integer')
  created: number;

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
