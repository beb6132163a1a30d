import { describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import request from 'supertest';
import { newKey, startServer } from './support/server.js';

/**
 * A database file deleted while the server runs (`rm -rf data` to start afresh, a test's clean-up run
 * too early) leaves the server writing to a file nobody can open again: every charge it acknowledged
 * from then on would be gone when it stops. It notices within a second, says so, and refuses writes.
 */
describe('a database file deleted while the server runs', () => {
  it('is noticed: writes are refused with a message saying why, reads still answer', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const server = await startServer();
    const key = newKey();
    const charge = () => request(server.url).post('/v1/charges').auth(key, '').type('form').send('amount=2000&currency=usd&source=tok_visa');
    try {
      expect((await charge()).status).toBe(200);
      rmSync(dirname(server.dbPath), { recursive: true, force: true });

      let refused = await charge();
      for (let waited = 0; refused.status === 200 && waited < 3_000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        refused = await charge();
      }
      const message = `The database file '${server.dbPath}' was deleted or replaced while oncepay ran: nothing more can be saved, and what it held is gone once the server stops. Restart the server.`;
      expect(refused.status).toBe(500);
      expect(refused.body).toEqual({ error: { type: 'api_error', message } });
      // Said once; the webhook dispatcher's polling does not fail (and log) on every tick after it.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const lines = logged.mock.calls.map(([line]) => String(line));
      expect(lines.filter((line) => line === message)).toHaveLength(1);
      expect(lines.filter((line) => line.startsWith('claiming webhook deliveries failed'))).toEqual([]);
      expect((await request(server.url).get('/v1/charges').auth(key, '')).status).toBe(200);
    } finally {
      logged.mockRestore();
      await server.app.close();
    }
  });
});
