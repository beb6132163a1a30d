import { ListParamsDto } from '../../common/pagination/list-params.dto.js';
import { Optional, StringParam } from '../../common/validation/validation.js';

export class ListRefundsDto extends ListParamsDto {
  @Optional() @StringParam(255) charge?: string;
}
