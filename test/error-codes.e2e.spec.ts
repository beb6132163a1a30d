import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import request from 'supertest';
import { rejection } from './support/errors.js';
import { newKey, startServer, type TestServer } from './support/server.js';

/**
 * Integrations branch on `err.code` (`email_invalid` → "check the address"), so an invalid param carries
 * Stripe's code for its kind of problem, and none where Stripe has none.
 */
describe('the error code of an invalid parameter', () => {
  let server: TestServer;
  let key: string;
  let stripe: Stripe;

  beforeAll(async () => {
    server = await startServer();
    key = newKey();
    stripe = server.stripe(key);
  });
  afterAll(() => server.close());

  const post = (path: string, body: string, idempotencyKey?: string) => {
    const req = request(server.url).post(path).set('Authorization', `Bearer ${key}`).type('form');
    if (idempotencyKey) req.set('Idempotency-Key', idempotencyKey);
    return req.send(body);
  };

  it('a required param sent empty is parameter_invalid_empty, not missing, and the key stays free', async () => {
    const idempotencyKey = `empty-${Math.random()}`;
    const error = await rejection(
      stripe.charges.create({ amount: null as unknown as number, currency: 'usd', source: 'tok_visa' }, { idempotencyKey }),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('parameter_invalid_empty');
    expect(error.param).toBe('amount');
    expect(error.message).toBe(
      "You passed an empty string for 'amount'. We assume empty values are an attempt to unset a parameter; however 'amount' cannot be unset. You should remove 'amount' from your request or supply a non-empty value.",
    );

    // Validation saves nothing under the key: the corrected request goes through with it.
    const charge = await stripe.charges.create({ amount: 500, currency: 'usd', source: 'tok_visa' }, { idempotencyKey });
    expect(charge.amount).toBe(500);
  });

  it('a required param left out is still parameter_missing', async () => {
    const error = await rejection(stripe.charges.create({ currency: 'usd', source: 'tok_visa' } as Stripe.ChargeCreateParams));
    expect(error).toMatchObject({ code: 'parameter_missing', param: 'amount', message: 'Missing required param: amount.' });
  });

  it('an optional param that cannot be unset, sent empty, is parameter_invalid_empty too', async () => {
    const charge = await stripe.charges.create({ amount: 800, currency: 'usd', source: 'tok_visa', capture: false });
    const error = await rejection(stripe.charges.capture(charge.id, { amount: null as unknown as number }));
    expect(error).toMatchObject({ code: 'parameter_invalid_empty', param: 'amount' });
    expect((await stripe.charges.retrieve(charge.id)).captured).toBe(false);
  });

  it('an amount that is not a whole number is parameter_invalid_integer', async () => {
    for (const amount of ['12abc', '12.5']) {
      const res = await post('/v1/charges', `amount=${amount}&currency=usd&source=tok_visa`);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        type: 'invalid_request_error',
        code: 'parameter_invalid_integer',
        param: 'amount',
        message: `Invalid integer: ${amount}`,
        doc_url: 'https://stripe.com/docs/error-codes/parameter-invalid-integer',
      });
    }
    expect((await stripe.charges.list()).data.filter((c) => c.amount !== 500 && c.amount !== 800)).toEqual([]);
  });

  it('an invalid email is email_invalid, on customers and on a charge receipt', async () => {
    const onCustomer = await rejection(stripe.customers.create({ email: 'not-an-email' }));
    expect(onCustomer).toMatchObject({ code: 'email_invalid', param: 'email', message: 'Invalid email address: not-an-email' });

    const onCharge = await rejection(
      stripe.charges.create({ amount: 500, currency: 'usd', source: 'tok_visa', receipt_email: 'nobody' }),
    );
    expect(onCharge).toMatchObject({ code: 'email_invalid', param: 'receipt_email' });
    expect((await stripe.customers.list()).data).toEqual([]);
  });

  it('addresses Stripe refuses are refused (a dot or bracket out of place), and ordinary ones are taken', async () => {
    for (const email of ['x@.maie.com', '<a@b.com>', 'a,b@c.com', 'a@b..com', '.a@b.com', 'a.@b.com', 'a@b', 'a@-b.com']) {
      const res = await post('/v1/customers', `email=${encodeURIComponent(email)}`);
      expect({ email, status: res.status, code: res.body.error?.code }).toEqual({ email, status: 400, code: 'email_invalid' });
    }
    const taken = [];
    for (const email of ['jenny.rosen@example.com', 'a+tag@sub.example.co.uk', "o'brien@x.ie"]) {
      taken.push((await stripe.customers.create({ email })).email);
    }
    expect(taken).toEqual(['jenny.rosen@example.com', 'a+tag@sub.example.co.uk', "o'brien@x.ie"]);
  });

  it('a problem Stripe has no code for carries none (and so no doc_url), only the param and the message', async () => {
    const res = await post('/v1/customers', 'preferred_locales=en');
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe('preferred_locales');
    expect(res.body.error).not.toHaveProperty('code');
    expect(res.body.error).not.toHaveProperty('doc_url');

    const tooLong = await post('/v1/customers', `name=${'n'.repeat(257)}`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toMatchObject({ type: 'invalid_request_error', param: 'name' });
    expect(tooLong.body.error).not.toHaveProperty('code');
  });
});
