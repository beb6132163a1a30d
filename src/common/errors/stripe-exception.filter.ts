import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiResponse } from '../http/api-response.js';
import { sendApiResponse } from '../http/send.js';
import { Messages } from './messages.js';
import { BODY_LIMIT_BYTES } from '../http/body-parsers.js';
import { ApiError, InvalidRequestError, StripeError } from './stripe-error.js';

/** The single place where anything thrown becomes a Stripe error envelope. */
@Catch()
export class StripeExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('oncepay');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const req = http.getRequest<FastifyRequest>();
    if (reply.sent || reply.raw.headersSent) return;
    let failure = exception;
    try {
      if (req.answerHooks?.onFailure(req, reply, exception)) return;
    } catch (error) {
      failure = error;
    }
    sendApiResponse(reply, ApiResponse.fromError(toStripeError(failure, req, this.logger)));
  }
}

export function toStripeError(exception: unknown, req: FastifyRequest, logger: Logger): StripeError {
  if (exception instanceof StripeError) return exception;
  if (exception instanceof HttpException) {
    // Fastify's own client errors (body parsing, limits) arrive wrapped by Nest with the original as cause.
    const cause = exception.cause as { code?: string } | undefined;
    if (typeof cause?.code === 'string' && cause.code.startsWith('FST_')) return fastifyClientError(cause, req);
    const status = exception.getStatus();
    if (status === 404) return new InvalidRequestError(Messages.unrecognizedUrl(req.method, req.url, endsWithSlash(req.url)), {}, 404);
    if (status < 500) return new InvalidRequestError(exception.message, {}, status);
  }
  // The client hung up before its body arrived: nothing failed here, and there is nobody left to answer.
  if ((exception as { code?: string } | null)?.code === 'ECONNRESET' && req.raw.socket?.destroyed) {
    return new InvalidRequestError(Messages.clientClosed(), {}, 400);
  }
  logger.error(`${req.method} ${req.url} (${req.requestId}) failed`, (exception as Error)?.stack ?? String(exception));
  return new ApiError();
}

/**
 * `/v1/customers/` is what an SDK sends for a retrieve with an empty id (`customers.retrieve('')`), or a
 * list written with a slash: Stripe's 404 then says both, and so does this one.
 */
function endsWithSlash(url: string): boolean {
  const path = url.split('?', 1)[0];
  return path.length > 1 && path.endsWith('/');
}

function fastifyClientError(error: { code?: string }, req: FastifyRequest): StripeError {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new InvalidRequestError(Messages.bodyTooLarge(BODY_LIMIT_BYTES));
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const type = req.headers['content-type'];
      return new InvalidRequestError(type ? Messages.unsupportedContentType(type) : Messages.missingContentType());
    }
    default:
      return new InvalidRequestError(Messages.malformedBody());
  }
}
