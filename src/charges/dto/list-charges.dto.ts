import { ListParamsDto } from '../../common/pagination/list-params.dto.js';
import { Optional, StringParam } from '../../common/validation/validation.js';

export class ListChargesDto extends ListParamsDto {
  @Optional() @StringParam(255) customer?: string;
}
