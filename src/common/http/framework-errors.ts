import type { Socket } from 'node:net';
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

/**
 * Bytes Node's HTTP parser rejects (an unknown method, a malformed header, an impossible Content-Length,
 * headers over 16 KB) never become a request at all: Fastify answers them on the raw socket, by default in
 * its own `{"error":"Bad Request","statusCode":400}`. This answers them in the Stripe envelope instead.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', Messages.headersTooLarge()]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', Messages.requestTimedOut()]
        : [400, 'Bad Request', Messages.unparsableHttp()];
  answerAndClose(socket, status, reason, message);
}

/**
 * Node hands a CONNECT request to the server's 'connect' listeners, and with none it closes the
 * connection unanswered: a proxy tunnel is no API request, refused like unparsable HTTP.
 */
export function connectHandler(_req: unknown, socket: Socket): void {
  answerAndClose(socket, 400, 'Bad Request', Messages.unparsableHttp());
}

function answerAndClose(socket: Socket, status: number, reason: string, message: string): void {
  const body = JSON.stringify(new InvalidRequestError(message, {}, status).toBody());
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Request-Id: ${newId('req', 14)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
