import { parseExpand, type ExpandableFields, type ExpandTree } from '../common/expand/expand-paths.js';

/**
 * What Stripe can expand on a customer. oncepay expands `default_source` (the card) and `sources` (a
 * list of the customer's cards, which Stripe includes only when asked since API version 2020-08-27);
 * the others name objects oncepay does not have (subscriptions, tax ids, test clocks, …), so they are
 * accepted and left as they are. Anything else is refused, as Stripe refuses it.
 */
export const CUSTOMER_EXPANDABLE: ExpandableFields = {
  expandable: [
    'cash_balance', 'default_source', 'discount', 'invoice_credit_balance', 'sources', 'subscriptions', 'tax',
    'tax_ids', 'test_clock',
  ],
  holders: ['invoice_settings'],
};

/** The request's paths, checked; null when none names what oncepay expands on a customer. */
export function planCustomerExpand(expand: unknown, list = false): ExpandTree | null {
  const tree = parseExpand(expand, CUSTOMER_EXPANDABLE, list);
  return tree?.has('default_source') || tree?.has('sources') ? tree : null;
}
