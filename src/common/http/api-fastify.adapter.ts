import type { NestApplicationOptions } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
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

  /** Every open connection, so that closing can end those that hold no request being answered. */
  private readonly connections = new Set<Socket>();
  private stopping = false;

  /** True once the server has begun to close: a request that still arrives is refused (app.factory.ts). */
  get closing(): boolean {
    return this.stopping;
  }

  override initHttpServer(options: NestApplicationOptions): void {
    super.initHttpServer(options);
    (this.getHttpServer() as Server).on('connection', (socket: Socket) => {
      this.connections.add(socket);
      socket.once('close', () => this.connections.delete(socket));
    });
  }

  /**
   * Closing waits for the requests in flight to be answered, as it should. But the HTTP server closes
   * only the connections idle when the close begins, and not even those that have sent nothing yet or
   * stalled in the middle of a request: a client that keeps its connection alive after its answer (the
   * SDK, most HTTP clients), or one that connected and went quiet, would hold the close open until it
   * let go (72 s for a kept-alive one, forever for a silent one), and `npm start` would not stop on
   * Ctrl-C. So, until the close is done, every connection not being answered a request it has sent in
   * full is closed: nothing has started for it.
   */
  override async close(): Promise<void> {
    this.stopping = true;
    const endIdle = () => {
      for (const socket of this.connections) if (!answering(socket)) socket.destroy();
    };
    endIdle();
    const sweep = setInterval(endIdle, CLOSE_IDLE_EVERY_MS);
    // A client that stops reading its answers would hold its connection forever. Past the grace, every
    // connection is cut: a request still in its phases then stops at a recovery point, resumed later.
    const deadline = setTimeout(() => this.connections.forEach((socket) => socket.destroy()), CLOSE_GRACE_MS);
    try {
      await super.close();
    } finally {
      clearInterval(sweep);
      clearTimeout(deadline);
    }
  }
}

/** How long closing waits for the answers in flight to be taken by their clients. */
const CLOSE_GRACE_MS = 10_000;

/** How soon, while closing, a connection whose answer was sent is closed. */
const CLOSE_IDLE_EVERY_MS = 50;

/**
 * Whether a request received in full is being answered on this connection. Node keeps the response in
 * progress on the socket (`_httpMessage`, which its own `closeIdleConnections` reads too); its request
 * is `complete` once the whole body has arrived, and no handler runs before that.
 */
function answering(socket: Socket): boolean {
  const response = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  return !!response && !response.writableFinished && response.req.complete;
}
