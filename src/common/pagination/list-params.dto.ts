import { Messages } from '../errors/messages.js';
import { ExpandParam, IntegerParam, ObjectParam, Optional, Satisfies, StringParam } from '../validation/validation.js';
import { plainToInstance, Transform } from 'class-transformer';

/** `created[gt]=…` etc. A bare `created=…` means exactly that second and is normalised to gte/lte. */
export class CreatedRange {
  @Optional() @IntegerParam(0) gt?: number;
  @Optional() @IntegerParam(0) gte?: number;
  @Optional() @IntegerParam(0) lt?: number;
  @Optional() @IntegerParam(0) lte?: number;
}

/** Query params every list endpoint accepts: a page, and `expand[]`. */
export class PaginationParamsDto {
  @Optional() @IntegerParam(1, 100) limit?: number;
  @Optional() @StringParam(255) starting_after?: string;
  @Optional()
  @StringParam(255)
  @Satisfies('oneCursor', (_value, list) => !(list as PaginationParamsDto).starting_after, () => Messages.onlyOneOf('starting_after', 'ending_before'))
  ending_before?: string;

  /** Charge, refund and customer lists check and expand `data.…` paths (src/common/expand); other lists ignore them. */
  @ExpandParam() expand?: string[];
}

/** A page filtered by `created`, as most lists take it. Resource lists extend it with their own filters. */
export class ListParamsDto extends PaginationParamsDto {
  @Optional()
  // Runs after @Type, which leaves a bare string alone: build the CreatedRange here, or its own
  // decorators (integer conversion, the whitelist) would never see the range.
  @Transform(({ value }) =>
    typeof value === 'string' && /^\d+$/.test(value) ? plainToInstance(CreatedRange, { gte: value, lte: value }) : value,
  )
  @ObjectParam(() => CreatedRange)
  created?: CreatedRange;
}

