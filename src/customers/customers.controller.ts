import { Body, Controller, Delete, Get, Param, Query } from '@nestjs/common';
import { Ctx, type RequestContext } from '../common/http/request-context.js';
import { ApiPost } from '../common/http/api-post.decorator.js';
import { CustomersService } from './customers.service.js';
import { CreateCustomerDto } from './dto/create-customer.dto.js';
import { ListCustomersDto } from './dto/list-customers.dto.js';
import { UpdateCustomerDto } from './dto/update-customer.dto.js';

@Controller('v1/customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @ApiPost()
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateCustomerDto) {
    return this.customers.create(ctx, dto);
  }

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: ListCustomersDto) {
    return this.customers.list(ctx.account, query);
  }

  @Get(':id')
  retrieve(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.customers.retrieve(ctx.account, id);
  }

  @ApiPost(':id')
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() dto: UpdateCustomerDto) {
    return this.customers.update(ctx, id, dto);
  }

  @Delete(':id')
  delete(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.customers.delete(ctx, id);
  }
}
