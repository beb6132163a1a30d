import { EmailParam, ExpandParam, IntegerParam, NotUnsettable, StatementDescriptorParam, StringParam } from '../../common/validation/validation.js';
import { MAX_AMOUNT } from '../currencies.js';

/**
 * Capturing sets these; `amount=` or `statement_descriptor=` is refused in Stripe's words, not taken as "unset".
 * `transfer_group` only while the charge has none (Stripe's rule, as on update).
 */
export class CaptureChargeDto {
  @IntegerParam(1, MAX_AMOUNT) @NotUnsettable() amount?: number;
  @EmailParam() @NotUnsettable() receipt_email?: string;
  @StatementDescriptorParam() @NotUnsettable() statement_descriptor?: string;
  @StatementDescriptorParam() @NotUnsettable() statement_descriptor_suffix?: string;
  @StringParam() @NotUnsettable() transfer_group?: string;
  @ExpandParam() expand?: string[];
}
