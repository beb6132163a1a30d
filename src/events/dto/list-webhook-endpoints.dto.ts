import { PaginationParamsDto } from '../../common/pagination/list-params.dto.js';

/** Stripe's list of webhook endpoints takes a page and `expand[]` only: no filter, not even the `created` other lists take. */
export class ListWebhookEndpointsDto extends PaginationParamsDto {}
