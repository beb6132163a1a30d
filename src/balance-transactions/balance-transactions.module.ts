import { Module } from '@nestjs/common';
import { ChargesModule } from '../charges/charges.module.js';
import { BalanceTransactionsController } from './balance-transactions.controller.js';
import { BalanceTransactionsService } from './balance-transactions.service.js';

@Module({
  imports: [ChargesModule],
  controllers: [BalanceTransactionsController],
  providers: [BalanceTransactionsService],
})
export class BalanceTransactionsModule {}
