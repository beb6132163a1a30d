import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The history of each HTTP attempt, for the control API and the dashboard. */
@Entity('webhook_attempts')
@Index('webhook_attempts_account', ['account', 'seq'])
export class WebhookAttemptEntity {
  @PrimaryGeneratedColumn()
  seq: number;

  @Column('varchar')
  account: string;

  @Column('integer')
  delivery_seq: number;

  @Column('varchar')
  event_id: string;

  @Column('varchar')
  endpoint_id: string;

  @Column('integer')
  attempt: number;

  @Column('integer', { nullable: true })
  status_code: number | null;

  @Column('varchar', { nullable: true })
  error: string | null;

  /** Milliseconds; null when this was the last attempt (delivered, or given up). */
  @Column('bigint', { nullable: true })
  next_retry_at: number | null;

  @Column('bigint')
  created_at: number;
}
