import 'reflect-metadata';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { ArgumentsHost, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AnswerHooks } from '../http/answer-hooks.js';
import { StripeExceptionFilter } from './stripe-exception.filter.js';
import { ParameterError } from './stripe-error.js';

/** The filter with a route layer (AnswerHooks) on the request, as the API's POSTs have. */
function failWith(exception: unknown, hooks: AnswerHooks) {
  const sent: { status?: number; body?: string } = {};
  const reply = {
    sent: false,
    raw: { headersSent: false },
    request: {},
    status(code: number) {
      sent.status = code;
      return this;
    },
    header() {
      return this;
    },
    headers() {
      return this;
    },
    send(body: string) {
      sent.body = body;
      return this;
    },
  } as unknown as FastifyReply;
  const req = { method: 'POST', url: '/v1/charges', requestId: 'req_1', answerHooks: hooks } as unknown as FastifyRequest;
  const host = { switchToHttp: () => ({ getResponse: () => reply, getRequest: () => req }) } as unknown as ArgumentsHost;
  new StripeExceptionFilter().catch(exception, host);
  return { status: sent.status, body: sent.body === undefined ? undefined : JSON.parse(sent.body) };
}

describe('StripeExceptionFilter with a route layer', () => {
  // The server error below is logged, as it should be; not in the test's output.
  beforeAll(() => Logger.overrideLogger(false));
  const refused = () => new ParameterError('Invalid integer: ten', 'amount');

  it('writes the error once the layer has done its part', () => {
    const answer = failWith(refused(), { beforeAnswer: () => false, onFailure: () => false });
    expect(answer).toMatchObject({ status: 400, body: { error: { type: 'invalid_request_error', param: 'amount' } } });
  });

  it('writes nothing when the layer ended the exchange itself', () => {
    expect(failWith(refused(), { beforeAnswer: () => false, onFailure: () => true })).toEqual({ status: undefined, body: undefined });
  });

  it("answers a server error when the layer itself fails (e.g. releasing the key), not the request's own error", () => {
    const answer = failWith(refused(), {
      beforeAnswer: () => false,
      onFailure: () => {
        throw new Error('disk I/O error');
      },
    });
    expect(answer).toMatchObject({ status: 500, body: { error: { type: 'api_error' } } });
  });
});
