import { Body, Controller, Delete, Get, Param, Query } from '@nestjs/common';
import { Ctx, type RequestContext } from '../common/http/request-context.js';
import { ApiPost } from '../idempotency/api-post.decorator.js';
import { InvalidRequestError } from '../common/errors/stripe-error.js';
import { Messages } from '../common/errors/messages.js';
import { CustomersService } from './customers.service.js';
import { CreateCustomerDto } from './dto/create-customer.dto.js';
import { ListCustomersDto } from './dto/list-customers.dto.js';
import { UpdateCustomerDto } from './dto/update-customer.dto.js';
import { RetrieveParamsDto } from '../common/expand/retrieve-params.dto.js';
import { PaginationParamsDto } from '../common/pagination/list-params.dto.js';
import { DeleteParamsDto } from '../common/validation/delete-params.dto.js';

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

  /** Declared so that `search` is not taken for an id: the SDK's `customers.search` gets a clear 404. */
  @Get('search')
  search(): never {
    throw new InvalidRequestError(Messages.searchNotImplemented('/v1/customers'), {}, 404);
  }

  @Get(':id')
  retrieve(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() query: RetrieveParamsDto) {
    return this.customers.retrieve(ctx.account, id, query.expand);
  }

  /**
   * The `url` of an expanded `subscriptions` or `tax_ids` list, which the SDK follows (`listTaxIds`):
   * oncepay has neither, so the list is empty, and the customer must exist.
   */
  @Get(':id/:list(subscriptions|tax_ids)')
  emptyList(@Ctx() ctx: RequestContext, @Param('id') id: string, @Param('list') list: string, @Query() _query: PaginationParamsDto) {
    return this.customers.emptyList(ctx.account, id, list);
  }

  @ApiPost(':id')
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() dto: UpdateCustomerDto) {
    return this.customers.update(ctx, id, dto);
  }

  @Delete(':id')
  delete(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() _query: DeleteParamsDto, @Body() _body: DeleteParamsDto) {
    return this.customers.delete(ctx, id);
  }
}
