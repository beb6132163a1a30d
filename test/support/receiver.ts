import { createServer, type Server } from 'node:http';

export interface Received {
  body: string;
  signature: string;
  type: string;
  eventId: string;
  authorization?: string;
}

/** A local webhook endpoint: records what arrives and answers with the next scripted status (default 200). */
export async function startReceiver(statuses: number[] = []) {
  const received: Received[] = [];
  const script = [...statuses];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const event = JSON.parse(body) as { id: string; type: string };
      received.push({
        body, signature: String(req.headers['stripe-signature']), type: event.type, eventId: event.id, authorization: req.headers.authorization,
      });
      res.statusCode = script.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    /** Resolves once `predicate` holds for what arrived, or rejects after `ms`. */
    async until(predicate: (r: Received[]) => boolean, ms = 5000): Promise<Received[]> {
      const deadline = Date.now() + ms;
      while (!predicate(received)) {
        if (Date.now() > deadline) throw new Error(`receiver: condition not met in ${ms} ms; got ${received.map((r) => r.type).join(', ') || 'nothing'}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
