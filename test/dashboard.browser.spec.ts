import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { form, newKey, startServer, type TestServer } from './support/server.js';

/**
 * The dashboard in Debian's headless Chromium (installed by .ci/run), driven as a workshop host would:
 * paste a key, watch what the API does, arm a fault from the page.
 */
const CHROMIUM = '/usr/bin/chromium';
/** `DASHBOARD_SCREENSHOTS=docs/img npm test -- test/dashboard.browser.spec.ts` refreshes the screenshots in the docs. */
const SCREENSHOTS = process.env.DASHBOARD_SCREENSHOTS ?? tmpdir();

describe('dashboard (GET /dashboard) in a browser', () => {
  let server: TestServer;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const key = newKey();

  beforeAll(async () => {
    // The card network's latency keeps a request in flight long enough to see its key locked.
    server = await startServer({ CARD_NETWORK_LATENCY_MS: '1500' });
    profile = mkdtempSync(join(tmpdir(), 'oncepay-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1600, height: 1000 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    page = context.pages()[0] ?? (await context.newPage());
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const post = async (path: string, params: Record<string, unknown>, idempotencyKey?: string) => {
    const headers: Record<string, string> = { authorization: `Bearer ${key}`, 'content-type': 'application/x-www-form-urlencoded' };
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    try {
      const res = await fetch(server.url + path, { method: 'POST', headers, body: form(params) });
      return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
    } catch {
      return { status: 0, body: null }; // the connection was dropped
    }
  };

  it('loads without a key and asks for one', async () => {
    const res = await page.goto(`${server.url}/dashboard`);
    expect(res?.status()).toBe(200);
    expect(await page.title()).toBe('oncepay dashboard');
    await expect(page.locator('#hint').textContent()).resolves.toContain('Paste the secret key');
  });

  it('shows a charge made through the API, and its key moving through its recovery points to finished', async () => {
    await page.fill('#key-input', key);
    await page.click('#connect');
    await page.waitForSelector('#status.live');

    const charge = post('/v1/charges', { amount: 4200, currency: 'usd', source: 'tok_visa' }, 'order-42');
    // While the card network is answering, the key is locked at charge_created and highlighted as in flight.
    await page.waitForSelector('[data-key="order-42"][data-locked="true"][data-recovery-point="charge_created"]', { timeout: 5000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-in-flight.png') });
    const { body } = await charge;
    await page.waitForSelector('[data-key="order-42"][data-recovery-point="finished"][data-locked="false"]', { timeout: 5000 });
    await page.waitForSelector(`[data-charge-id="${body.id}"]`, { timeout: 5000 });
    await expect(page.locator(`[data-charge-id="${body.id}"]`).textContent()).resolves.toContain('42.00 USD');
    // Amounts are in the currency's smallest unit: ¥500 has none, 1.230 KWD has three digits of it.
    const yen = (await post('/v1/charges', { amount: 500, currency: 'jpy', source: 'tok_visa' })).body;
    const dinar = (await post('/v1/charges', { amount: 1230, currency: 'kwd', source: 'tok_visa' })).body;
    await page.waitForSelector(`[data-charge-id="${dinar.id}"]`, { timeout: 5000 });
    await expect(page.locator(`[data-charge-id="${yen.id}"]`).textContent()).resolves.toContain('500 JPY');
    await expect(page.locator(`[data-charge-id="${dinar.id}"]`).textContent()).resolves.toContain('1.230 KWD');

    // Replays are marked in the request log; the stored response is one click away.
    await post('/v1/charges', { amount: 4200, currency: 'usd', source: 'tok_visa' }, 'order-42');
    await page.waitForSelector('#requests tr[data-replayed="true"]', { timeout: 5000 });
    await page.click('[data-key="order-42"]');
    await page.waitForSelector('#detail.open');
    await expect(page.locator('#detail-body').textContent()).resolves.toContain(body.id);
    await page.click('#detail-close');
  });

  it('arms a fault from the page that changes what the next request does', async () => {
    await page.selectOption('#fault-path', '/v1/charges');
    await page.click('button[data-fault="drop_response"]');
    await page.waitForSelector('#armed .badge', { timeout: 5000 });
    await expect(page.locator('#armed').textContent()).resolves.toContain('drop_response on /v1/charges');

    const dropped = await post('/v1/charges', { amount: 1300, currency: 'usd', source: 'tok_visa' });
    expect(dropped.status).toBe(0); // no response at all: the lost-response fault fired
    await page.waitForSelector('#requests tr.r-dropped', { timeout: 5000 });
    await page.waitForSelector('#armed .empty', { timeout: 5000 }); // used up

    // Failed requests stand out too.
    await post('/v1/charges', { amount: 1300, currency: 'usd', source: 'tok_chargeDeclined' });
    await page.waitForSelector('#requests tr.r-fail[data-status="402"]', { timeout: 5000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard.png') });
  });

  it('keeps its own polling out of the request log', async () => {
    const res = await fetch(`${server.url}/_control/requests?limit=100`, { headers: { authorization: `Bearer ${key}` } });
    const log = (await res.json()) as { data: Array<{ method: string; path: string; status: number | null }> };
    // Only the test's own six charges (first, yen, dinar, replay, dropped, declined): none of the page's GETs.
    expect(log.data.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /v1/charges 402',
      'POST /v1/charges null',
      'POST /v1/charges 200',
      'POST /v1/charges 200',
      'POST /v1/charges 200',
      'POST /v1/charges 200',
    ]);
  });

  it('arms a crash after a capture\'s capture_requested; the retry that finds the key locked is a 409 row, in flight colours', async () => {
    const held = await post('/v1/charges', { amount: 1400, currency: 'usd', source: 'tok_visa', capture: 'false' });
    await page.selectOption('#fault-path', '/v1/charges/:id/capture');
    await page.selectOption('#fault-phase', 'capture_requested');
    await page.click('button[data-fault="crash_after_phase"]');
    await page.waitForSelector('#armed .badge', { timeout: 5000 });
    await expect(page.locator('#armed').textContent()).resolves.toContain('/v1/charges/:id/capture');

    const captureKey = `dash-capture-${Date.now()}`;
    expect((await post(`/v1/charges/${held.body.id}/capture`, {}, captureKey)).status).toBe(0); // the process "died"
    expect((await post(`/v1/charges/${held.body.id}/capture`, {}, captureKey)).status).toBe(409);
    await page.waitForSelector('#requests tr.r-flight[data-status="409"]', { timeout: 5000 });
    // Run in the page, where getComputedStyle exists (this file is compiled without the DOM's types).
    type Styled = { getComputedStyle(element: unknown): { backgroundColor: string } };
    const background = (selector: string) =>
      page.locator(selector).first().evaluate((td) => (globalThis as unknown as Styled).getComputedStyle(td).backgroundColor);
    expect(await background('#requests tr.r-flight td')).not.toBe(await background('#requests tr.r-fail td'));
  });
});
