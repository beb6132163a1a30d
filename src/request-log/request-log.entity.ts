import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One API request of one account as its client sent it and heard back (card numbers masked). */
@Entity('request_logs')
@Index('request_logs_account_list', ['account', 'seq'])
@Index('request_logs_id', ['id'])
export class RequestLogEntity {
  @PrimaryGeneratedColumn()
  seq: number;

  /** The request's Request-Id (`req_…`). */
  @Column('varchar')
  id: string;

  @Column('varchar')
  account: string;

  @Column('varchar')
  method: string;

  @Column('varchar')
  path: string;

  /** Null when no response was sent (a dropped connection or a simulated crash). */
  @Column('integer', { nullable: true })
  status: number | null;

  @Column('varchar', { length: 255, nullable: true })
  idempotency_key: string | null;

  @Column('boolean')
  replayed: boolean;

  /** On a replay, the Request-Id of the request whose answer was replayed. */
  @Column('varchar', { nullable: true })
  original_request: string | null;

  @Column('integer')
  duration_ms: number;

  /** JSON of the body (POST) or query (GET), masked. */
  @Column('text')
  params: string;

  /** The response body as sent (masked), null when nothing was sent. */
  @Column('text', { nullable: true })
  response_body: string | null;

  /** Milliseconds. */
  @Column('bigint')
  created_at: number;
}
