import { IsArray, IsOptional } from 'class-validator';
import { MetadataParam } from '../../common/validation/validation.js';

export class UpdateRefundDto {
  @MetadataParam() metadata?: Record<string, string> | null;
  @IsOptional() @IsArray() expand?: string[];
}
