import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One Idempotency-Key of one account: its request, its recovery point, its lock and its stored answer. */
@Entity('idempotency_keys')
@Index('idempotency_keys_account_key', ['account', 'key'], { unique: true })
@Index('idempotency_keys_created', ['created_at'])
// Only unfinished keys: the completer's sweep is all that reads it, and finished keys, nearly all of them,
// would otherwise each cost an index entry written on their last phase and kept until the reaper.
@Index('idempotency_keys_unfinished', ['last_run_at'], { where: "recovery_point <> 'finished'" })
export class IdempotencyKeyEntity {
  @PrimaryGeneratedColumn()
  seq: number;

  @Column('varchar')
  account: string;

  @Column('varchar', { length: 255 })
  key: string;

  @Column('varchar')
  request_method: string;

  @Column('varchar')
  request_path: string;

  /** Canonical JSON of the params, compared on every retry. */
  @Column('text')
  request_params: string;

  @Column('varchar')
  recovery_point: string;

  /** The object the phases created (e.g. the charge), so a resumed request continues with it. */
  @Column('varchar', { nullable: true })
  resource_id: string | null;

  /** Milliseconds; null when no request holds the key. */
  @Column('bigint', { nullable: true })
  locked_at: number | null;

  @Column('bigint')
  last_run_at: number;

  @Column('integer', { nullable: true })
  response_code: number | null;

  @Column('text', { nullable: true })
  response_body: string | null;

  /** Request-Id of the first request, echoed as Original-Request on replays. */
  @Column('varchar')
  request_id: string;

  /** Milliseconds; the reaper deletes keys by age. */
  @Column('bigint')
  created_at: number;
}
