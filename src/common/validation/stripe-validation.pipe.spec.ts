import { describe, expect, it } from '@jest/globals';
import { ListChargesDto } from '../../charges/dto/list-charges.dto.js';
import { ParameterError } from '../errors/stripe-error.js';
import { StripeValidationPipe } from './stripe-validation.pipe.js';

describe('StripeValidationPipe on list queries', () => {
  const query = { type: 'query' as const, metatype: ListChargesDto, data: undefined };

  it('converts each distinct query, and answers a repeated one with the same frozen result', () => {
    const pipe = new StripeValidationPipe();
    const first = pipe.transform({ limit: '3', created: { gte: '10' } }, query) as ListChargesDto;
    expect(first).toMatchObject({ limit: 3, created: { gte: 10 } });
    expect(Object.isFrozen(first) && Object.isFrozen(first.created)).toBe(true);
    expect(pipe.transform({ limit: '3', created: { gte: '10' } }, query)).toBe(first);

    const other = pipe.transform({ limit: '5', customer: 'cus_1' }, query);
    expect(other).toMatchObject({ limit: 5, customer: 'cus_1' });
    expect(other).not.toHaveProperty('created');
  });

  it('rejects an invalid query every time it is asked, with the Stripe error', () => {
    const pipe = new StripeValidationPipe();
    for (let i = 0; i < 3; i++) {
      expect(() => pipe.transform({ limit: '0' }, query)).toThrow(ParameterError);
      expect(() => pipe.transform({ limti: '5' }, query)).toThrow(/limti/);
    }
  });

  it('does not remember bodies: each is validated into its own instance', () => {
    const pipe = new StripeValidationPipe();
    const body = { type: 'body' as const, metatype: ListChargesDto, data: undefined };
    const a = pipe.transform({ limit: '3' }, body);
    expect(pipe.transform({ limit: '3' }, body)).not.toBe(a);
    expect(Object.isFrozen(a)).toBe(false);
  });
});
