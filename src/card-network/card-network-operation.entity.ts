import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The simulated network's own record of what it did. It stands for the processor's database, not
 * oncepay's: oncepay never joins it, it only lets the network answer a repeated request the same way.
 */
@Entity('card_network_operations')
@Index('card_network_operations_reference', ['kind', 'reference'], { unique: true })
export class CardNetworkOperationEntity {
  @PrimaryGeneratedColumn()
  seq: number;

  /** authorize | capture | refund */
  @Column('varchar')
  kind: string;

  /** The charge or refund id oncepay sent: the network's idempotency key. */
  @Column('varchar')
  reference: string;

  @Column('varchar')
  account: string;

  @Column('integer')
  amount: number;

  /** JSON of the answer given the first time. */
  @Column('text')
  result: string;

  @Column('bigint')
  created_at: number;
}
