import { EmailParam, ExpandParam, IntegerParam, NotUnsettable, StatementDescriptorParam } from '../../common/validation/validation.js';
import { MAX_AMOUNT } from '../currencies.js';

/** Capturing sets these; `amount=` or `statement_descriptor=` is refused in Stripe's words, not taken as "unset". */
export class CaptureChargeDto {
  @IntegerParam(1, MAX_AMOUNT) @NotUnsettable() amount?: number;
  @EmailParam() @NotUnsettable() receipt_email?: string;
  @StatementDescriptorParam() @NotUnsettable() statement_descriptor?: string;
  @ExpandParam() expand?: string[];
}
