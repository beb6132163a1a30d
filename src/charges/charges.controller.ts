import { Body, Controller, Get, Param, Query } from '@nestjs/common';
import { ApiPost } from '../idempotency/api-post.decorator.js';
import { InvalidRequestError } from '../common/errors/stripe-error.js';
import { Messages } from '../common/errors/messages.js';
import { Ctx, type RequestContext } from '../common/http/request-context.js';
import { ChargesService } from './charges.service.js';
import { CaptureChargeDto } from './dto/capture-charge.dto.js';
import { CreateChargeDto } from './dto/create-charge.dto.js';
import { ListChargesDto } from './dto/list-charges.dto.js';
import { UpdateChargeDto } from './dto/update-charge.dto.js';
import { RetrieveParamsDto } from '../common/expand/retrieve-params.dto.js';

@Controller('v1/charges')
export class ChargesController {
  constructor(private readonly charges: ChargesService) {}

  @ApiPost()
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateChargeDto) {
    return this.charges.create(ctx, dto);
  }

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: ListChargesDto) {
    return this.charges.list(ctx.account, query);
  }

  /** Declared so that `search` is not taken for an id: the SDK's `charges.search` gets a clear 404. */
  @Get('search')
  search(): never {
    throw new InvalidRequestError(Messages.searchNotImplemented('/v1/charges'), {}, 404);
  }

  @Get(':id')
  retrieve(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() query: RetrieveParamsDto) {
    return this.charges.retrieve(ctx.account, id, query.expand);
  }

  @ApiPost(':id')
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() dto: UpdateChargeDto) {
    return this.charges.update(ctx, id, dto);
  }

  @ApiPost(':id/capture')
  capture(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() dto: CaptureChargeDto) {
    return this.charges.capture(ctx, id, dto);
  }
}
