import { EnumParam, IntegerParam, Optional, Required, StringParam } from '../../common/validation/validation.js';
import { CardAddressDto } from './card-address.dto.js';

/**
 * `card[number]`, `card[exp_month]`, `card[exp_year]`, `card[cvc]` passed directly instead of a token, with
 * the cardholder's name and address if given.
 */
export class CardDetailsDto extends CardAddressDto {
  @Required() @StringParam(30) number: string;
  // Any integer: a month that does not exist is the card error Stripe gives (invalid_expiry_month), not a range error.
  @Required() @IntegerParam() exp_month: number;
  @Required() @IntegerParam(0, 9999) exp_year: number;
  // Long enough that a mistyped cvc is the card error Stripe gives (invalid_cvc), not a length error.
  @Optional() @StringParam(20) cvc?: string | null;
  @Optional() @StringParam(200) name?: string | null;
  /** Present when the hash is sent as `source[...]`, as Stripe's older clients do. */
  @Optional() @EnumParam(['card']) object?: 'card' | null;
}
