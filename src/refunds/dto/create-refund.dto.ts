import { EmailParam, EnumParam, ExpandParam, IntegerParam, MetadataParam, NotUnsettable, Optional, StringParam } from '../../common/validation/validation.js';

export const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;

export class CreateRefundDto {
  /** One of the two is required (RefundsService.createOf); oncepay has no payment intents, so never the second. */
  @StringParam(255) @NotUnsettable() charge?: string;
  @StringParam(255) @NotUnsettable() payment_intent?: string;
  /**
   * `amount=` (the SDK's `amount: null`) is refused, not read as "refund it all": leave it out for that.
   * No upper bound here: more than is left is the service's `amount_too_large`, in Stripe's words.
   */
  @IntegerParam(1, Infinity) @NotUnsettable() amount?: number;
  @Optional() @EnumParam(REFUND_REASONS) reason?: (typeof REFUND_REASONS)[number] | null;
  /** Stripe emails refund instructions here when the money cannot go back to the payment method; cards always can. */
  @EmailParam() @NotUnsettable() instructions_email?: string;
  @MetadataParam() metadata?: Record<string, string> | null;
  @ExpandParam() expand?: string[];
}

/** `POST /v1/charges/:id/refunds`: the charge comes from the path. */
export class CreateChargeRefundDto {
  /**
   * `amount=` (the SDK's `amount: null`) is refused, not read as "refund it all": leave it out for that.
   * No upper bound here: more than is left is the service's `amount_too_large`, in Stripe's words.
   */
  @IntegerParam(1, Infinity) @NotUnsettable() amount?: number;
  @Optional() @EnumParam(REFUND_REASONS) reason?: (typeof REFUND_REASONS)[number] | null;
  /** Stripe emails refund instructions here when the money cannot go back to the payment method; cards always can. */
  @EmailParam() @NotUnsettable() instructions_email?: string;
  @MetadataParam() metadata?: Record<string, string> | null;
  @ExpandParam() expand?: string[];
}
