import { ListParamsDto } from '../../common/pagination/list-params.dto.js';
import { Optional, StringParam } from '../../common/validation/validation.js';

export class ListChargesDto extends ListParamsDto {
  @Optional() @StringParam(255) customer?: string;
  /** Stripe's filter; no oncepay charge has a payment intent, so it matches none. */
  @Optional() @StringParam(255) payment_intent?: string;
  /** As long as a charge's own `transfer_group` may be. */
  @Optional() @StringParam() transfer_group?: string;
}
