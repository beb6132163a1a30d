import { IsArray, IsOptional, IsString } from 'class-validator';
import { Messages } from '../../common/errors/messages.js';
import { ListParamsDto } from '../../common/pagination/list-params.dto.js';
import { Optional, Satisfies, StringParam } from '../../common/validation/validation.js';

export class ListEventsDto extends ListParamsDto {
  @Optional() @StringParam(100) type?: string;
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @Satisfies('oneTypeFilter', (_types, list) => !(list as ListEventsDto).type, () => Messages.onlyOneOf('type', 'types'))
  types?: string[];
}
