import type { FastifyReply } from 'fastify';
import { ApiResponse } from './api-response.js';

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Writes an ApiResponse exactly: the stored JSON text is sent untouched. */
export function sendApiResponse(reply: FastifyReply, response: ApiResponse): FastifyReply {
  reply.request.rebuildBody = response.rebuildBody;
  return reply.status(response.status).header('content-type', JSON_CONTENT_TYPE).headers(response.headers).send(response.body);
}
