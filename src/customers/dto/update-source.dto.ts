import { ExpandParam, IntegerParam, MetadataParam, NotUnsettable, Optional, StringParam } from '../../common/validation/validation.js';
import { CardAddressDto } from '../../cards/dto/card-address.dto.js';

/** The card fields Stripe lets a source update change; the number, brand and checks never change. */
export class UpdateSourceDto extends CardAddressDto {
  @Optional() @StringParam(5000) name?: string | null;
  // Any integer: a month outside 1–12 is the card error Stripe gives (invalid_expiry_month), checked with the expiry.
  @IntegerParam() @NotUnsettable() exp_month?: number;
  @IntegerParam(0, 9999) @NotUnsettable() exp_year?: number;
  @MetadataParam() metadata?: Record<string, string> | null;
  @ExpandParam() expand?: string[];
}
