import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createServer, type Server } from 'node:http';
import { newKey, startServer, type TestServer } from './support/server.js';

const FAST = { WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_MAX_ATTEMPTS: '4', WEBHOOK_TIMEOUT_MS: '2000' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Hit {
  method: string;
  path: string;
  body: string;
  signature: string | undefined;
}

/**
 * An endpoint at /webhooks that redirects its first `redirects` deliveries to /ok (with `status`), and
 * answers 200 everywhere else — so a sender that followed the redirect would see a success.
 */
async function redirectingReceiver(status: number, redirects: number) {
  const hits: Hit[] = [];
  let left = redirects;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      hits.push({ method: req.method!, path: req.url!, body, signature: req.headers['stripe-signature'] as string | undefined });
      if (req.url === '/webhooks' && left > 0) {
        left--;
        res.writeHead(status, { location: '/ok' }).end();
      } else {
        res.writeHead(200).end('ok');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/webhooks`,
    hits,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('webhook deliveries do not follow redirects', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer(FAST);
  });
  afterAll(() => server.close());

  const deliveries = async (apiKey: string) =>
    (await request(server.url).get('/_control/webhook_deliveries').auth(apiKey, '')).body.data as Array<Record<string, unknown>>;

  /** Polls the deliveries view until the (only) delivery is over, newest attempt first. */
  async function settled(apiKey: string) {
    for (let i = 0; i < 150; i++) {
      const attempts = await deliveries(apiKey);
      if (attempts.length && attempts[0].delivery_status !== 'pending') return attempts;
      await sleep(20);
    }
    throw new Error('the delivery never settled');
  }

  it('a 302 is a failed attempt, retried on the schedule; the redirect target is never called', async () => {
    const receiver = await redirectingReceiver(302, 2);
    const apiKey = newKey();
    const stripe = server.stripe(apiKey);
    await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['customer.created'] });
    await stripe.customers.create({ name: 'Redirected' });

    const attempts = await settled(apiKey);
    expect(attempts.map((a) => [a.attempt, a.status_code, a.delivery_status])).toEqual([
      [3, 200, 'succeeded'],
      [2, 302, 'succeeded'],
      [1, 302, 'succeeded'],
    ]);
    expect(attempts[1].error).toEqual(expect.stringContaining('302'));
    // Every attempt is the signed POST to the endpoint's own URL; nothing went to the Location.
    expect(receiver.hits.map((h) => [h.method, h.path])).toEqual([['POST', '/webhooks'], ['POST', '/webhooks'], ['POST', '/webhooks']]);
    for (const hit of receiver.hits) {
      expect(JSON.parse(hit.body)).toMatchObject({ type: 'customer.created' });
      expect(hit.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    }
    await receiver.close();
  });

  it.each([301, 303, 307, 308])('an endpoint that always answers %i is given up after the last attempt, never delivered', async (status) => {
    const receiver = await redirectingReceiver(status, Number.POSITIVE_INFINITY);
    const apiKey = newKey();
    const stripe = server.stripe(apiKey);
    await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['customer.created'] });
    await stripe.customers.create({ name: 'Always redirected' });

    const attempts = await settled(apiKey);
    expect(attempts.map((a) => [a.attempt, a.status_code, a.delivery_status, a.next_retry])).toEqual([
      [4, status, 'failed', null],
      [3, status, 'failed', expect.any(Number)],
      [2, status, 'failed', expect.any(Number)],
      [1, status, 'failed', expect.any(Number)],
    ]);
    expect(receiver.hits.every((h) => h.method === 'POST' && h.path === '/webhooks')).toBe(true);
    expect(receiver.hits).toHaveLength(4);
    expect((await stripe.events.list({ delivery_success: false })).data.map((e) => e.type)).toEqual(['customer.created']);
    await receiver.close();
  });
});
