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
    // The shortest card number, 13 digits, alone in a string of exactly its length.
    expect(maskParams({ metadata: { old_visa: '4222222222222' } })).toEqual({ metadata: { old_visa: '••••2222' } });
  });

  it('masks a card number used as a param name, and one followed by more digits (its cvc)', () => {
    expect(maskParams({ metadata: { '4242424242424242': 'x' } })).toEqual({ metadata: { '••••4242': 'x' } });
    expect(maskPans('card 4242 4242 4242 4242 123 exp')).toBe('card ••••4242 123 exp');
    expect(maskPans('5555-5555-5555-4444-99')).toBe('••••4444-99');
  });

  it('masks a card number that other digits come before, or both before and after (expiry, cvc)', () => {
    expect(maskPans('cvc 123 4242 4242 4242 4242')).toBe('cvc 123 ••••4242');
    expect(maskPans('28 4242424242424242')).toBe('28 ••••4242');
    expect(maskPans('exp 12 28 4242 4242 4242 4242 123 ok')).toBe('exp 12 28 ••••4242 123 ok');
    expect(maskPans('07-28-3782-822463-10005')).toBe('07-28-••••0005');
    // Two cards in one run are both masked.
    expect(maskPans('4242 4242 4242 4242 5555 5555 5555 4444')).toBe('••••4242 ••••4444');
  });

  it('cuts a card number out of a longer run only where its groups could start a card', () => {
    // Its groups number an id: 1000200030004000 passes Luhn, but no card network starts with 1.
    expect(maskPans('inv-1000-2000-3000-4000-5')).toBe('inv-1000-2000-3000-4000-5');
    expect(maskPans('key-4242424242424242-1')).toBe('key-••••4242-1');
    // Whole groups only: a long unbroken number is not cut into a "card".
    expect(maskPans('id 12345678901234567890123')).toBe('id 12345678901234567890123');
  });

  it('applies the number and cvc rules to card hashes only; any other value is masked only if it holds a card number', () => {
    expect(maskParams({ metadata: { number: 'order-77', cvc: '123' } })).toEqual({ metadata: { number: 'order-77', cvc: '123' } });
    expect(maskParams({ metadata: { number: '4242424242424242' }, description: 'number 12' })).toEqual({
      metadata: { number: '••••4242' },
      description: 'number 12',
    });
    // Card hashes: `card`, nested ones (`payment_method_data[card]`) and a `source` given as a hash.
    expect(
      maskParams({
        card: { number: 4242424242424242, cvc: 123 },
        payment_method_data: { card: { number: '4000 0000 0000 0002', cvc: '999' } },
        source: { object: 'card', number: '5555555555554444', cvc: '314' },
      }),
    ).toEqual({
      card: { number: '••••4242', cvc: '***' },
      payment_method_data: { card: { number: '••••0002', cvc: '***' } },
      source: { object: 'card', number: '••••4444', cvc: '***' },
    });
  });

  it('masks a card number joined to a word by a dash: an id with a card in it still leaks the card', () => {
    expect(maskPans('card-4242 4242 4242 4242 123')).toBe('card-••••4242 123');
    expect(maskPans('order-4242-4242-4242-4242-1')).toBe('order-••••4242-1');
    expect(maskPans('x-4242 4242 4242 4242 1234')).toBe('x-••••4242 1234');
    expect(maskPans('a-b-4242-4242-4242-4242-9')).toBe('a-b-••••4242-9');
  });

  it('masks a card number in any grouping, not only the usual ones', () => {
    expect(maskPans('42424242 42424242 123')).toBe('••••4242 123');
    expect(maskPans('3782-8224-6310-005 123')).toBe('••••0005 123');
    expect(maskPans('ref 4242 42424242 4242 123')).toBe('ref ••••4242 123');
  });

  it('masks a card number touching letters or an escape, as in JSON text', () => {
    expect(maskPans('{"description":"Paid by card:\\n4242 4242 4242 4242"}')).toBe('{"description":"Paid by card:\\n••••4242"}');
    expect(maskPans('pan_4242424242424242')).toBe('pan_••••4242');
    expect(maskPans('4242424242424242x')).toBe('••••4242x');
  });

  it('masks card data given as an array, and in an array-valued source', () => {
    expect(maskParams({ card: { number: ['4242424242424242'], cvc: ['123'] } })).toEqual({ card: { number: ['••••4242'], cvc: ['***'] } });
    expect(maskParams({ card: { cvc: [123] } })).toEqual({ card: { cvc: ['***'] } });
    expect(maskParams({ source: [{ object: 'card', number: '5555555555554444', cvc: '314' }] })).toEqual({
      source: [{ object: 'card', number: '••••4444', cvc: '***' }],
    });
    // Outside a card hash an array is still only masked where it holds a card number.
    expect(maskParams({ metadata: { cvc: ['123'] }, items: ['4000000000000002'] })).toEqual({ metadata: { cvc: ['123'] }, items: ['••••0002'] });
  });

  it('leaves numbers that are not card numbers alone', () => {
    expect(maskPans('amount 2000, created 1764300000, ref 1234567890123')).toBe('amount 2000, created 1764300000, ref 1234567890123');
  });
});
