import { EnumParam, ExpandParam, IntegerParam, MetadataParam, Optional, Required, StringParam } from '../../common/validation/validation.js';
import { MAX_AMOUNT } from '../../charges/currencies.js';

export const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;

export class CreateRefundDto {
  @Required() @StringParam(255) charge: string;
  @Optional() @IntegerParam(1, MAX_AMOUNT) amount?: number | null;
  @Optional() @EnumParam(REFUND_REASONS) reason?: (typeof REFUND_REASONS)[number] | null;
  @MetadataParam() metadata?: Record<string, string> | null;
  @ExpandParam() expand?: string[];
}

/** `POST /v1/charges/:id/refunds`: the charge comes from the path. */
export class CreateChargeRefundDto {
  @Optional() @IntegerParam(1, MAX_AMOUNT) amount?: number | null;
  @Optional() @EnumParam(REFUND_REASONS) reason?: (typeof REFUND_REASONS)[number] | null;
  @MetadataParam() metadata?: Record<string, string> | null;
  @ExpandParam() expand?: string[];
}
