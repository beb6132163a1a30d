import { Body, Controller, Get, Param, Query } from '@nestjs/common';
import { ApiPost } from '../idempotency/api-post.decorator.js';
import { Ctx, type RequestContext } from '../common/http/request-context.js';
import { SkipIdempotency } from '../idempotency/idempotency.interceptor.js';
import { ListDeliveriesDto } from './dto/list-deliveries.dto.js';
import { ResendEventDto } from './dto/resend-event.dto.js';
import { WebhookDeliveriesControlService } from './webhook-deliveries-control.service.js';

@Controller('_control')
@SkipIdempotency()
export class WebhookDeliveriesControlController {
  constructor(private readonly control: WebhookDeliveriesControlService) {}

  @Get('webhook_deliveries')
  list(@Ctx() ctx: RequestContext, @Query() query: ListDeliveriesDto) {
    return this.control.list(ctx.account, query);
  }

  @ApiPost('events/:id/resend')
  resend(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() dto: ResendEventDto) {
    return this.control.resend(ctx.account, id, dto);
  }
}
