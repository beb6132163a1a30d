// A webhook receiver for oncepay, verified with the official SDK exactly as against Stripe.
//   WEBHOOK_SECRET=whsec_... node examples/webhook-receiver.mjs   (listens on :4343)
import http from 'node:http';
import Stripe from 'stripe';

const secret = process.env.WEBHOOK_SECRET;
if (!secret) {
  console.error('Set WEBHOOK_SECRET to the secret returned when you created the webhook endpoint.');
  process.exit(1);
}
const stripe = new Stripe('sk_test_unused');
const port = Number(process.env.PORT ?? 4343);

http
  .createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      try {
        // Verify against the raw body: re-serialised JSON would not match the signature.
        const event = stripe.webhooks.constructEvent(body, req.headers['stripe-signature'], secret);
        console.log(`${event.id} ${event.type} ${event.data.object.id} (request ${event.request?.id}, key ${event.request?.idempotency_key})`);
        res.writeHead(200).end('ok');
      } catch (error) {
        console.error(`rejected: ${error.message}`);
        res.writeHead(400).end('bad signature');
      }
    });
  })
  .listen(port, '127.0.0.1', () => console.log(`webhook receiver on http://127.0.0.1:${port}/webhooks`));
