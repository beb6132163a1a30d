/** The event types oncepay emits (Stripe's names). */
export const EVENT_TYPES = [
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'customer.source.created',
  'customer.source.updated',
  'customer.source.deleted',
  'charge.succeeded',
  'charge.failed',
  'charge.captured',
  'charge.updated',
  'charge.refunded',
  'charge.refund.updated',
  'refund.created',
  'refund.updated',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** The API version events and endpoints report. */
export const API_VERSION = '2025-01-27.acacia';
