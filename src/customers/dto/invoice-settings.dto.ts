import { EnumParam, NotUnsettable, ObjectListParam, ObjectParam, Optional, Required, StringParam } from '../../common/validation/validation.js';

/** Stripe's limit: an invoice has room for four custom fields. */
export const MAX_INVOICE_CUSTOM_FIELDS = 4;

export const AMOUNT_TAX_DISPLAYS = ['exclude_tax', 'include_inclusive_tax'] as const;

export class InvoiceCustomFieldDto {
  @Required() @StringParam(40) name: string;
  @Required() @StringParam(140) value: string;
}

export class InvoiceRenderingOptionsDto {
  @Optional() @EnumParam(AMOUNT_TAX_DISPLAYS) amount_tax_display?: (typeof AMOUNT_TAX_DISPLAYS)[number] | null;
  /** Stored as given: oncepay has no invoice rendering templates to check it against. */
  @StringParam(5000) @NotUnsettable() template?: string;
}

/** `invoice_settings[…]` on customer create and update; an empty field is unset. */
export class InvoiceSettingsDto {
  @Optional() @ObjectListParam(() => InvoiceCustomFieldDto, MAX_INVOICE_CUSTOM_FIELDS) custom_fields?: InvoiceCustomFieldDto[] | null;
  /** One of the customer's cards (`card_…`): oncepay has no separate PaymentMethod objects. */
  @Optional() @StringParam(5000) default_payment_method?: string | null;
  @Optional() @StringParam(5000) footer?: string | null;
  @Optional() @ObjectParam(() => InvoiceRenderingOptionsDto) rendering_options?: InvoiceRenderingOptionsDto | null;
}
