import { Module, OnModuleInit } from '@nestjs/common';
import { validateParams } from '../common/validation/param-validation.js';
import { ResumableEndpoints } from '../idempotency/resumable-endpoints.js';
import { CustomerSourcesController } from './customer-sources.controller.js';
import { CustomerSourcesService } from './customer-sources.service.js';
import { CustomersController } from './customers.controller.js';
import { CustomersRepository } from './customers.repository.js';
import { CustomersService } from './customers.service.js';
import { CreateCustomerDto } from './dto/create-customer.dto.js';
import { CreateSourceDto } from './dto/create-source.dto.js';
import { UpdateCustomerDto } from './dto/update-customer.dto.js';
import { UpdateSourceDto } from './dto/update-source.dto.js';

@Module({
  controllers: [CustomersController, CustomerSourcesController],
  providers: [CustomersService, CustomersRepository, CustomerSourcesService],
  exports: [CustomersService, CustomersRepository],
})
export class CustomersModule implements OnModuleInit {
  constructor(
    private readonly endpoints: ResumableEndpoints,
    private readonly customers: CustomersService,
    private readonly sources: CustomerSourcesService,
  ) {}

  onModuleInit(): void {
    this.endpoints.register('/v1/customers', (ctx, p) => this.customers.create(ctx, validateParams(CreateCustomerDto, p)));
    this.endpoints.register('/v1/customers/:customer/sources', (ctx, p, { customer }) =>
      this.sources.create(ctx, customer, validateParams(CreateSourceDto, p)),
    );
    this.endpoints.register('/v1/customers/:customer/sources/:id', (ctx, p, { customer, id }) =>
      this.sources.update(ctx, customer, id, validateParams(UpdateSourceDto, p)),
    );
    this.endpoints.register('/v1/customers/:id', (ctx, p, { id }) => this.customers.update(ctx, id, validateParams(UpdateCustomerDto, p)));
  }
}
