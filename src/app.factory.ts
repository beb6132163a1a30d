import 'reflect-metadata';
import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppModule } from './app.module.js';
import { ApiFastifyAdapter } from './common/http/api-fastify.adapter.js';
import { BODY_LIMIT_BYTES, parseQuery, queryParseError, registerBodyParsers } from './common/http/body-parsers.js';
import { ApiError, InvalidRequestError } from './common/errors/stripe-error.js';
import { Messages } from './common/errors/messages.js';
import { clientErrorHandler, connectHandler, frameworkErrorHandler } from './common/http/framework-errors.js';
import { negotiateApiVersion } from './common/http/stripe-version.js';
import { newId } from './common/ids.js';
import type { AppConfig } from './config/app-config.js';

/** Builds the whole application (used by main.ts, the tests and the benchmark alike). */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new ApiFastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
    // Node would answer an HTTP/1.1 request without a Host header itself, with an empty 400; the
    // onRequest hook refuses it instead, in the error envelope and with a Request-Id like any other.
    http: { requireHostHeader: false },
    // An absolute-form request line (`POST http://host/v1/charges HTTP/1.1`, which HTTP/1.1 servers must
    // accept) is the same request as its path: every check of `/v1/…`, the request log and the path an
    // idempotency key stores see the path alone.
    rewriteUrl: (req: { url?: string }) => originFormOf(req.url ?? '/'),
    // A request arriving while the server closes is refused in Stripe's envelope (below), not Fastify's,
    // which the SDK reads as an OAuth error with no message.
    return503OnClosing: false,
    // List filters use brackets (`created[gte]=…`), parsed like form bodies.
    routerOptions: {
      querystringParser: (query: string) => parseQuery(query),
      // Path parameters include idempotency keys (`/_control/idempotency_keys/:key`): up to 255 characters,
      // three times that when percent-encoded. Fastify's default of 100 would turn long ones into a 414.
      maxParamLength: 3 * 255,
    },
  } as never);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new AppLogger({ logLevels: ['error', 'warn', ...(config.logRequests ? (['log'] as const) : [])] }),
    // A failure to boot (a file that is not a database, …) is thrown to the caller, which reports it
    // once: main.ts as one line naming the setting, a test as its failure. Nest would abort the process.
    abortOnError: false,
    bufferLogs: false,
    // Our own parsers (qs for bracket nesting, strict JSON) replace Nest's defaults.
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  registerBodyParsers(fastify);

  fastify.addHook('onRequest', (req, reply, done) => {
    req.requestId = newId('req', 14);
    reply.header('Request-Id', req.requestId);
    done();
  });

  app.getHttpServer().on('connect', connectHandler);
  await app.init();
  // Added after the modules' own hooks (the request log's among them), so that a request refused here is
  // still recorded. A query string the router could not parse (too deep, too many params) fails here, as a 400.
  fastify.addHook('onRequest', (req, reply, done) => {
    done((shuttingDown(adapter, reply) ?? missingHost(req) ?? encodedBody(req) ?? queryParseError(req.query) ?? negotiateApiVersion(req, reply)) as never);
  });
  return app;
}

/** `http://host:port/v1/x?y` → `/v1/x?y`; a path as it is. */
export function originFormOf(target: string): string {
  // A fragment is no part of a request target (clients never send one): the router would read it as a
  // query and the idempotency layer as part of the path. Dropped, so every part sees the same request.
  const hash = target.indexOf('#');
  const url = hash < 0 ? target : target.slice(0, hash);
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url);
  if (!absolute) return url;
  const rest = url.slice(absolute[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/** Nothing of it has run, so sending it again (to the next server) is safe, with a key or without. */
function shuttingDown(adapter: ApiFastifyAdapter, reply: FastifyReply): ApiError | undefined {
  if (!adapter.closing) return undefined;
  reply.header('Connection', 'close');
  return new ApiError(Messages.shuttingDown(), 503, { 'Stripe-Should-Retry': 'true' });
}

/** HTTP/1.1 requires a Host header (RFC 9112 §3.2); an HTTP/1.0 client may leave it out. */
function missingHost(req: FastifyRequest): InvalidRequestError | undefined {
  if (req.headers.host !== undefined || req.raw.httpVersionMinor === 0) return undefined;
  return new InvalidRequestError(Messages.missingHost());
}

/** A compressed body would be read as form text and answered as garbage params: refused by name instead. */
function encodedBody(req: FastifyRequest): InvalidRequestError | undefined {
  const encoding = req.headers['content-encoding'];
  if (encoding === undefined || /^\s*identity\s*$/i.test(encoding)) return undefined;
  // No body to read (a GET, say, from a client that sets the header on every request): nothing to refuse.
  if (req.headers['transfer-encoding'] === undefined && Number(req.headers['content-length'] ?? 0) === 0) return undefined;
  return new InvalidRequestError(Messages.unsupportedContentEncoding(encoding));
}

/**
 * Nest's logger, without Nest's own reports of a failure to boot or to listen: the error is thrown to
 * the caller, which reports it once (see abortOnError).
 */
class AppLogger extends ConsoleLogger {
  override error(message: unknown, ...rest: unknown[]): void {
    const context = String(rest[rest.length - 1]);
    if (/^_?ExceptionHandler$/.test(context)) return;
    if (/^_?NestApplication$/.test(context) && /^Error: (listen|getaddrinfo) /.test(String(message))) return;
    super.error(message, ...rest);
  }
}
