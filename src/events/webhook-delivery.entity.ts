import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One event owed to one endpoint. Staged with the event (same commit), sent after it, retried with
 * backoff; its state is here, so a restart resumes what was pending.
 */
@Entity('webhook_deliveries')
@Index('webhook_deliveries_due', ['status', 'next_attempt_at'])
@Index('webhook_deliveries_lanes', ['status', 'endpoint_id', 'next_attempt_at'])
@Index('webhook_deliveries_event', ['event_id'])
@Index('webhook_deliveries_account', ['account', 'seq'])
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn()
  seq: number;

  @Column('varchar')
  account: string;

  @Column('varchar')
  event_id: string;

  @Column('varchar')
  endpoint_id: string;

  /** pending | succeeded | failed */
  @Column('varchar')
  status: string;

  @Column('integer', { default: 0 })
  attempts: number;

  /** Milliseconds; when the sender may try next (pushed ahead while an attempt is in flight). */
  @Column('bigint', { nullable: true })
  next_attempt_at: number | null;

  @Column('integer', { nullable: true })
  last_status_code: number | null;

  @Column('varchar', { nullable: true })
  last_error: string | null;

  @Column('bigint')
  created_at: number;
}
