import { afterAll, describe, expect, it } from '@jest/globals';
import { accountIdForKey } from '../src/common/http/api-key.guard.js';
import { WebhookEndpointApiVersion1765900000000 } from '../src/database/migrations/1765900000000-webhook-endpoint-api-version.js';
import { serverOnDatabaseBefore } from './support/old-database.js';
import { newKey, type TestServer } from './support/server.js';

describe('a database from before webhook endpoints kept their api_version', () => {
  let server: TestServer | undefined;
  afterAll(() => server?.close());

  it('is migrated on start: an endpoint made before shows api_version null (none asked for), as one made now without it', async () => {
    const key = newKey();
    server = await serverOnDatabaseBefore(WebhookEndpointApiVersion1765900000000, (db) =>
      db.query(
        `INSERT INTO webhook_endpoints (id, account, created, url, enabled_events, metadata, status, secret, deleted)
         VALUES ('we_old', ?, 1700000000, 'https://example.com/hook', '["*"]', '{}', 'enabled', 'whsec_old', 0)`,
        [accountIdForKey(key)],
      ),
    );
    const stripe = server.stripe(key);
    expect(await stripe.webhookEndpoints.retrieve('we_old')).toMatchObject({ id: 'we_old', api_version: null, url: 'https://example.com/hook' });
    const made = await stripe.webhookEndpoints.create({ url: 'https://example.com/new', enabled_events: ['charge.succeeded'] });
    expect((await stripe.webhookEndpoints.list()).data.map((e) => [e.id, e.api_version])).toEqual([[made.id, null], ['we_old', null]]);
  });
});
