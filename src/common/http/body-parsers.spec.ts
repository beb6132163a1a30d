import { describe, expect, it } from '@jest/globals';
import qs from 'qs';
import { parseForm } from './body-parsers.js';
import { percentDecodes } from './percent-decoding.js';

/** Whether a form's escapes fail to decode (a stray %, or bytes that are no UTF-8): parseForm refuses those. */
const malformed = (text: string) => !percentDecodes(text);
// What parseForm must otherwise equal: qs with the options it uses (the fast path for flat forms included).
const viaQs = (text: string) =>
  qs.parse(text, { depth: 5, strictDepth: true, arrayLimit: 100, parameterLimit: 1000, throwOnLimitExceeded: true, allowPrototypes: false, duplicates: 'last' });

/** What parsing `text` throws (undefined if it parses). */
function thrownBy(text: string): { status: number; fields: { param?: string; code?: string }; message: string } | undefined {
  try {
    parseForm(text);
  } catch (error) {
    return error as { status: number; fields: { param?: string; code?: string }; message: string };
  }
  return undefined;
}

/** Each form is refused as an unknown parameter named as the client wrote it. */
function expectUnknownParams(cases: Array<[text: string, param: string]>): void {
  for (const [text, param] of cases) {
    const thrown = thrownBy(text);
    expect([text, thrown]).toMatchObject([text, { message: `Received unknown parameter: ${param}`, fields: { param, code: 'parameter_unknown' } }]);
  }
}

describe('parseForm', () => {
  it('gives a name sent twice without brackets its last value, as Stripe does; brackets make a list', () => {
    expect(parseForm('amount=1000&amount=2000&currency=usd')).toEqual({ amount: '2000', currency: 'usd' });
    expect(parseForm('metadata[a]=x&metadata[a]=y&metadata[b]=z')).toEqual({ metadata: { a: 'y', b: 'z' } });
    expect(parseForm('expand[]=a&expand[]=b')).toEqual({ expand: ['a', 'b'] });
    expect(parseForm('expand[0]=a&expand[1]=b')).toEqual({ expand: ['a', 'b'] });
  });

  it('parses flat forms exactly as qs does, including spaces, escapes, malformed escapes and odd values', () => {
    const cases = [
      'amount=2000&currency=usd&source=tok_visa&description=bench',
      'email=bench%40example.com&name=Ada+Lovelace',
      'description=50%25+off%2C+%E2%9C%93',
      'a=b=c&d==',
      'a=&b=',
      'limit=10',
      'description=caf%C3%A9+%2B+1',
      'a=1&a=2',
      'a%5Bb%5D=1',
      'a=%5Bx%5D',
      'a=1&',
      '&a=1',
      'a',
      '',
      'a.b=1',
      'metadata[plan]=pro&metadata[order]=1234',
      'email=a%40b.co&metadata[plan]=pro&name=Ada&metadata[order_id]=1+2%2C3&metadata[_]=',
      'metadata[plan]=pro&metadata[plan]=max',
      'metadata[Plan]=a&metadata[plan]=b',
      'metadata[plan]=a&shipping[name]=b&metadata[order]=c',
      'metadata[a0]=x&items[0]=y',
      'expand[]=customer&expand[]=refunds',
      'a=x]=y',
    ];
    for (const text of cases) expect([text, parseForm(text)]).toEqual([text, viaQs(text)]);
  });

  it('agrees with qs on thousands of random forms, flat or with one level of named keys', () => {
    const alphabet = ['a', 'Z', '0', '_', '=', '+', '%', '%2', '%41', '%E2%9C%93', '%C3', '.', '-', ' ', 'é', '&', '[', ']'];
    // Numbered metadata keys are left out: oncepay reads them as keys where qs makes a list (tested below).
    const names = ['amount', 'currency', 'a', 'b', 'x_1', 'description', 'metadata', 'metadata[plan]', 'metadata[Plan]', 'metadata[_x9]', 'a[b]', 'a[b][c]', 'a[]', 'b[0]'];
    let seed = 42;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    for (let i = 0; i < 10000; i++) {
      const pairs = Array.from({ length: 1 + random(4) }, () => {
        const value = Array.from({ length: random(6) }, () => alphabet[random(alphabet.length)]).join('');
        return `${names[random(names.length)]}=${value}`;
      });
      const text = pairs.join('&');
      if (malformed(text)) expect(() => parseForm(text)).toThrow(/is not percent-encoded UTF-8 text/);
      else expect([text, parseForm(text)]).toEqual([text, viaQs(text)]);
    }
  });

  it('refuses, by name, a param whose escapes are malformed or spell no UTF-8, where qs would keep its text undecoded', () => {
    const cases: Array<[string, string]> = [
      ['description=%E2%82%AC%FF', 'description'],
      ['amount=100&description=50%', 'description'],
      ['description=%ZZ', 'description'],
      ['name=%E2%9C', 'name'],
      ['metadata[k%FF]=v', 'metadata[k%FF]'],
      ['metadata[plan]=%C3&expand[]=x', 'metadata[plan]'],
      ['a+b=%G1', 'a b'],
    ];
    for (const [text, param] of cases) {
      const error = thrownBy(text);
      expect([text, error?.status, error?.fields.param, error?.message]).toEqual([
        text, 400, param, expect.stringMatching(/^Invalid string: .* is not percent-encoded UTF-8 text/),
      ]);
    }
    expect(parseForm('description=%E2%82%AC+50%25')).toEqual({ description: '€ 50%' });
  });

  it('refuses, by name, params called like object built-ins, which qs would drop without a word', () => {
    const cases: Array<[string, string]> = [
      ['constructor=x&b=1', 'constructor'],
      ['toString=1', 'toString'],
      ['__proto__=1', '__proto__'],
      ['a=1&hasOwnProperty=1', 'hasOwnProperty'],
      ['metadata[valueOf]=1', 'metadata[valueOf]'],
      ['metadata%5B__proto__%5D%5Bx%5D=1', 'metadata[__proto__][x]'],
      ['items[0][constructor]=1', 'items[0][constructor]'],
      ['constructor[a]=1', 'constructor[a]'],
      ['amount=1&toString[x]=1', 'toString[x]'],
      ['metadata[plan]=a&metadata[hasOwnProperty]=b', 'metadata[hasOwnProperty]'],
    ];
    expectUnknownParams(cases);
    // Names that merely contain such a word are ordinary.
    expect(parseForm('metadata[constructor_id]=1&description=toString')).toEqual({ metadata: { constructor_id: '1' }, description: 'toString' });
  });

  it('refuses, by name, params whose brackets qs would reshape (a suffix after them, an unclosed or a stray one, no name)', () => {
    const cases: Array<[string, string]> = [
      ['metadata[a]b=1', 'metadata[a]b'],
      ['metadata[a=1', 'metadata[a'],
      ['[]=1', '[]'],
      ['a]=1&b[c]=2', 'a]'],
      ['metadata%5Bplan%5Dx=1', 'metadata[plan]x'],
    ];
    expectUnknownParams(cases);
    expect(parseForm('expand[]=x&items[0][price]=p&metadata[with space]=v&metadata[a.b]=1')).toEqual({
      expand: ['x'], items: [{ price: 'p' }], metadata: { 'with space': 'v', 'a.b': '1' },
    });
  });

  it('reads numbered metadata keys as keys, as Stripe does, while numbered lists stay lists', () => {
    expect(parseForm('amount=100&metadata[2024]=year&metadata[0]=zero&metadata[order]=7&expand[0]=a&expand[1]=b')).toEqual({
      amount: '100',
      metadata: { '2024': 'year', '0': 'zero', order: '7' },
      expand: ['a', 'b'],
    });
    expect(parseForm('metadata%5B1%5D=one')).toEqual({ metadata: { '1': 'one' } });
    expect(parseForm('types[]=charge.succeeded&types[]=charge.failed')).toEqual({ types: ['charge.succeeded', 'charge.failed'] });
  });

  it('refuses an unnamed metadata entry, alone or beside numbered or named keys, rather than keeping it as key "0"', () => {
    for (const text of [
      'metadata[]=x',
      'metadata[]=x&metadata[9]=y',
      'metadata[9]=y&metadata[]=x',
      'metadata%5B%5D=x&metadata%5B9%5D=y',
      'metadata[]=x&metadata[a]=y',
      'metadata[a]=y&metadata[][b]=x',
    ]) {
      expect(() => parseForm(text)).toThrow('Invalid object: metadata must be a hash.');
    }
  });

  it('refuses a param sent both as a value and as a hash, in either order, naming it (qs kept one or the other by their order)', () => {
    for (const [text, param] of [
      ['address=&address[line1]=x', 'address'],
      ['address[line1]=x&address=', 'address'],
      ['metadata[a]=1&metadata=', 'metadata'],
      ['metadata=&metadata[2024]=1', 'metadata'],
      ['shipping[address][city]=x&shipping[address]=', 'shipping[address]'],
      ['name=n&%61ddress[line1]=x&address=y', 'address'],
    ]) {
      expect([text, thrownBy(text)]).toEqual([
        text,
        expect.objectContaining({
          fields: expect.objectContaining({ param }),
          message: `Invalid ${param}: it was sent both as a value (${param}=…) and as a hash (${param}[…]=…); send one or the other.`,
        }),
      ]);
    }
    // A list may be sent as repeated values and indexed ones alike, as the SDK and curl users do.
    expect(parseForm('expand=a&expand[]=b')).toEqual({ expand: ['a', 'b'] });
    expect(parseForm('expand[0]=a&expand=b')).toEqual({ expand: ['a', 'b'] });
  });

  it('reads a metadata name with percent-encoded letters as the name it decodes to', () => {
    expect(parseForm('%6Detadata[1]=x&description=d')).toEqual({ metadata: { '1': 'x' }, description: 'd' });
    expect(parseForm('%6Detadata%5Ba%5D=x&metadata[1]=y')).toEqual({ metadata: { a: 'x', '1': 'y' } });
  });

  it('still refuses too many params, as qs does', () => {
    const text = Array.from({ length: 1001 }, (_, i) => `p${i}=1`).join('&');
    expect(() => parseForm(text)).toThrow(/Too many parameters|parameters/i);
    // Numbered metadata is parsed apart from the rest; the limit still counts the whole body.
    const split = [...Array.from({ length: 600 }, (_, i) => `metadata[${i}]=1`), ...Array.from({ length: 600 }, (_, i) => `p${i}=1`)].join('&');
    expect(() => parseForm(split)).toThrow(/Too many parameters|parameters/i);
  });
});
