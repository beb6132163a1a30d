import { describe, expect, it } from '@jest/globals';
import { InvalidRequestError, ParameterError } from '../errors/stripe-error.js';
import { parseExpand, type ExpandTree } from './expand-paths.js';

const FIELDS = { expandable: ['charge', 'customer'], holders: ['outcome'] };

/** The tree as nested plain objects, for readable expectations. */
const plain = (tree: ExpandTree | null): unknown => tree && Object.fromEntries([...tree].map(([k, v]) => [k, plain(v)]));

describe('parseExpand', () => {
  it('is null when no expand was sent, so callers can skip all work', () => {
    expect(parseExpand(undefined, FIELDS)).toBeNull();
    expect(parseExpand(null, FIELDS)).toBeNull();
  });

  it('builds a tree of the paths, a list’s data. removed', () => {
    expect(plain(parseExpand(['charge', 'charge.customer', 'customer.default_source', 'outcome.rule'], FIELDS))).toEqual({
      charge: { customer: {} },
      customer: { default_source: {} },
      outcome: { rule: {} },
    });
    expect(plain(parseExpand(['data.charge.customer'], FIELDS, true))).toEqual({ charge: { customer: {} } });
  });

  it('refuses a first segment Stripe cannot expand, naming it; a holder only starts a longer path', () => {
    expect(() => parseExpand(['amount'], FIELDS)).toThrow(new InvalidRequestError('This property cannot be expanded (amount).'));
    expect(() => parseExpand(['outcome'], FIELDS)).toThrow('This property cannot be expanded (outcome).');
    expect(() => parseExpand(['__proto__.x'], FIELDS)).toThrow('This property cannot be expanded (__proto__).');
    expect(() => parseExpand(['customer'], FIELDS, true)).toThrow(
      "This property cannot be expanded (customer). You may want to try expanding 'data.customer' instead.",
    );
    expect(() => parseExpand(['data'], FIELDS, true)).toThrow('This property cannot be expanded (data).');
  });

  it('keeps client-named deeper segments as plain keys', () => {
    const tree = parseExpand(['charge.__proto__.polluted'], FIELDS)!;
    expect(plain(tree)).toEqual({ charge: { ['__proto__']: { polluted: {} } } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses an expand that is not an array of strings, naming the param', () => {
    expect(() => parseExpand('charge', FIELDS)).toThrow(new ParameterError('Invalid array: expand must be an array.', 'expand'));
    expect(() => parseExpand(['charge', 1], FIELDS)).toThrow('Invalid string: expand[1] must be a string.');
  });
});
