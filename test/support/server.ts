import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Stripe from 'stripe';
import { createApp } from '../../src/app.factory.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { AppConfig } from '../../src/config/app-config.js';

export interface TestServer {
  app: NestFastifyApplication;
  config: AppConfig;
  url: string;
  port: number;
  dbPath: string;
  /** The official SDK pointed at this server; a fresh account (API key) unless one is given. */
  stripe(key?: string, options?: Partial<Stripe.StripeConfig>): Stripe;
  close(): Promise<void>;
}

/** A fresh secret key, i.e. a fresh, empty account. */
export const newKey = (): string => `sk_test_${randomBytes(12).toString('hex')}`;

/**
 * Boots the real application on an ephemeral port with its own SQLite file, configured through the same
 * environment variables a user sets.
 */
export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'oncepay-test-'));
  const dbPath = join(dir, 'oncepay.sqlite');
  const config = loadConfig({ DATABASE_URL: `sqlite:${dbPath}`, PORT: '0', ...env });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as { port: number }).port;
  return {
    app,
    config,
    url: `http://127.0.0.1:${port}`,
    port,
    dbPath,
    stripe: (key = newKey(), options = {}) =>
      new Stripe(key, { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 0, ...options }),
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Form-encodes like the SDK does (brackets for nesting). */
export function form(params: Record<string, unknown>, prefix = ''): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    const name = prefix ? `${prefix}[${k}]` : k;
    if (v !== null && typeof v === 'object') parts.push(form(v as Record<string, unknown>, name));
    else parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(v ?? ''))}`);
  }
  return parts.filter(Boolean).join('&');
}
