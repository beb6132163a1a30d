import { EmailParam, ExpandParam, IntegerParam, Optional, StringParam } from '../../common/validation/validation.js';
import { MAX_AMOUNT } from '../currencies.js';

export class CaptureChargeDto {
  @Optional() @IntegerParam(1, MAX_AMOUNT) amount?: number | null;
  @Optional() @EmailParam() receipt_email?: string | null;
  @Optional() @StringParam(22) statement_descriptor?: string | null;
  @ExpandParam() expand?: string[];
}
