import { IntegerParam, Optional } from '../../common/validation/validation.js';

export class ListIdempotencyKeysDto {
  @Optional() @IntegerParam(1, 100) limit?: number;
}
