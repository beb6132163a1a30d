import { Foundation1764000000000 } from './1764000000000-foundation.js';

/** In order. A new table or column means a new migration here and an entity change (test/schema.spec.ts). */
export const MIGRATIONS = [Foundation1764000000000];
