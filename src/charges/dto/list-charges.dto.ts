import { ListParamsDto } from '../../common/pagination/list-params.dto.js';
import { Optional, StringParam } from '../../common/validation/validation.js';

export class ListChargesDto extends ListParamsDto {
  @Optional() @StringParam(255) customer?: string;
  /** Stripe's filters; no oncepay charge has a payment intent or a transfer group, so they match none. */
  @Optional() @StringParam(255) payment_intent?: string;
  @Optional() @StringParam(255) transfer_group?: string;
}
