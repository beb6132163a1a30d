import { ListParamsDto } from '../../common/pagination/list-params.dto.js';
import { IntegerParam, Optional, StringParam } from '../../common/validation/validation.js';

export class ListRequestsDto extends ListParamsDto {
  /** Exact path, e.g. `/v1/charges`. */
  @Optional() @StringParam(500) path?: string;
  @Optional() @IntegerParam(100, 599) status?: number;
  @Optional() @StringParam(255) idempotency_key?: string;
}
