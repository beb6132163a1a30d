import { applyDecorators, HttpCode, Post } from '@nestjs/common';

/** Stripe answers successful POSTs with 200 (Nest's default would be 201). */
export const ApiPost = (path?: string) => applyDecorators(Post(path), HttpCode(200));
