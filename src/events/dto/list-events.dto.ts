import { IsArray, IsOptional, IsString } from 'class-validator';
import { ListParamsDto } from '../../common/pagination/list-params.dto.js';
import { Optional, StringParam } from '../../common/validation/validation.js';

export class ListEventsDto extends ListParamsDto {
  @Optional() @StringParam(100) type?: string;
  @IsOptional() @IsArray() @IsString({ each: true }) types?: string[];
}
