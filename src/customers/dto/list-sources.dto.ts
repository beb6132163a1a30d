import { PaginationParamsDto } from '../../common/pagination/list-params.dto.js';
import { EnumParam, Optional } from '../../common/validation/validation.js';

/** The kinds of source a customer's list can be filtered to, as Stripe takes them. */
const SOURCE_OBJECTS = ['card', 'bank_account', 'source'] as const;

/** `object=card` is the SDK's documented filter; a customer's sources are always cards here, so the other kinds list none. */
export class ListSourcesDto extends PaginationParamsDto {
  @Optional() @EnumParam(SOURCE_OBJECTS) object?: (typeof SOURCE_OBJECTS)[number] | null;
}
