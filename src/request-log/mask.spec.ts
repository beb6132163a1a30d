import { describe, expect, it } from '@jest/globals';
import { maskParams, maskPans } from './mask.js';

describe('request log masking', () => {
  it('keeps only the last 4 digits of card[number] and hides the cvc', () => {
    expect(maskParams({ card: { number: '4242 4242 4242 4242', cvc: '123', exp_month: '12' } })).toEqual({
      card: { number: '••••4242', cvc: '***', exp_month: '12' },
    });
  });

  it('masks anything that looks like a card number, wherever it is', () => {
    expect(maskParams({ metadata: { note: 'card 5555-5555-5555-4444 here' }, items: ['378282246310005'] })).toEqual({
      metadata: { note: 'card ••••4444 here' },
      items: ['••••0005'],
    });
    expect(maskPans('{"pan":"4000000000000002"}')).toBe('{"pan":"••••0002"}');
  });

  it('masks a card number used as a param name, and one followed by more digits (its cvc)', () => {
    expect(maskParams({ metadata: { '4242424242424242': 'x' } })).toEqual({ metadata: { '••••4242': 'x' } });
    expect(maskPans('card 4242 4242 4242 4242 123 exp')).toBe('card ••••4242 123 exp');
    expect(maskPans('5555-5555-5555-4444-99')).toBe('••••4444-99');
  });

  it('leaves numbers that are not card numbers alone', () => {
    expect(maskPans('amount 2000, created 1764300000, ref 1234567890123')).toBe('amount 2000, created 1764300000, ref 1234567890123');
  });
});
