import { Optional, StringParam } from '../../common/validation/validation.js';

/** The cardholder's address on a card, as a card hash gives it and a card update changes it (empty unsets). */
export class CardAddressDto {
  @Optional() @StringParam(5000) address_line1?: string | null;
  @Optional() @StringParam(5000) address_line2?: string | null;
  @Optional() @StringParam(5000) address_city?: string | null;
  @Optional() @StringParam(5000) address_state?: string | null;
  @Optional() @StringParam(5000) address_zip?: string | null;
  @Optional() @StringParam(5000) address_country?: string | null;
}
