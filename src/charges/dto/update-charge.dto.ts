import { ShippingDto } from '../../common/validation/address.dto.js';
import { EmailParam, EnumParam, ExpandParam, MetadataParam, NotUnsettable, ObjectParam, Optional, StringParam } from '../../common/validation/validation.js';

export class FraudDetailsDto {
  @Optional() @EnumParam(['fraudulent', 'safe']) user_report?: 'fraudulent' | 'safe' | null;
}

/** Only these fields of a charge can change after the fact; anything else is an unknown parameter. */
export class UpdateChargeDto {
  /** Only for a charge without a customer (Stripe's rule); cannot be sent empty. */
  @StringParam(255) @NotUnsettable() customer?: string;
  @Optional() @StringParam(5000) description?: string | null;
  @MetadataParam() metadata?: Record<string, string> | null;
  @Optional() @EmailParam() receipt_email?: string | null;
  @Optional() @ObjectParam(() => ShippingDto) shipping?: ShippingDto | null;
  @Optional() @ObjectParam(() => FraudDetailsDto) fraud_details?: FraudDetailsDto | null;
  /** Only for a charge without a transfer group (Stripe's rule); cannot be sent empty. */
  @StringParam() @NotUnsettable() transfer_group?: string;
  @ExpandParam() expand?: string[];
}
