import { randomFillSync } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random bytes fetched 4 KiB at a time: one system call per ~100 ids instead of one per id. */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomByte(): number {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  return pool[poolOffset++];
}

/** Stripe-style object id: a prefix and 24 random base62 characters (about 143 bits). */
export function newId(prefix: string, length = 24): string {
  return randomText(BASE62, length, `${prefix}_`);
}

/** `length` characters drawn uniformly from `alphabet` (at most 256 of them), after `start`. */
export function randomText(alphabet: string, length: number, start = ''): string {
  // The largest multiple of the alphabet's size up to 256: rejecting bytes above it keeps every
  // character equally likely.
  const limit = 256 - (256 % alphabet.length);
  let out = start;
  for (let i = 0; i < length; ) {
    const byte = randomByte();
    if (byte < limit) {
      out += alphabet[byte % alphabet.length];
      i++;
    }
  }
  return out;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Internal timestamps are milliseconds; the API shows unix seconds, as Stripe does. */
export const toSeconds = (ms: number | null): number | null => (ms === null ? null : Math.floor(ms / 1000));
