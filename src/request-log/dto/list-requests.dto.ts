import { ListParamsDto } from '../../common/pagination/list-params.dto.js';
import { IntegerParam, NotUnsettable, StringParam } from '../../common/validation/validation.js';

/** Filters sent empty are refused: `idempotency_key=$KEY` with the variable unset must not list every request. */
export class ListRequestsDto extends ListParamsDto {
  /** Exact path, e.g. `/v1/charges`. */
  @StringParam(500) @NotUnsettable() path?: string;
  @IntegerParam(100, 599) @NotUnsettable() status?: number;
  @StringParam(255) @NotUnsettable() idempotency_key?: string;
}
