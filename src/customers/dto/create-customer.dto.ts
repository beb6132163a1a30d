import { AddressDto, ShippingDto } from '../../common/validation/address.dto.js';
import { EmailParam, EnumParam, ExpandParam, IntegerParam, InvoicePrefixParam, MetadataParam, NotUnsettable, ObjectParam, Optional, StringListParam, StringParam } from '../../common/validation/validation.js';
import { InvoiceSettingsDto } from './invoice-settings.dto.js';

export const TAX_EXEMPT = ['none', 'exempt', 'reverse'] as const;

export class CreateCustomerDto {
  @Optional() @ObjectParam(() => AddressDto) address?: AddressDto | null;
  @Optional() @IntegerParam() balance?: number | null;
  @Optional() @StringParam(150) business_name?: string | null;
  @Optional() @StringParam(350) description?: string | null;
  @Optional() @EmailParam() email?: string | null;
  @Optional() @StringParam(150) individual_name?: string | null;
  @MetadataParam() metadata?: Record<string, string> | null;
  @Optional() @StringParam(256) name?: string | null;
  @Optional() @StringParam(20) phone?: string | null;
  /** Sent empty (`preferred_locales=`): none. */
  @Optional() @StringListParam() preferred_locales?: string[] | null;
  @Optional() @ObjectParam(() => ShippingDto) shipping?: ShippingDto | null;
  @InvoicePrefixParam() @NotUnsettable() invoice_prefix?: string;
  @ObjectParam(() => InvoiceSettingsDto) @NotUnsettable() invoice_settings?: InvoiceSettingsDto;
  @IntegerParam(1) @NotUnsettable() next_invoice_sequence?: number;
  /** Sent empty (`tax_exempt=`): back to `none`. */
  @Optional() @EnumParam(TAX_EXEMPT) tax_exempt?: (typeof TAX_EXEMPT)[number] | null;
  /** A card token (`tok_visa`, `pm_card_visa`) to attach and make the default source. */
  @Optional() @StringParam(255) source?: string | null;
  @ExpandParam() expand?: string[];
}
