import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { IdempotentRequest } from '../../idempotency/idempotent-request.js';
import type { AnswerHooks } from './answer-hooks.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The account the API key names; set by the ApiKeyGuard. */
    account: string;
    requestId: string;
    /** Present on POSTs that carry an Idempotency-Key, once the key phase has run. */
    idempotency?: IdempotentRequest;
    /** The layer around the route, if it has one (see AnswerHooks). */
    answerHooks?: AnswerHooks;
    /** The body being sent, rebuilt on demand, when the ApiResponse offers it (see `ApiResponse.rebuildBody`). */
    rebuildBody?: () => string;
  }
}

/** What a service needs to know about the request it serves. */
export interface RequestContext {
  account: string;
  requestId: string;
  /** The Idempotency-Key held by this request, if it sent one. */
  idempotency: IdempotentRequest | null;
  /** The concrete path and the route pattern (`/v1/charges/ch_1/capture`, `/v1/charges/:id/capture`): faults match either. */
  paths: readonly string[];
}

export function requestContextOf(req: FastifyRequest): RequestContext {
  return {
    account: req.account,
    requestId: req.requestId,
    idempotency: req.idempotency ?? null,
    paths: [pathOf(req), req.routeOptions?.url ?? pathOf(req)],
  };
}

/**
 * The request's path, normalised as RFC 3986 allows: `/v1/%63harges` is `/v1/charges`, which the router
 * serves it as. A key stores this path, so a retry spelled the other way, the completer (which matches it
 * against route patterns) and faults all see one path. Only unreserved characters are decoded: `%2F` in
 * an id must not become a slash.
 */
export function pathOf(req: FastifyRequest): string {
  const q = req.url.indexOf('?');
  return decodeUnreservedEscapes(q < 0 ? req.url : req.url.slice(0, q));
}

/** A request to the API, however its prefix was escaped: the router serves `/%761/customers` as `/v1/customers`. */
export function isApiRequest(req: FastifyRequest): boolean {
  return req.url.startsWith('/v1/') || (req.url.includes('%') && pathOf(req).startsWith('/v1/'));
}

/** `/v1/%63harges` → `/v1/charges`: escapes of unreserved characters decoded (they name the same resource), others kept, in upper case. */
export function decodeUnreservedEscapes(path: string): string {
  return path.indexOf('%') < 0 ? path : path.replace(/%([0-9A-Fa-f]{2})/g, decodeUnreserved);
}

function decodeUnreserved(escape: string, hex: string): string {
  const char = String.fromCharCode(parseInt(hex, 16));
  return /[A-Za-z0-9\-._~]/.test(char) ? char : escape.toUpperCase();
}

/** Injects the RequestContext into a controller method. */
export const Ctx = createParamDecorator((_data: unknown, context: ExecutionContext): RequestContext =>
  requestContextOf(context.switchToHttp().getRequest<FastifyRequest>()),
);
