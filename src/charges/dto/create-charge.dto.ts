import { Transform } from 'class-transformer';
import { ValidateIf } from 'class-validator';
import { ParameterError } from '../../common/errors/stripe-error.js';
import { ShippingDto } from '../../common/validation/address.dto.js';
import { renameParam, validateParams } from '../../common/validation/param-validation.js';
import { BooleanParam, EmailParam, ExpandParam, IntegerParam, MetadataParam, ObjectParam, Optional, Required, StatementDescriptorParam, StringParam, isHash } from '../../common/validation/validation.js';
import { CardDetailsDto } from '../../cards/dto/card-details.dto.js';

/** Validates a card hash given as `source`, naming its params as the client wrote them (`source[number]`). */
function cardHash(value: object): CardDetailsDto {
  try {
    return validateParams(CardDetailsDto, value);
  } catch (error) {
    if (!(error instanceof ParameterError) || !error.fields.param) throw error;
    const param = `source[${error.fields.param}]`;
    if (error.fields.code === 'parameter_unknown') throw ParameterError.unknown(param);
    const sent = (value as Record<string, unknown>)[error.fields.param];
    throw new ParameterError(renameParam(error.message, error.fields.param, param, sent), param, error.fields.code);
  }
}

export class CreateChargeDto {
  /**
   * The maximum is checked by the service, with Stripe's `amount_too_large` code: however large, even past
   * 2^53, where the number read is no longer exact but is still far too large.
   */
  @Required() @IntegerParam(0, Infinity) amount: number;
  /** Any length: the service refuses a code that is not Stripe's (`usdd`) with Stripe's "Invalid currency" message. */
  @Required() @StringParam() currency: string;
  /** A token or card id, or a card hash (`source[object]=card&source[number]=…`). */
  @Transform(({ value }) => (isHash(value) ? cardHash(value) : value))
  @Optional() @ValidateIf((_o, v) => !(v instanceof CardDetailsDto)) @StringParam(255) source?: string | CardDetailsDto | null;
  @Optional() @ObjectParam(() => CardDetailsDto) card?: CardDetailsDto | null;
  @Optional() @StringParam(255) customer?: string | null;
  @Optional() @StringParam(5000) description?: string | null;
  @MetadataParam() metadata?: Record<string, string> | null;
  @Optional() @BooleanParam() capture?: boolean | null;
  @Optional() @EmailParam() receipt_email?: string | null;
  @Optional() @StatementDescriptorParam() statement_descriptor?: string | null;
  @Optional() @StatementDescriptorParam() statement_descriptor_suffix?: string | null;
  @Optional() @StringParam() transfer_group?: string | null;
  @Optional() @ObjectParam(() => ShippingDto) shipping?: ShippingDto | null;
  @ExpandParam() expand?: string[];
}
