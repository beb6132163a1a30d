import { applyDecorators, HttpCode, Post, UseGuards } from '@nestjs/common';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';

/**
 * A POST of the API: answered 200 (Nest's default would be 201) and run under the idempotency layer.
 * The layer is attached here, to POSTs only, as keys, replays and injected faults only concern POSTs. It
 * enters as a route guard, which Nest runs after the global ones (the API key's) and before validation.
 */
export const ApiPost = (path?: string) => applyDecorators(Post(path), HttpCode(200), UseGuards(IdempotencyInterceptor));
