import { ListParamsDto } from '../../common/pagination/list-params.dto.js';
import { Optional, StringParam } from '../../common/validation/validation.js';

export class ListCustomersDto extends ListParamsDto {
  /** Exact, case-sensitive match, as Stripe documents. */
  @Optional() @StringParam(512) email?: string;
}
