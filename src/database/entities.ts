import { CustomerEntity } from '../customers/customer.entity.js';
import { IdempotencyKeyEntity } from '../idempotency/idempotency-key.entity.js';

/** Every table TypeORM knows; migrations must create exactly these (test/schema.spec.ts checks). */
export const ENTITIES = [IdempotencyKeyEntity, CustomerEntity];
