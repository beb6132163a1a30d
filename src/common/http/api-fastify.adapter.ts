import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';
import { ApiResponse } from './api-response.js';
import { sendApiResponse } from './send.js';

/**
 * Nest's Fastify adapter, writing an ApiResponse a handler returns exactly as it is (status, headers,
 * the JSON text untouched) instead of serialising it as an object. Being the adapter's job, it needs
 * no interceptor. The route's layer, if it has one, sees the answer first (see AnswerHooks).
 */
export class ApiFastifyAdapter extends FastifyAdapter {
  override reply(response: ServerResponse | FastifyReply, body: unknown, statusCode?: number): FastifyReply {
    // Nest's HTTP routes hand over Fastify's reply, never the raw response.
    const reply = response as FastifyReply;
    if (reply.request.answerHooks?.beforeAnswer(reply.request, reply)) return reply;
    if (body instanceof ApiResponse) return sendApiResponse(reply, body);
    return super.reply(response, body, statusCode);
  }
}
