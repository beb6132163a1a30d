import { Body, Controller, Delete, Get, Param, Query } from '@nestjs/common';
import { ApiPost } from '../idempotency/api-post.decorator.js';
import { Ctx, type RequestContext } from '../common/http/request-context.js';
import { ListWebhookEndpointsDto } from './dto/list-webhook-endpoints.dto.js';
import { CreateWebhookEndpointDto, UpdateWebhookEndpointDto } from './dto/webhook-endpoint.dto.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';
import { RetrieveParamsDto } from '../common/expand/retrieve-params.dto.js';
import { DeleteParamsDto } from '../common/validation/delete-params.dto.js';

@Controller('v1/webhook_endpoints')
export class WebhookEndpointsController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @ApiPost()
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateWebhookEndpointDto) {
    return this.endpoints.create(ctx, dto);
  }

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: ListWebhookEndpointsDto) {
    return this.endpoints.list(ctx.account, query);
  }

  @Get(':id')
  retrieve(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() _query: RetrieveParamsDto) {
    return this.endpoints.retrieve(ctx.account, id);
  }

  @ApiPost(':id')
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() dto: UpdateWebhookEndpointDto) {
    return this.endpoints.update(ctx, id, dto);
  }

  @Delete(':id')
  delete(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() _query: DeleteParamsDto, @Body() _body: DeleteParamsDto) {
    return this.endpoints.delete(ctx, id);
  }
}
