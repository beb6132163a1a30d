import { EmailParam, ExpandParam, IntegerParam, Optional, StatementDescriptorParam, StringParam } from '../../common/validation/validation.js';
import { MAX_AMOUNT } from '../currencies.js';

export class CaptureChargeDto {
  @Optional() @IntegerParam(1, MAX_AMOUNT) amount?: number | null;
  @Optional() @EmailParam() receipt_email?: string | null;
  @Optional() @StatementDescriptorParam() statement_descriptor?: string | null;
  @ExpandParam() expand?: string[];
}
