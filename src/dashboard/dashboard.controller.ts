import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '../common/http/public.decorator.js';
import { SkipIdempotency } from '../idempotency/idempotency.interceptor.js';
import { DASHBOARD_HTML } from './dashboard.page.js';

/**
 * The workshop dashboard: one self-contained page. The page itself needs no key; every call it makes
 * for data sends the key typed into it, like any other client of the API.
 */
@Controller('dashboard')
@Public()
@SkipIdempotency()
export class DashboardController {
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  page(): string {
    return DASHBOARD_HTML;
  }
}
