/**
 * The `Idempotency-Key` a request carries, as text. Node reads header bytes as Latin-1, so a key a client
 * sent as UTF-8 (`curl -H 'Idempotency-Key: clé'`) would be stored as `clÃ©`: not the key the client can
 * look up in the control API, and its length counted in bytes. It is read as UTF-8 when its bytes are UTF-8.
 */
export function idempotencyKeyOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const raw = headers['idempotency-key'];
  if (typeof raw !== 'string' || !NON_ASCII.test(raw)) return typeof raw === 'string' ? raw : undefined;
  const text = Buffer.from(raw, 'latin1').toString('utf8');
  return text.includes('\uFFFD') ? raw : text;
}

/**
 * Whether the key can be sent back in a response header. Node writes header text as UTF-8 (so the client
 * gets its own bytes back) but refuses characters beyond Latin-1: such a key is not echoed.
 */
export const canEchoKey = (key: string): boolean => !BEYOND_LATIN1.test(key);

const NON_ASCII = /[\x80-\xff]/;
const BEYOND_LATIN1 = /[^\x00-\xff]/;
