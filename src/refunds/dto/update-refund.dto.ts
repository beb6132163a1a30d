import { ExpandParam, MetadataParam } from '../../common/validation/validation.js';

export class UpdateRefundDto {
  @MetadataParam() metadata?: Record<string, string> | null;
  @ExpandParam() expand?: string[];
}
