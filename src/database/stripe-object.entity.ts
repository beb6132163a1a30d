import { Column, PrimaryGeneratedColumn } from 'typeorm';

/** What every stored Stripe object has: an insertion order, its id, its account and its creation time. */
export abstract class StripeObjectEntity {
  /** Insertion order: the list order and pagination cursor (ids are random). */
  @PrimaryGeneratedColumn()
  seq: number;

  /** `cus_…`, `ch_…`: a prefix and random base62. */
  @Column('varchar')
  id: string;

  /** Every row carries its account; no query crosses accounts. */
  @Column('varchar')
  account: string;

  /** Unix seconds, as the API shows it. */
  @Column('integer')
  created: number;
}
