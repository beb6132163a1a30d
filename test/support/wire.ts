import { form, type TestServer } from './server.js';

/** One exchange as it happened on the wire: the exact body text as well as the parsed JSON. */
export interface WireResponse {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface WireRequest {
  /** The secret key (Bearer auth). */
  key: string;
  /** Params, form-encoded like the SDK does; a string is sent as is. */
  form?: Record<string, unknown> | string;
  idempotencyKey?: string;
}

/**
 * A plain HTTP request with fetch: no retries, no SDK in between. Each call may open its own connection,
 * so a batch of them started together reaches the server concurrently.
 */
export async function send(server: TestServer, method: string, path: string, request: WireRequest): Promise<WireResponse> {
  const headers: Record<string, string> = { authorization: `Bearer ${request.key}` };
  let body: string | undefined;
  if (request.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = typeof request.form === 'string' ? request.form : form(request.form);
  }
  if (request.idempotencyKey !== undefined) headers['idempotency-key'] = request.idempotencyKey;
  const res = await fetch(`${server.url}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : null };
}
