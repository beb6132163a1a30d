import { ExpandParam, MetadataParam, Required, StringParam } from '../../common/validation/validation.js';

export class CreateSourceDto {
  @Required() @StringParam(255) source: string;
  @MetadataParam() metadata?: Record<string, string> | null;
  @ExpandParam() expand?: string[];
}
