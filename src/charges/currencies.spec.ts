import { describe, expect, it } from '@jest/globals';
import {
  MAX_AMOUNT, MINIMUM_AMOUNT, PRESENTMENT_CURRENCIES, THREE_DECIMAL, ZERO_DECIMAL, endsAsStripeRequires, formatMoney,
  isPresentmentCurrency, minimumAmount,
} from './currencies.js';

describe('PRESENTMENT_CURRENCIES', () => {
  it('holds Stripe’s 135+ three-letter codes once each, usd first and the rest alphabetical', () => {
    expect(PRESENTMENT_CURRENCIES.length).toBeGreaterThanOrEqual(135);
    expect(new Set(PRESENTMENT_CURRENCIES).size).toBe(PRESENTMENT_CURRENCIES.length);
    for (const code of PRESENTMENT_CURRENCIES) expect(code).toMatch(/^[a-z]{3}$/);
    const [first, ...rest] = PRESENTMENT_CURRENCIES;
    expect(first).toBe('usd');
    expect(rest).toEqual([...rest].sort());
  });

  it('includes every currency with a minimum and every zero- and three-decimal one', () => {
    const special = [...Object.keys(MINIMUM_AMOUNT), ...ZERO_DECIMAL, ...THREE_DECIMAL];
    expect(special.filter((code) => !isPresentmentCurrency(code))).toEqual([]);
  });

  it('refuses codes Stripe does not know, and expects them lowercased', () => {
    for (const code of ['usdd', 'abc', 'us', '', 'USD']) expect(isPresentmentCurrency(code)).toBe(false);
  });
});

describe('minimumAmount', () => {
  it('is Stripe’s published minimum where there is one', () => {
    expect([minimumAmount('usd'), minimumAmount('gbp'), minimumAmount('jpy'), minimumAmount('huf')]).toEqual([50, 30, 50, 17500]);
  });

  it('is the smallest positive amount the currency can express where there is none', () => {
    expect([minimumAmount('xof'), minimumAmount('sar'), minimumAmount('kwd')]).toEqual([1, 1, 10]);
  });
});

describe('endsAsStripeRequires', () => {
  it('holds three-decimal currencies to a last digit of 0, and no other currency', () => {
    expect(endsAsStripeRequires(1000, 'kwd')).toBe(true);
    expect(endsAsStripeRequires(1005, 'bhd')).toBe(false);
    expect(endsAsStripeRequires(1005, 'usd')).toBe(true);
    expect(endsAsStripeRequires(1005, 'jpy')).toBe(true);
  });
});

describe('formatMoney', () => {
  it.each([
    [50, 'usd', '$0.50'],
    [MAX_AMOUNT, 'usd', '$999,999.99'],
    [123456, 'eur', '€1,234.56'],
    [30, 'gbp', '£0.30'],
    [50, 'jpy', '¥50'],
    [MAX_AMOUNT, 'jpy', '¥99,999,999'],
    [1000, 'krw', '₩1,000'],
    [1, 'xof', 'XOF 1'],
    [17500, 'huf', 'HUF 175.00'],
    [1, 'sar', 'SAR 0.01'],
    [2000, 'kwd', 'KWD 2.000'],
    [0, 'usd', '$0.00'],
  ])('%i %s → %s', (amount, currency, shown) => {
    expect(formatMoney(amount, currency)).toBe(shown);
  });
});
