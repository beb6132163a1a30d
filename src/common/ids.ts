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

/** Characters of the id that encode its creation time (milliseconds, base62: good until the year 8900). */
const TIME_CHARS = 8;

/**
 * Stripe-style object id: a prefix and 24 base62 characters. The first 8 encode the time and the other
 * 16 are random (95 bits). BASE62 is in ASCII order, so ids sort by creation time: a new row's id
 * lands at the end of its unique index, where the last commit's pages already are, instead of dirtying
 * a random page of it. Shorter ids (request ids) are random throughout.
 */
export function newId(prefix: string, length = 24): string {
  if (length < 20) return randomText(BASE62, length, `${prefix}_`);
  return randomText(BASE62, length - TIME_CHARS, `${prefix}_${base62Time(Date.now())}`);
}

function base62Time(ms: number): string {
  let out = '';
  for (let i = 0, n = ms; i < TIME_CHARS; i++, n = Math.floor(n / 62)) out = BASE62[n % 62] + out;
  return out;
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
