import { describe, expect, it } from '@jest/globals';
import http from 'node:http';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import request from 'supertest';
import { newKey, startServer } from './support/server.js';

/**
 * Stopping the server (Ctrl-C on `npm start`, SIGTERM, `app.close()`) lets the requests in flight finish
 * and be answered, then exits. The SDK, like most HTTP clients, keeps its connection open after an
 * answer; a connection that was busy when the server began to close would otherwise hold it open until
 * the client let go or the keep-alive timeout (72 s) ran out.
 */
describe('shutdown with requests in flight', () => {
  it('answers each one, then closes, though clients keep connections alive or hold no complete request', async () => {
    const server = await startServer({ CARD_NETWORK_LATENCY_MS: '400' });
    const agent = new http.Agent({ keepAlive: true });
    const key = newKey();
    const charge = (n: number) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(`${server.url}/v1/charges`, {
          method: 'POST',
          agent,
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' },
        });
        req.on('response', (res) => {
          let body = '';
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        });
        req.on('error', reject);
        req.end(`amount=${1000 + n}&currency=usd&source=tok_visa`);
      });
    // Connections that hold no complete request: one that has sent nothing, one stalled inside its headers,
    // and one stalled inside its body. Nothing has started for them; they must not hold the close open.
    const stalled = ['', 'POST /v1/charges HTTP/1.1\r\nHost: x\r\n', `POST /v1/charges HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 63\r\n\r\namount=10`].map(
      (sent) =>
        new Promise<{ socket: net.Socket; closed: Promise<void> }>((resolve) => {
          const socket = net.connect(server.port, '127.0.0.1', () => {
            socket.write(sent);
            resolve({ socket, closed: new Promise((done) => socket.once('close', () => done())) });
          });
          socket.on('error', () => undefined);
        }),
    );
    const sockets = await Promise.all(stalled);
    try {
      const inFlight = [0, 1, 2].map(charge);
      await sleep(150); // all three are waiting on the card network
      const started = Date.now();
      const closing = server.close();
      const answers = await Promise.all(inFlight);
      expect(answers.map((a) => [a.status, JSON.parse(a.body).amount])).toEqual([[200, 1000], [200, 1001], [200, 1002]]);
      await closing;
      expect(Date.now() - started).toBeLessThan(5_000);
      // Closed by the server, not by this test's clean-up.
      expect(await Promise.race([Promise.all(sockets.map((s) => s.closed)).then(() => 'closed'), sleep(1_000, 'still open')])).toBe('closed');
    } finally {
      agent.destroy();
      for (const { socket } of sockets) socket.destroy();
    }
  }, 20_000);

  it('refuses a request that arrives while it closes in Stripe\'s envelope, safe to retry', async () => {
    const server = await startServer({ CARD_NETWORK_LATENCY_MS: '400' });
    const key = newKey();
    const socket = net.connect(server.port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk));
    const ended = new Promise((resolve) => socket.once('close', resolve));
    const body = 'amount=2000&currency=usd&source=tok_visa';
    // A charge in flight keeps this connection open through the close; a second request follows on it.
    socket.write(`POST /v1/charges HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    await sleep(150);
    const closing = server.close();
    await sleep(20);
    socket.write(`GET /v1/charges HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\n\r\n`);
    await closing;
    await ended;
    const [first, second] = received.split(/(?=HTTP\/1\.1 )/);
    expect(first).toMatch(/^HTTP\/1\.1 200 /);
    expect(second).toMatch(/^HTTP\/1\.1 503 /);
    expect(second.toLowerCase()).toContain('stripe-should-retry: true');
    expect(second.toLowerCase()).toContain('connection: close');
    expect(JSON.parse(second.slice(second.indexOf('\r\n\r\n') + 4))).toEqual({
      error: { type: 'api_error', message: 'oncepay is shutting down and took no part of this request. Retry it once the server is running again.' },
    });
  }, 20_000);

  it('waits 10 s at most: a request still in its phases then is cut, to be resumed from its recovery point', async () => {
    const server = await startServer({ CARD_NETWORK_LATENCY_MS: '15000' });
    const key = newKey();
    const inFlight = request(server.url).post('/v1/charges').auth(key, '').set('Idempotency-Key', 'slow').type('form').send('amount=2000&currency=usd&source=tok_visa').then(
      (res) => res.status,
      (error: Error & { code?: string }) => error.code ?? error.message,
    );
    await sleep(300);
    const started = Date.now();
    await server.app.close();
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(9_500);
    expect(took).toBeLessThan(13_000);
    expect(await inFlight).toBe('ECONNRESET');
    // Its pending charge and its key wait at charge_created, for a retry (or the completer) after a restart.
    const db = new Database(server.dbPath, { readonly: true });
    try {
      expect(db.prepare("SELECT recovery_point FROM idempotency_keys WHERE key = 'slow'").pluck().get()).toBe('charge_created');
    } finally {
      db.close();
      await server.close();
    }
  }, 30_000);
});
