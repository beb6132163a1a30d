import { Foundation1764000000000 } from './1764000000000-foundation.js';
import { ChargesAndRefunds1764100000000 } from './1764100000000-charges-and-refunds.js';

/** In order. A new table or column means a new migration here and an entity change (test/schema.spec.ts). */
export const MIGRATIONS = [Foundation1764000000000, ChargesAndRefunds1764100000000];
