import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * What a layer around a route (the idempotency layer, on the API's POSTs) does as the route's answer
 * leaves or as the request fails. The layer puts itself on the request, so the adapter and the exception
 * filter, which every route shares, call it without knowing what it is; routes without one are answered
 * as they are.
 */
export interface AnswerHooks {
  /** Before the answer is written. True when the layer ended the exchange itself: nothing is to be sent. */
  beforeAnswer(req: FastifyRequest, reply: FastifyReply): boolean;
  /**
   * Before the error is written. True when the layer ended the exchange itself: nothing is to be sent.
   * What it throws is answered instead (the layer's own failure, e.g. its database, is the server's).
   */
  onFailure(req: FastifyRequest, reply: FastifyReply, error: unknown): boolean;
}
