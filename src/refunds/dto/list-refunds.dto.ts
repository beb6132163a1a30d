import { ListParamsDto } from '../../common/pagination/list-params.dto.js';
import { Optional, StringParam } from '../../common/validation/validation.js';

export class ListRefundsDto extends ListParamsDto {
  @Optional() @StringParam(255) charge?: string;
  /** Accepted as on charges: no refund here has a payment intent, so it matches none. */
  @Optional() @StringParam(255) payment_intent?: string;
}

/** `GET /v1/charges/:id/refunds`: the charge is in the path, so only the paging params. */
export class ListChargeRefundsDto extends ListParamsDto {}
