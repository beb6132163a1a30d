import { Body, Controller, Get, Param, Query } from '@nestjs/common';
import { ApiPost } from '../idempotency/api-post.decorator.js';
import { Ctx, type RequestContext } from '../common/http/request-context.js';
import { CreateChargeRefundDto, CreateRefundDto } from './dto/create-refund.dto.js';
import { ListChargeRefundsDto, ListRefundsDto } from './dto/list-refunds.dto.js';
import { CancelRefundDto } from './dto/cancel-refund.dto.js';
import { UpdateRefundDto } from './dto/update-refund.dto.js';
import { RefundsService } from './refunds.service.js';
import { RetrieveParamsDto } from '../common/expand/retrieve-params.dto.js';

@Controller('v1')
export class RefundsController {
  constructor(private readonly refunds: RefundsService) {}

  @ApiPost('refunds')
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateRefundDto) {
    return this.refunds.createOf(ctx, dto);
  }

  /** The older, charge-scoped form of the same call. */
  @ApiPost('charges/:id/refunds')
  createForCharge(@Ctx() ctx: RequestContext, @Param('id') chargeId: string, @Body() dto: CreateChargeRefundDto) {
    return this.refunds.create(ctx, chargeId, dto, 'id');
  }

  @Get('charges/:id/refunds')
  listForCharge(@Ctx() ctx: RequestContext, @Param('id') chargeId: string, @Query() query: ListChargeRefundsDto) {
    return this.refunds.listForCharge(ctx.account, chargeId, query);
  }

  @Get('refunds')
  list(@Ctx() ctx: RequestContext, @Query() query: ListRefundsDto) {
    return this.refunds.list(ctx.account, query);
  }

  @Get('refunds/:id')
  retrieve(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() query: RetrieveParamsDto) {
    return this.refunds.retrieve(ctx.account, id, query.expand);
  }

  @ApiPost('refunds/:id')
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() dto: UpdateRefundDto) {
    return this.refunds.update(ctx, id, dto);
  }

  @ApiPost('refunds/:id/cancel')
  cancel(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() dto: CancelRefundDto) {
    return this.refunds.cancel(ctx, id, dto);
  }

  /** The older, charge-scoped forms of retrieve and update: a refund of another charge is not found. */
  @Get('charges/:id/refunds/:refund')
  retrieveForCharge(@Ctx() ctx: RequestContext, @Param('id') chargeId: string, @Param('refund') id: string, @Query() query: RetrieveParamsDto) {
    return this.refunds.retrieve(ctx.account, id, query.expand, chargeId);
  }

  @ApiPost('charges/:id/refunds/:refund')
  updateForCharge(@Ctx() ctx: RequestContext, @Param('id') chargeId: string, @Param('refund') id: string, @Body() dto: UpdateRefundDto) {
    return this.refunds.update(ctx, id, dto, chargeId);
  }
}
