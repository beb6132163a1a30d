import type { CustomerEntity } from './customer.entity.js';
import type { InvoiceRenderingOptionsDto, InvoiceSettingsDto } from './dto/invoice-settings.dto.js';

/** `invoice_settings` as stored: one column per field, the hashes as JSON. */
export type InvoiceSettingsColumns = Pick<
  CustomerEntity,
  'invoice_custom_fields' | 'invoice_default_payment_method' | 'invoice_footer' | 'invoice_rendering_options'
>;

export const NO_INVOICE_SETTINGS: InvoiceSettingsColumns = {
  invoice_custom_fields: null,
  invoice_default_payment_method: null,
  invoice_footer: null,
  invoice_rendering_options: null,
};

/**
 * The settings after a create or update: fields not sent stay, empty ones are unset. `custom_fields` and
 * `rendering_options` are replaced whole, as oncepay's other nested params (`address`) are.
 * `default_payment_method` must already have been checked against the customer's cards.
 */
export function applyInvoiceSettings(current: InvoiceSettingsColumns, dto: InvoiceSettingsDto | undefined): InvoiceSettingsColumns {
  const next: InvoiceSettingsColumns = {
    invoice_custom_fields: current.invoice_custom_fields,
    invoice_default_payment_method: current.invoice_default_payment_method,
    invoice_footer: current.invoice_footer,
    invoice_rendering_options: current.invoice_rendering_options,
  };
  if (!dto) return next;
  if (dto.custom_fields !== undefined) {
    next.invoice_custom_fields = dto.custom_fields && JSON.stringify(dto.custom_fields.map(({ name, value }) => ({ name, value })));
  }
  if (dto.default_payment_method !== undefined) next.invoice_default_payment_method = dto.default_payment_method;
  if (dto.footer !== undefined) next.invoice_footer = dto.footer;
  if (dto.rendering_options !== undefined) {
    next.invoice_rendering_options = dto.rendering_options && JSON.stringify(toRenderingOptions(dto.rendering_options));
  }
  return next;
}

export function serializeInvoiceSettings(row: InvoiceSettingsColumns) {
  return {
    custom_fields: parseJson(row.invoice_custom_fields) as Array<{ name: string; value: string }> | null,
    default_payment_method: row.invoice_default_payment_method,
    footer: row.invoice_footer,
    rendering_options: parseJson(row.invoice_rendering_options) as ReturnType<typeof toRenderingOptions> | null,
  };
}

/** Both fields present, null where not given: the shape `Stripe.Customer.InvoiceSettings.RenderingOptions` promises. */
function toRenderingOptions(dto: InvoiceRenderingOptionsDto) {
  return { amount_tax_display: dto.amount_tax_display ?? null, template: dto.template ?? null };
}

const parseJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));
