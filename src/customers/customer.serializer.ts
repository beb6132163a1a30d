import type { CustomerEntity } from './customer.entity.js';
import { serializeInvoiceSettings } from './invoice-settings.js';
import type { TAX_EXEMPT } from './dto/create-customer.dto.js';

/** The Stripe.Customer shape: every field present, null where unknown; the optional names only when set. */
export function serializeCustomer(row: CustomerEntity) {
  return {
    id: row.id,
    object: 'customer' as const,
    address: parseJson(row.address),
    balance: row.balance,
    ...(row.business_name !== null && { business_name: row.business_name }),
    created: row.created,
    currency: row.currency,
    default_source: row.default_source,
    delinquent: false,
    description: row.description,
    discount: null,
    email: row.email,
    ...(row.individual_name !== null && { individual_name: row.individual_name }),
    invoice_prefix: row.invoice_prefix,
    invoice_settings: serializeInvoiceSettings(row),
    livemode: false,
    metadata: JSON.parse(row.metadata) as Record<string, string>,
    name: row.name,
    next_invoice_sequence: row.next_invoice_sequence,
    phone: row.phone,
    preferred_locales: JSON.parse(row.preferred_locales) as string[],
    shipping: parseJson(row.shipping),
    tax_exempt: row.tax_exempt as (typeof TAX_EXEMPT)[number],
    test_clock: null,
  };
}


export function serializeDeletedCustomer(id: string) {
  return { id, object: 'customer' as const, deleted: true as const };
}

const parseJson = (text: string | null) => (text === null ? null : JSON.parse(text));
