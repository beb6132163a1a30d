import { Controller, Get, Param, Query } from '@nestjs/common';
import { Ctx, type RequestContext } from '../common/http/request-context.js';
import { ListEventsDto } from './dto/list-events.dto.js';
import { EventsService } from './events.service.js';
import { RetrieveParamsDto } from '../common/expand/retrieve-params.dto.js';

@Controller('v1/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: ListEventsDto) {
    return this.events.list(ctx.account, query);
  }

  @Get(':id')
  retrieve(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() _query: RetrieveParamsDto) {
    return this.events.retrieve(ctx.account, id);
  }
}
