import { IsArray, IsOptional } from 'class-validator';
import { MetadataParam, Required, StringParam } from '../../common/validation/validation.js';

export class CreateSourceDto {
  @Required() @StringParam(255) source: string;
  @MetadataParam() metadata?: Record<string, string> | null;
  @IsOptional() @IsArray() expand?: string[];
}
