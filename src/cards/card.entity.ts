import { Column, Entity, Index } from 'typeorm';
import { StripeObjectEntity } from '../database/stripe-object.entity.js';

/** A card: made from a test token or a raw card hash, attached to a customer as a source or used once by a charge. */
@Entity('cards')
@Index('cards_id', ['id'], { unique: true })
@Index('cards_customer', ['account', 'customer_id', 'seq'])
export class CardEntity extends StripeObjectEntity {
  @Column('varchar', { nullable: true })
  customer_id: string | null;

  @Column('varchar')
  brand: string;

  @Column('varchar')
  last4: string;

  @Column('integer')
  exp_month: number;

  @Column('integer')
  exp_year: number;

  @Column('varchar')
  funding: string;

  @Column('varchar')
  country: string;

  @Column('varchar')
  fingerprint: string;

  @Column('varchar', { nullable: true })
  cvc_check: string | null;

  /** The cardholder's details: the name can come with a card hash, all of them with a source update. */
  @Column('varchar', { nullable: true })
  name: string | null;

  @Column('varchar', { nullable: true })
  address_line1: string | null;

  @Column('varchar', { nullable: true })
  address_line2: string | null;

  @Column('varchar', { nullable: true })
  address_city: string | null;

  @Column('varchar', { nullable: true })
  address_state: string | null;

  @Column('varchar', { nullable: true })
  address_zip: string | null;

  @Column('varchar', { nullable: true })
  address_country: string | null;

  @Column('text', { default: '{}' })
  metadata: string;

  /** The test behaviour the card number carries (JSON Decline), so the network declines it when charged. */
  @Column('text', { nullable: true })
  decline: string | null;

  /** Detached sources are kept so old charges still show their card. */
  @Column('boolean', { default: false })
  deleted: boolean;
}
