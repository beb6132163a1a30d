import { CreateCustomerDto } from './create-customer.dto.js';

/** Same fields as create; absent fields stay as they are, empty ones are unset. */
export class UpdateCustomerDto extends CreateCustomerDto {}
