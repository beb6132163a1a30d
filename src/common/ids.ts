import { randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Stripe-style object id: a prefix and 24 random base62 characters (about 143 bits). */
export function newId(prefix: string, length = 24): string {
  // 248 is the largest multiple of 62 below 256: rejecting larger bytes keeps every character equally likely.
  let out = `${prefix}_`;
  while (out.length < prefix.length + 1 + length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === prefix.length + 1 + length) break;
    }
  }
  return out;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
