import { IntegerParam, Optional, StringParam } from '../../common/validation/validation.js';

export class ListDeliveriesDto {
  @Optional() @IntegerParam(1, 1000) limit?: number;
  /** Only the attempts of this event. */
  @Optional() @StringParam(255) event?: string;
}
