import { IsArray, IsOptional } from 'class-validator';
import { ShippingDto } from '../../common/validation/address.dto.js';
import {
  BooleanParam, EmailParam, IntegerParam, MetadataParam, ObjectParam, Optional, Required, StringParam,
} from '../../common/validation/validation.js';
import { CardDetailsDto } from '../../cards/dto/card-details.dto.js';
import { MAX_AMOUNT } from '../currencies.js';

export class CreateChargeDto {
  @Required() @IntegerParam(0, MAX_AMOUNT) amount: number;
  @Required() @StringParam(3) currency: string;
  @Optional() @StringParam(255) source?: string | null;
  @Optional() @ObjectParam(() => CardDetailsDto) card?: CardDetailsDto | null;
  @Optional() @StringParam(255) customer?: string | null;
  @Optional() @StringParam(5000) description?: string | null;
  @MetadataParam() metadata?: Record<string, string> | null;
  @Optional() @BooleanParam() capture?: boolean | null;
  @Optional() @EmailParam() receipt_email?: string | null;
  @Optional() @StringParam(22) statement_descriptor?: string | null;
  @Optional() @ObjectParam(() => ShippingDto) shipping?: ShippingDto | null;
  @IsOptional() @IsArray() expand?: string[];
}
