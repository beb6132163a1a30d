import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { AppModule } from './app.module.js';
import { BODY_LIMIT_BYTES, parseForm, registerBodyParsers } from './common/http/body-parsers.js';
import { newId } from './common/ids.js';
import type { AppConfig } from './config/app-config.js';

/** Builds the whole application (used by main.ts, the tests and the benchmark alike). */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // List filters use brackets (`created[gte]=…`), parsed like form bodies.
    routerOptions: { querystringParser: (query: string) => parseForm(query) },
  } as never);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: ['error', 'warn', ...(config.logRequests ? (['log'] as const) : [])],
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

  app.enableShutdownHooks();
  await app.init();
  return app;
}
