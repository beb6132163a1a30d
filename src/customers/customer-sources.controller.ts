import { Body, Controller, Delete, Get, Param, Query } from '@nestjs/common';
import { ApiPost } from '../idempotency/api-post.decorator.js';
import { Ctx, type RequestContext } from '../common/http/request-context.js';
import { ListSourcesDto } from './dto/list-sources.dto.js';
import { CustomerSourcesService } from './customer-sources.service.js';
import { CreateSourceDto } from './dto/create-source.dto.js';
import { UpdateSourceDto } from './dto/update-source.dto.js';
import { RetrieveParamsDto } from '../common/expand/retrieve-params.dto.js';

@Controller('v1/customers/:customer/sources')
export class CustomerSourcesController {
  constructor(private readonly sources: CustomerSourcesService) {}

  @ApiPost()
  create(@Ctx() ctx: RequestContext, @Param('customer') customer: string, @Body() dto: CreateSourceDto) {
    return this.sources.create(ctx, customer, dto);
  }

  @Get()
  list(@Ctx() ctx: RequestContext, @Param('customer') customer: string, @Query() query: ListSourcesDto) {
    return this.sources.list(ctx.account, customer, query);
  }

  @Get(':id')
  retrieve(@Ctx() ctx: RequestContext, @Param('customer') customer: string, @Param('id') id: string, @Query() _query: RetrieveParamsDto) {
    return this.sources.retrieve(ctx.account, customer, id);
  }

  @ApiPost(':id')
  update(@Ctx() ctx: RequestContext, @Param('customer') customer: string, @Param('id') id: string, @Body() dto: UpdateSourceDto) {
    return this.sources.update(ctx, customer, id, dto);
  }

  /** Unlike Stripe's other deletes, detaching a source takes `expand[]`, as a retrieve does. */
  @Delete(':id')
  delete(
    @Ctx() ctx: RequestContext,
    @Param('customer') customer: string,
    @Param('id') id: string,
    @Query() _query: RetrieveParamsDto,
    @Body() _body: RetrieveParamsDto,
  ) {
    return this.sources.delete(ctx, customer, id);
  }
}
