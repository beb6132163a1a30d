import { Controller, Get, Param, Query } from '@nestjs/common';
import { RetrieveParamsDto } from '../common/expand/retrieve-params.dto.js';
import { Ctx, type RequestContext } from '../common/http/request-context.js';
import { BalanceTransactionsService } from './balance-transactions.service.js';

@Controller('v1/balance_transactions')
export class BalanceTransactionsController {
  constructor(private readonly balanceTransactions: BalanceTransactionsService) {}

  @Get(':id')
  retrieve(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() _query: RetrieveParamsDto) {
    return this.balanceTransactions.retrieve(ctx.account, id);
  }
}
