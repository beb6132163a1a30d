import { Body, Controller, Delete, Get, Param, Query } from '@nestjs/common';
import { ApiPost } from '../idempotency/api-post.decorator.js';
import { Ctx, type RequestContext } from '../common/http/request-context.js';
import { SkipIdempotency } from '../idempotency/idempotency.interceptor.js';
import { ControlService } from './control.service.js';
import { ArmFaultDto } from './dto/arm-fault.dto.js';
import { ListIdempotencyKeysDto } from './dto/list-idempotency-keys.dto.js';
import { NoParamsDto } from './dto/no-params.dto.js';
import { ResetDto } from './dto/reset.dto.js';

/** The control API for tests and workshops (DESIGN.md). Acts on the caller's account only. */
@Controller('_control')
@SkipIdempotency()
export class ControlController {
  constructor(private readonly control: ControlService) {}

  @ApiPost('faults')
  armFault(@Ctx() ctx: RequestContext, @Body() dto: ArmFaultDto) {
    return this.control.armFault(ctx.account, dto);
  }

  @Get('faults')
  listFaults(@Ctx() ctx: RequestContext, @Query() _query: NoParamsDto) {
    return this.control.listFaults(ctx.account);
  }

  @Delete('faults')
  clearFaults(@Ctx() ctx: RequestContext, @Query() _query: NoParamsDto, @Body() _body: NoParamsDto) {
    return this.control.clearFaults(ctx.account);
  }

  @Get('idempotency_keys')
  idempotencyKeys(@Ctx() ctx: RequestContext, @Query() query: ListIdempotencyKeysDto) {
    return this.control.listIdempotencyKeys(ctx.account, query.limit ?? 20, query.starting_after ?? null);
  }

  @Get('idempotency_keys/:key')
  idempotencyKey(@Ctx() ctx: RequestContext, @Param('key') key: string, @Query() _query: NoParamsDto) {
    return this.control.idempotencyKey(ctx.account, key);
  }

  @ApiPost('reset')
  reset(@Ctx() ctx: RequestContext, @Body() _params: ResetDto) {
    return this.control.reset(ctx.account);
  }
}
