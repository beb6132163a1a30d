import { ExpandParam } from '../../common/validation/validation.js';

/** Stripe's cancel takes `expand` only. */
export class CancelRefundDto {
  @ExpandParam() expand?: string[];
}
