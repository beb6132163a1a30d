import { IntegerParam, Optional, StringParam } from '../../common/validation/validation.js';

export class ListIdempotencyKeysDto {
  @Optional() @IntegerParam(1, 100) limit?: number;
  /** A key from the previous page (keys are named by their `key`, which has no other id). */
  @Optional() @StringParam(255) starting_after?: string | null;
}
