import { CreateCustomerDto } from './create-customer.dto.js';
import { Optional, StringParam } from '../../common/validation/validation.js';

/** Same fields as create; absent fields stay as they are, empty ones are unset. */
export class UpdateCustomerDto extends CreateCustomerDto {
  /** An attached source (`card_…`) to make the default. */
  @Optional() @StringParam(255) default_source?: string | null;
}
