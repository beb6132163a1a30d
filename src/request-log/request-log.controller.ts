import { Controller, Get, Query } from '@nestjs/common';
import { Ctx, type RequestContext } from '../common/http/request-context.js';
import { ListRequestsDto } from './dto/list-requests.dto.js';
import { RequestLogService } from './request-log.service.js';

/** The request log, part of the control API: what this account's clients sent and heard back. */
@Controller('_control/requests')
export class RequestLogController {
  constructor(private readonly requests: RequestLogService) {}

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: ListRequestsDto) {
    return this.requests.list(ctx.account, query);
  }
}
