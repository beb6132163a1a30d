import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import type { Server, ServerResponse } from 'node:http';
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

  /**
   * Closing waits for the requests in flight to be answered, as it should; but Node closes only the
   * connections idle when the close begins, and a client that keeps its connection alive after its
   * answer (the SDK, most HTTP clients) would then hold the close open until it let go, or for the
   * keep-alive timeout (72 s): `npm start` would not stop on Ctrl-C. So each connection is closed as soon
   * as its answer is sent. New requests meanwhile get Fastify's 503.
   */
  override async close(): Promise<void> {
    const server = this.getHttpServer() as Server | undefined;
    const sweep = setInterval(() => server?.closeIdleConnections(), CLOSE_IDLE_EVERY_MS);
    try {
      await super.close();
    } finally {
      clearInterval(sweep);
    }
  }
}

/** How soon, while closing, a connection whose answer was sent is closed. */
const CLOSE_IDLE_EVERY_MS = 50;
