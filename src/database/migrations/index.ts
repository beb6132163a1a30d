import { Foundation1764000000000 } from './1764000000000-foundation.js';
import { ChargesAndRefunds1764100000000 } from './1764100000000-charges-and-refunds.js';
import { RequestLog1764300000000 } from './1764300000000-request-log.js';
import { Events1764200000000 } from './1764200000000-events.js';
import { KeylessRecovery1764400000000 } from './1764400000000-keyless-recovery.js';
import { RequestLogInMemory1764500000000 } from './1764500000000-request-log-in-memory.js';
import { CardHolderDetails1764600000000 } from './1764600000000-card-holder-details.js';
import { RefundCustomer1764700000000 } from './1764700000000-refund-customer.js';
import { KeylessUnfinished1764800000000 } from './1764800000000-keyless-unfinished.js';
import { KeyedUnfinished1764900000000 } from './1764900000000-keyed-unfinished.js';
import { CustomerPreferredLocales1765000000000 } from './1765000000000-customer-preferred-locales.js';
import { UnfinishedKeysIndex1765100000000 } from './1765100000000-unfinished-keys-index.js';
import { ChargeDescriptorSuffixTransferGroup1765200000000 } from './1765200000000-charge-descriptor-suffix-transfer-group.js';
import { CustomerTaxInvoiceSettings1765300000000 } from './1765300000000-customer-tax-invoice-settings.js';
import { WebhookDeliveryLanes1765400000000 } from './1765400000000-webhook-delivery-lanes.js';
import { ChargeCapturing1765500000000 } from './1765500000000-charge-capturing.js';
import { CustomerBusinessIndividualName1765600000000 } from './1765600000000-customer-business-individual-name.js';
import { DeletedCustomersCards1765700000000 } from './1765700000000-deleted-customers-cards.js';
import { ChargeCaptureNote1765800000000 } from './1765800000000-charge-capture-note.js';
import { WebhookEndpointApiVersion1765900000000 } from './1765900000000-webhook-endpoint-api-version.js';
import { RefundEventsOwed1766000000000 } from './1766000000000-refund-events-owed.js';
import { PartialCaptureReleases1766100000000 } from './1766100000000-partial-capture-releases.js';

/**
 * In order. A new table or column means a new migration here and an entity change (test/schema.spec.ts).
 * A new meaning for a column's values needs one too, to give rows already written that meaning.
 */
export const MIGRATIONS = [Foundation1764000000000, ChargesAndRefunds1764100000000, Events1764200000000, RequestLog1764300000000, KeylessRecovery1764400000000, RequestLogInMemory1764500000000, CardHolderDetails1764600000000, RefundCustomer1764700000000, KeylessUnfinished1764800000000, KeyedUnfinished1764900000000, CustomerPreferredLocales1765000000000, UnfinishedKeysIndex1765100000000, ChargeDescriptorSuffixTransferGroup1765200000000, CustomerTaxInvoiceSettings1765300000000, WebhookDeliveryLanes1765400000000, ChargeCapturing1765500000000, CustomerBusinessIndividualName1765600000000, DeletedCustomersCards1765700000000, ChargeCaptureNote1765800000000, WebhookEndpointApiVersion1765900000000, RefundEventsOwed1766000000000, PartialCaptureReleases1766100000000];
