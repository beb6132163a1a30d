import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { InvalidRequestError } from '../errors/stripe-error.js';
import { Messages } from '../errors/messages.js';
import { newId } from '../ids.js';
import { ApiResponse } from './api-response.js';
import { sendApiResponse } from './send.js';

/**
 * Fastify's router rejects some URLs (bad percent-encoding, an over-long path segment) before any hook
 * or Nest filter runs. This answers them in the Stripe envelope with a Request-Id like every other response.
 */
export function frameworkErrorHandler(error: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const url = req.raw.url ?? '';
  const message = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? Messages.urlTooLong(url) : Messages.malformedUrl(url);
  reply.header('Request-Id', newId('req', 14));
  sendApiResponse(reply, ApiResponse.fromError(new InvalidRequestError(message, {}, error.statusCode ?? 400)));
}
