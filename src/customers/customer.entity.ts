import { Column, Entity, Index } from 'typeorm';
import { StripeObjectEntity } from '../database/stripe-object.entity.js';

@Entity('customers')
@Index('customers_id', ['id'], { unique: true })
// Lists walk this index newest-first from a cursor, so a page costs the same at any table size.
@Index('customers_account_list', ['account', 'deleted', 'seq'])
export class CustomerEntity extends StripeObjectEntity {
  @Column('varchar', { nullable: true })
  email: string | null;

  @Column('varchar', { nullable: true })
  name: string | null;

  /** Shown on the customer only when set, as Stripe.Customer's optional `business_name`. */
  @Column('varchar', { nullable: true })
  business_name: string | null;

  /** Shown on the customer only when set, as Stripe.Customer's optional `individual_name`. */
  @Column('varchar', { nullable: true })
  individual_name: string | null;

  @Column('varchar', { nullable: true })
  description: string | null;

  @Column('varchar', { nullable: true })
  phone: string | null;

  /** JSON object. */
  @Column('text', { default: '{}' })
  metadata: string;

  /** JSON array of strings, in the customer's order of preference. */
  @Column('text', { default: '[]' })
  preferred_locales: string;

  /** JSON object or null. */
  @Column('text', { nullable: true })
  address: string | null;

  /** JSON object or null. */
  @Column('text', { nullable: true })
  shipping: string | null;

  @Column('integer', { default: 0 })
  balance: number;

  @Column('varchar', { nullable: true })
  currency: string | null;

  @Column('varchar', { nullable: true })
  default_source: string | null;

  @Column('varchar')
  invoice_prefix: string;

  /** none | exempt | reverse */
  @Column('varchar', { default: 'none' })
  tax_exempt: string;

  @Column('integer', { default: 1 })
  next_invoice_sequence: number;

  /** `invoice_settings`, one column per field. JSON array of {name, value}, or null. */
  @Column('text', { nullable: true })
  invoice_custom_fields: string | null;

  /** One of the customer's cards (`card_…`). */
  @Column('varchar', { nullable: true })
  invoice_default_payment_method: string | null;

  @Column('varchar', { nullable: true })
  invoice_footer: string | null;

  /** JSON {amount_tax_display, template}, or null. */
  @Column('text', { nullable: true })
  invoice_rendering_options: string | null;

  /** Deleted customers stay as tombstones: retrieve answers the deleted stub, as Stripe does. */
  @Column('boolean', { default: false })
  deleted: boolean;
}
