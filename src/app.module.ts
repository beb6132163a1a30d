import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { StripeExceptionFilter } from './common/errors/stripe-exception.filter.js';
import { ApiKeyGuard } from './common/http/api-key.guard.js';
import { StripeValidationPipe } from './common/validation/stripe-validation.pipe.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { ControlModule } from './control/control.module.js';
import { CustomersModule } from './customers/customers.module.js';
import { CardNetworkModule } from './card-network/card-network.module.js';
import { CardsModule } from './cards/cards.module.js';
import { ChargesModule } from './charges/charges.module.js';
import { BalanceTransactionsModule } from './balance-transactions/balance-transactions.module.js';
import { RefundsModule } from './refunds/refunds.module.js';
import { RequestLogModule } from './request-log/request-log.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { EventsModule } from './events/events.module.js';
import { EventsControlModule } from './events/events-control.module.js';
import { DatabaseModule } from './database/database.module.js';
import { FaultsModule } from './faults/faults.module.js';
import { IdempotencyModule } from './idempotency/idempotency.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        FaultsModule,
        IdempotencyModule,
        EventsModule,
        CardNetworkModule,
        CardsModule,
        CustomersModule,
        ChargesModule,
        RefundsModule,
        BalanceTransactionsModule,
        // CONTROL_API=off removes the routes entirely: they answer 404 like any unknown URL.
        ...(config.controlApi ? [ControlModule, EventsControlModule, RequestLogModule, DashboardModule] : []),
      ],
      providers: [
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_PIPE, useClass: StripeValidationPipe },
        { provide: APP_FILTER, useClass: StripeExceptionFilter },
      ],
    };
  }
}
