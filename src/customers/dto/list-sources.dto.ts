import { PaginationParamsDto } from '../../common/pagination/list-params.dto.js';
import { EnumParam, Optional } from '../../common/validation/validation.js';

/** Sources are always cards here; `object=card` is the SDK's documented filter. */
export class ListSourcesDto extends PaginationParamsDto {
  @Optional() @EnumParam(['card']) object?: 'card' | null;
}
