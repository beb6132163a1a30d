import { applyDecorators, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';

/**
 * A POST of the API: answered 200 (Nest's default would be 201) and run under the idempotency layer.
 * The interceptor is attached here, to POSTs only, rather than globally: Nest wraps every request to a
 * route with interceptors in an RxJS chain, which cost reads about a sixth of their time for nothing,
 * since keys, replays and injected faults only concern POSTs.
 */
export const ApiPost = (path?: string) => applyDecorators(Post(path), HttpCode(200), UseInterceptors(IdempotencyInterceptor));
