import { CreateCustomerDto } from './create-customer.dto.js';
import { NotUnsettable, StringParam } from '../../common/validation/validation.js';

/** Same fields as create; absent fields stay as they are, empty ones are unset. */
export class UpdateCustomerDto extends CreateCustomerDto {
  /** An attached source (`card_…`) to make the default. */
  @StringParam(255) @NotUnsettable() default_source?: string;
}
