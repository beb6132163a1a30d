import { EmailParam, EnumParam, ExpandParam, IntegerParam, MetadataParam, NotUnsettable, Optional, Required, StringParam } from '../../common/validation/validation.js';
import { MAX_AMOUNT } from '../../charges/currencies.js';

export const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;

export class CreateRefundDto {
  @Required() @StringParam(255) charge: string;
  @Optional() @IntegerParam(1, MAX_AMOUNT) amount?: number | null;
  @Optional() @EnumParam(REFUND_REASONS) reason?: (typeof REFUND_REASONS)[number] | null;
  /** Stripe emails refund instructions here when the money cannot go back to the payment method; cards always can. */
  @EmailParam() @NotUnsettable() instructions_email?: string;
  @MetadataParam() metadata?: Record<string, string> | null;
  @ExpandParam() expand?: string[];
}

/** `POST /v1/charges/:id/refunds`: the charge comes from the path. */
export class CreateChargeRefundDto {
  @Optional() @IntegerParam(1, MAX_AMOUNT) amount?: number | null;
  @Optional() @EnumParam(REFUND_REASONS) reason?: (typeof REFUND_REASONS)[number] | null;
  /** Stripe emails refund instructions here when the money cannot go back to the payment method; cards always can. */
  @EmailParam() @NotUnsettable() instructions_email?: string;
  @MetadataParam() metadata?: Record<string, string> | null;
  @ExpandParam() expand?: string[];
}
