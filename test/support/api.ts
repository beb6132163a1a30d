import { setTimeout as sleep } from 'node:timers/promises';
import { form, newKey, type TestServer } from './server.js';

/** What came back over the wire, or `dropped` when the server closed the connection without answering. */
export interface RawResponse {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  dropped: boolean;
}

export interface IdempotencyKeyView {
  object: 'idempotency_key';
  key: string;
  request_method: string;
  request_path: string;
  recovery_point: string;
  resource_id: string | null;
  locked_at: number | null;
  last_run_at: number;
  response_code: number | null;
  response_body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  created: number;
}

export interface FaultSpec {
  path: string;
  fault: 'drop_response' | 'processor_timeout' | 'crash_after_phase';
  phase?: string;
  count?: number;
}

/**
 * Plain HTTP against one account of a test server, for what the SDK hides: dropped connections, exact
 * status codes and headers, requests fired without retries, and the control API.
 */
export class Api {
  constructor(
    readonly server: TestServer,
    readonly key: string = newKey(),
  ) {}

  async post(path: string, params: Record<string, unknown> = {}, idempotencyKey?: string): Promise<RawResponse> {
    return this.send('POST', path, form(params), idempotencyKey);
  }

  async get(path: string, query: Record<string, unknown> = {}): Promise<RawResponse> {
    const qs = form(query);
    return this.send('GET', qs ? `${path}?${qs}` : path);
  }

  async delete(path: string): Promise<RawResponse> {
    return this.send('DELETE', path);
  }

  async send(method: string, path: string, body?: string, idempotencyKey?: string): Promise<RawResponse> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.key}` };
    if (body !== undefined && method === 'POST') headers['content-type'] = 'application/x-www-form-urlencoded';
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    try {
      const res = await fetch(`${this.server.url}${path}`, { method, headers, body: method === 'POST' ? (body ?? '') : undefined });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null, dropped: false };
    } catch (error) {
      // undici reports a connection closed without a response as a TypeError "fetch failed" (cause: "other
      // side closed"). Compared by name: under Jest's VM modules the error comes from another realm.
      if ((error as Error)?.name === 'TypeError' && (error as Error).message === 'fetch failed') {
        return { status: 0, headers: new Headers(), body: null, dropped: true };
      }
      throw error;
    }
  }

  async armFault(spec: FaultSpec): Promise<void> {
    const res = await this.post('/_control/faults', spec as unknown as Record<string, unknown>);
    if (res.status !== 200) throw new Error(`arming ${JSON.stringify(spec)} failed: ${res.status} ${JSON.stringify(res.body)}`);
  }

  async faults(): Promise<Array<{ fault: string; phase: string | null; remaining: number }>> {
    return (await this.get('/_control/faults')).body.data;
  }

  async idempotencyKey(idempotencyKey: string): Promise<IdempotencyKeyView | null> {
    const res = await this.get(`/_control/idempotency_keys/${encodeURIComponent(idempotencyKey)}`);
    if (res.status === 404) return null;
    if (res.status !== 200) throw new Error(`inspecting key ${idempotencyKey}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as IdempotencyKeyView;
  }

  /** Every charge of the account, following pagination. */
  async allCharges(query: Record<string, unknown> = {}): Promise<any[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
    return this.all('/v1/charges', query);
  }

  async allRefunds(query: Record<string, unknown> = {}): Promise<any[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
    return this.all('/v1/refunds', query);
  }

  private async all(path: string, query: Record<string, unknown>): Promise<any[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const out: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    let startingAfter: string | undefined;
    for (;;) {
      const res = await this.get(path, { ...query, limit: 100, ...(startingAfter && { starting_after: startingAfter }) });
      if (res.status !== 200) throw new Error(`listing ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      out.push(...res.body.data);
      if (!res.body.has_more) return out;
      startingAfter = res.body.data[res.body.data.length - 1].id;
    }
  }
}

/** Polls `probe` until it returns a truthy value or the time runs out (then returns the last value). */
export async function waitFor<T>(probe: () => Promise<T>, timeoutMs: number, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value || Date.now() >= deadline) return value;
    await sleep(everyMs);
  }
}

export const uniqueKey = (label: string): string => `${label}-${Math.random().toString(36).slice(2, 12)}`;

/** A fresh account seen both through the SDK (retrying, as users run it) and through plain HTTP. */
export function sdkAndApi(server: TestServer, maxNetworkRetries = 3) {
  const secret = newKey();
  return { stripe: server.stripe(secret, { maxNetworkRetries }), api: new Api(server, secret) };
}
