import { EmailParam, ExpandParam, IntegerParam, NotUnsettable, StatementDescriptorParam, StringParam } from '../../common/validation/validation.js';

/**
 * Capturing sets these; `amount=` or `statement_descriptor=` is refused in Stripe's words, not taken as "unset".
 * `transfer_group` only while the charge has none (Stripe's rule, as on update).
 */
export class CaptureChargeDto {
  /** No upper bound here: more than was authorized is the service's `amount_too_large`, in Stripe's words. */
  @IntegerParam(1, Infinity) @NotUnsettable() amount?: number;
  @EmailParam() @NotUnsettable() receipt_email?: string;
  @StatementDescriptorParam() @NotUnsettable() statement_descriptor?: string;
  @StatementDescriptorParam() @NotUnsettable() statement_descriptor_suffix?: string;
  @StringParam() @NotUnsettable() transfer_group?: string;
  @ExpandParam() expand?: string[];
}
