import { Column, Entity, Index } from 'typeorm';
import { StripeObjectEntity } from '../database/stripe-object.entity.js';

@Entity('webhook_endpoints')
@Index('webhook_endpoints_id', ['id'], { unique: true })
@Index('webhook_endpoints_account_list', ['account', 'deleted', 'seq'])
export class WebhookEndpointEntity extends StripeObjectEntity {
  @Column('varchar')
  url: string;

  /** JSON array of event types, or ["*"]. */
  @Column('text')
  enabled_events: string;

  @Column('varchar', { nullable: true })
  description: string | null;

  /** The version asked for at creation; null when none was, as Stripe shows it (events use the default). */
  @Column('varchar', { nullable: true })
  api_version: string | null;

  @Column('text', { default: '{}' })
  metadata: string;

  /** enabled | disabled */
  @Column('varchar')
  status: string;

  @Column('varchar')
  secret: string;

  @Column('boolean', { default: false })
  deleted: boolean;
}
