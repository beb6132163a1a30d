import { InvalidRequestError, ParameterError } from '../errors/stripe-error.js';
import { Messages } from '../errors/messages.js';

/** What `expand[]` may name on one kind of object, as Stripe accepts it. */
export interface ExpandableFields {
  /** Fields Stripe can replace with the object they name (oncepay replaces only some of them). */
  readonly expandable: readonly string[];
  /**
   * Fields that are not expandable themselves but hold expandable fields deeper down
   * (`outcome.rule`, `transfer_data.destination`): valid as the start of a longer path only.
   */
  readonly holders?: readonly string[];
}

/**
 * The requested paths as a tree: `['charge', 'charge.customer']` → `charge → customer`. A Map, not an
 * object: segments come from the client, and `__proto__` must stay a plain key.
 */
export type ExpandTree = Map<string, ExpandTree>;

const MAX_EXPAND_DEPTH = 4;

/**
 * Checks a request's `expand[]` as Stripe does and returns it as a tree relative to the object (for a
 * list, relative to each item: `data.` is required and removed), or null when nothing is asked.
 *
 * Only the first segment of a path is checked: a deeper one names a field of another object (a
 * customer's `default_source`), which oncepay may not model, and a path Stripe accepts must never be
 * refused here. Refused paths get Stripe's message naming the segment that fails, without a param.
 */
export function parseExpand(raw: unknown, fields: ExpandableFields, list = false): ExpandTree | null {
  if (raw === undefined || raw === null) return null;
  // Bodies and list queries were checked by their DTO; a retrieve's query string comes here as sent.
  if (!Array.isArray(raw)) throw new ParameterError(Messages.invalidArray('expand'), 'expand');
  const tree: ExpandTree = new Map();
  raw.forEach((path: unknown, index) => {
    if (typeof path !== 'string') throw new ParameterError(Messages.invalidString(`expand[${index}]`), 'expand');
    const segments = path.split('.');
    // Stripe's limit, `data.` of a list counted: `data.payment_intent.customer.default_source` is the deepest.
    if (segments.length > MAX_EXPAND_DEPTH) throw new InvalidRequestError(Messages.expandTooDeep(MAX_EXPAND_DEPTH));
    if (list) {
      if (segments[0] !== 'data') {
        throw new InvalidRequestError(
          fields.expandable.includes(segments[0]) ? Messages.cannotExpandTryData(segments[0], path) : Messages.cannotExpand(segments[0]),
        );
      }
      segments.shift();
      if (!segments.length) throw new InvalidRequestError(Messages.cannotExpand('data'));
    }
    const [first] = segments;
    const valid = fields.expandable.includes(first) || (segments.length > 1 && !!fields.holders?.includes(first));
    if (!valid) throw new InvalidRequestError(Messages.cannotExpand(first));
    let node = tree;
    for (const segment of segments) {
      let child = node.get(segment);
      if (!child) node.set(segment, (child = new Map()));
      node = child;
    }
  });
  return tree;
}
