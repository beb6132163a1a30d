import { parseExpand, type ExpandableFields, type ExpandTree } from '../common/expand/expand-paths.js';

/**
 * What Stripe can expand on a customer. oncepay expands `default_source` (the card), and the lists
 * Stripe includes only when asked since API version 2020-08-27: `sources` (the customer's cards), and
 * `subscriptions` and `tax_ids`, always empty, since oncepay has neither. The others name objects
 * oncepay does not have (test clocks, cash balances, …), so they are accepted and left as they are.
 * Anything else is refused, as Stripe refuses it.
 */
export const CUSTOMER_EXPANDABLE: ExpandableFields = {
  expandable: [
    'cash_balance', 'default_source', 'discount', 'invoice_credit_balance', 'sources', 'subscriptions', 'tax',
    'tax_ids', 'test_clock',
  ],
  holders: ['invoice_settings'],
};

/** The includable lists oncepay has nothing to put in. */
export const EMPTY_CUSTOMER_LISTS = ['subscriptions', 'tax_ids'] as const;

const EXPANDED = ['default_source', 'sources', ...EMPTY_CUSTOMER_LISTS];

/** The request's paths, checked; null when none names what oncepay expands on a customer. */
export function planCustomerExpand(expand: unknown, list = false): ExpandTree | null {
  const tree = parseExpand(expand, CUSTOMER_EXPANDABLE, list);
  return tree && EXPANDED.some((field) => tree.has(field)) ? tree : null;
}
