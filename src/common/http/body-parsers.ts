import type { FastifyInstance } from 'fastify';
import qs from 'qs';
import { ParameterError, InvalidRequestError } from '../errors/stripe-error.js';
import { Messages } from '../errors/messages.js';
import { percentDecodes } from './percent-decoding.js';

/** Deep enough for everything Stripe's v1 API nests (`shipping[address][line1]`), shallow enough to refuse abuse. */
export const MAX_PARAM_DEPTH = 5;
/** Stripe's own request bodies are small; this still fits 50 metadata pairs of 500 characters. */
export const BODY_LIMIT_BYTES = 256 * 1024;

const MAX_PARAMS = 1000;
const MAX_ARRAY_LENGTH = 100;

const QS_OPTIONS = {
  depth: MAX_PARAM_DEPTH,
  strictDepth: true,
  arrayLimit: MAX_ARRAY_LENGTH,
  parameterLimit: MAX_PARAMS,
  throwOnLimitExceeded: true,
  allowPrototypes: false,
  // A name sent twice without brackets (`amount=1000&amount=2000`, `metadata[a]=x&metadata[a]=y`) takes
  // its last value, as Stripe's parser does; only brackets (`expand[]=…`, `expand[0]=…`) make a list.
  duplicates: 'last',
} as const;

/** Form bodies and query strings with bracket nesting (`metadata[a]=b`, `expand[]=x`), as the SDK sends them. */
export function parseForm(text: string): Record<string, unknown> {
  if (text.includes('%')) refuseMalformedEscapes(text);
  const simple = parseSimpleForm(text);
  if (simple) return simple;
  const pairs = text.split('&');
  const names = pairs.map(paramName);
  refuseUnsafeNames(names);
  refuseValueBesideHash(names);
  // An unnamed metadata entry has no key to be kept under: qs makes it a list, or key "0" beside named keys.
  if (names.some((name) => name.startsWith('metadata[]'))) throw new ParameterError(Messages.invalidObject('metadata'), 'metadata');
  try {
    return parseNested(text, pairs, names);
  } catch (error) {
    if (error instanceof RangeError) {
      // qs reports each of its limits (depth, parameter count, array length) as a RangeError; only the text tells them apart.
      throw new ParameterError(/depth/i.test(error.message) ? Messages.bodyTooDeep() : Messages.tooManyParams(MAX_PARAMS, MAX_ARRAY_LENGTH));
    }
    throw new InvalidRequestError(Messages.malformedBody());
  }
}

/** A metadata param (its name decoded): its keys are the client's own, digits included (`metadata[2024]=x`). */
const isMetadataName = (name: string): boolean => name.startsWith('metadata[');
const NUMBERED_METADATA = /^metadata\[\d/;

/**
 * qs reads `name[0]=a&name[1]=b` as an array, which is how the SDK sends lists (`expand`, `types`); but
 * under `metadata` a number is a key, as Stripe reads it, not an index (`metadata[2024]` would otherwise
 * be an array 2,025 long, refused as too long, and `metadata[0]` an array metadata refuses). So metadata
 * pairs are parsed on their own, with arrays off. Pairs are told apart by their decoded names, as qs
 * reads them (`%6Detadata[1]` is metadata too).
 */
function parseNested(text: string, pairs: string[], names: string[]): Record<string, unknown> {
  // The usual body has no numbered metadata key: one parse, as qs gives it.
  if (!names.some((name) => NUMBERED_METADATA.test(name))) return qs.parse(text, QS_OPTIONS) as Record<string, unknown>;
  // A plain `metadata=` beside numbered keys: one whole parse, as qs would give it (refused as metadata).
  if (names.includes('metadata')) return qs.parse(text, QS_OPTIONS) as Record<string, unknown>;
  // Parsed in two parts, each under qs's limit, so the limit on the whole is kept here.
  if (pairs.length > MAX_PARAMS) throw new RangeError('Parameter limit exceeded');
  const metadata = pairs.filter((_, i) => isMetadataName(names[i]));
  const rest = pairs.filter((_, i) => !isMetadataName(names[i]));
  return {
    ...(qs.parse(rest.join('&'), QS_OPTIONS) as Record<string, unknown>),
    ...(qs.parse(metadata.join('&'), { ...QS_OPTIONS, parseArrays: false }) as Record<string, unknown>),
  };
}

/**
 * Names qs would silently drop or reshape, refused by name instead, since the client's value would vanish
 * or land under another key: a built-in such as `constructor` or `metadata[__proto__]` (dropped, as it
 * would otherwise reach an object's prototype), and brackets that are not `name[a][b]…` — `metadata[a]b`
 * (stored as `metadata[a]`), an unclosed `metadata[a`, a name that is only brackets.
 */
function refuseUnsafeNames(names: string[]): void {
  for (const name of names) {
    if (name === '') continue;
    if (!PARAM_NAME.test(name) || BUILT_IN_SEGMENT.test(name)) throw ParameterError.unknown(name);
  }
}

/**
 * A param sent both as a value and as a hash (`address=&address[line1]=x`, `metadata[a]=1&metadata=`):
 * qs keeps both as a list or the hash alone, depending on their order, so whether the client meant to
 * unset it or to set a key cannot be told. Refused by name, in either order. (The fast path never gets
 * here with such a form: it hands any clash to qs.) A list may mix the two (`expand=a&expand[]=b`).
 */
function refuseValueBesideHash(names: string[]): void {
  const sent = new Set(names);
  for (const name of names) {
    // No deeper than qs reads a name (deeper ones are refused right after): each level costs a slice and a
    // lookup as long as the name, so a 250 KB name of brackets would otherwise block the thread for seconds.
    let depth = 0;
    for (let open = name.indexOf('['); open !== -1 && depth++ <= MAX_PARAM_DEPTH; open = name.indexOf('[', open + 1)) {
      const container = name.slice(0, open);
      // `list[]` names a new item each time: `types[]=a&types[][x]=1` is a list holding a string and a hash.
      if (container.endsWith('[]')) continue;
      const key = name.slice(open + 1, name.indexOf(']', open));
      // Under metadata a number is a key too (see parseNested); elsewhere it indexes a list.
      const hashKey = key !== '' && (!/^\d+$/.test(key) || container === 'metadata');
      if (hashKey && sent.has(container)) throw new ParameterError(Messages.valueBesideHash(container), container);
    }
  }
}

/** A pair's name as qs reads it: decoded, `+` a space. */
function paramName(pair: string): string {
  const eq = pair.indexOf('=');
  const raw = eq === -1 ? pair : pair.slice(0, eq);
  return raw.includes('%') || raw.includes('+') ? decodeFormValue(raw) : raw;
}

/** `name`, then any number of bracketed parts (`[]` included), and nothing after them. */
const PARAM_NAME = /^[^[\]]+(?:\[[^[\]]*\])*$/;

/** Properties every object has (`constructor`, `__proto__`, `toString`, …). */
const BUILT_IN_NAMES = Object.getOwnPropertyNames(Object.prototype);
const isBuiltInName = (name: string): boolean => BUILT_IN_NAMES.includes(name);
/** Such a name as a whole param name or as a bracketed part of one. */
const BUILT_IN_SEGMENT = new RegExp(`(?:^|\\[)(?:${BUILT_IN_NAMES.join('|')})(?:[[\\]]|$)`);

/** Half of a UTF-16 surrogate pair without its other half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * JSON bodies keep any member name; refuse, as a form would be refused and named with brackets, the
 * names a form could not send: built-ins, and empty or bracketed keys (`{"metadata": {"a[b]": "x"}}`
 * is `metadata[a[b]]`, which a form refuses). Text that is not valid Unicode is refused too.
 */
function refuseUnsafeMembers(value: unknown, path: string): void {
  // JSON's `\ud800` escapes a half of a UTF-16 pair alone: text no database or response can carry as it
  // came (SQLite stored it as U+FFFD, so a retrieve disagreed with the create's answer).
  if (typeof value === 'string' && LONE_SURROGATE.test(value)) throw new ParameterError(Messages.unpairedSurrogate(path), path);
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    const name = path === '' ? key : `${path}[${key}]`;
    if (!Array.isArray(value) && (isBuiltInName(key) || key === '' || /[[\]]/.test(key) || LONE_SURROGATE.test(key))) throw ParameterError.unknown(name);
    refuseUnsafeMembers(child, name);
  }
}

/** A param name the fast path reads: plain (`amount`), or one level deep under a key that qs cannot take for an index (`metadata[plan]`). */
const SIMPLE_NAME = String.raw`[A-Za-z0-9_]+(?:\[[A-Za-z_][A-Za-z0-9_]*\])?`;
/** `name=value` pairs with such names: no other brackets (or encoded ones) anywhere, no empty pairs. */
const SIMPLE_FORM = new RegExp(`^${SIMPLE_NAME}=[^&[\\]]*(?:&${SIMPLE_NAME}=[^&[\\]]*)*$`);
const ENCODED_BRACKET = /%5[BD]/i;

/**
 * The common cases without qs: a flat body (`amount=2000&currency=usd&source=tok_visa`) or query
 * (`limit=10`), and one level of nesting under named keys (`email=…&metadata[plan]=pro`), parsed to
 * exactly what qs gives for them (a differential test holds the two together) at a fraction of the
 * cost. Anything else — deeper nesting, lists, numbered keys, a repeated or prototype-named param, a
 * name used both plain and nested, too many params — returns null and goes to qs.
 */
function parseSimpleForm(text: string): Record<string, unknown> | null {
  if (!SIMPLE_FORM.test(text) || ENCODED_BRACKET.test(text)) return null;
  const pairs = text.split('&');
  if (pairs.length > MAX_PARAMS) return null;
  // A plain param's value is a string, a nested one's an object: that is how a clash is told.
  const out: Record<string, string | Record<string, string>> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const value = decodeFormValue(pair.slice(eq + 1));
    // The pattern above allows a bracket only in a name.
    const open = pair.indexOf('[');
    if (open === -1) {
      const name = pair.slice(0, eq);
      if (Object.hasOwn(out, name) || isBuiltInName(name)) return null;
      out[name] = value;
      continue;
    }
    const name = pair.slice(0, open);
    const key = pair.slice(open + 1, eq - 1);
    if (isBuiltInName(name) || isBuiltInName(key)) return null;
    const inner = Object.hasOwn(out, name) ? out[name] : (out[name] = {});
    if (typeof inner === 'string' || Object.hasOwn(inner, key)) return null;
    inner[key] = value;
  }
  return out;
}

/**
 * A `%` that starts no escape (`%ZZ`, a lone `%`) or escapes that decode to no UTF-8 text (`%FF`): qs
 * would keep such a param's text undecoded, so `description=%E2%82%AC%FF` was stored as those twelve
 * characters, the valid `€` among them. Refused by name instead, as JSON's lone surrogates are.
 */
function refuseMalformedEscapes(text: string): void {
  if (percentDecodes(text)) return;
  // Find the param to name.
  for (const pair of text.split('&')) {
    const eq = pair.indexOf('=');
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    if (!percentDecodes(rawName)) throw new ParameterError(Messages.malformedEscape(rawName), rawName);
    const name = decodeURIComponent(rawName.replace(/\+/g, ' '));
    if (eq !== -1 && !percentDecodes(pair.slice(eq + 1))) throw new ParameterError(Messages.malformedEscape(name), name);
  }
}

/** qs's own decoding: `+` is a space, then percent-decoding, and a malformed escape leaves the text as it is. */
function decodeFormValue(value: string): string {
  const spaced = value.indexOf('+') === -1 ? value : value.replace(/\+/g, ' ');
  if (spaced.indexOf('%') === -1) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

const QUERY_ERROR = Symbol('oncepay:query-error');

/**
 * Query strings are parsed by Fastify's router, outside any request lifecycle: an exception thrown
 * there escapes Fastify and kills the process. So a bad query string yields an empty query carrying
 * its error, which the onRequest hook raises as a normal 400 (see `queryParseError`).
 */
export function parseQuery(text: string): Record<string, unknown> {
  try {
    return parseForm(text);
  } catch (error) {
    return Object.defineProperty({}, QUERY_ERROR, { value: error, enumerable: false });
  }
}

/** The error `parseQuery` kept for this query, if it could not be parsed. */
export function queryParseError(query: unknown): Error | undefined {
  return (query as { [QUERY_ERROR]?: Error } | null | undefined)?.[QUERY_ERROR];
}

/**
 * Stripe reads a POST's query string as parameters too, and curl users rely on it
 * (`curl -X POST '…/v1/refunds?amount=100' -d charge=ch_…`): ignored, that refund took the whole charge.
 * So the query's params join the body's before anything reads them (validation, the idempotency key's
 * canonical params). A name given in both is refused rather than one of the two values dropped.
 */
function mergeQueryIntoBody(query: Record<string, unknown>, body: unknown): unknown {
  const names = Object.keys(query);
  if (names.length === 0) return body;
  // Not an object: left for validation to refuse as a malformed body.
  if (body !== undefined && (body === null || typeof body !== 'object' || Array.isArray(body))) return body;
  const merged: Record<string, unknown> = { ...(body as Record<string, unknown> | undefined) };
  for (const name of names) {
    if (Object.hasOwn(merged, name)) throw new ParameterError(Messages.paramInQueryAndBody(name), name);
    merged[name] = query[name];
  }
  return merged;
}

export function registerBodyParsers(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (req, _reply, done) => {
    // Only a POST's query is more params; GET's query is its params already. A URL without `?` has none.
    if (req.method !== 'POST' || !req.url.includes('?')) return done();
    try {
      req.body = mergeQueryIntoBody(req.query as Record<string, unknown>, req.body);
      done();
    } catch (error) {
      done(error as Error);
    }
  });
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer', bodyLimit: BODY_LIMIT_BYTES }, (_req, body, done) => {
    try {
      done(null, parseForm(utf8Text(body as Buffer)));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: BODY_LIMIT_BYTES }, (_req, body, done) => {
    let text: string;
    try {
      text = utf8Text(body as Buffer).trim();
    } catch (error) {
      return done(error as Error, undefined);
    }
    if (text === '') return done(null, {});
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return done(new InvalidRequestError(Messages.malformedBody()), undefined);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return done(new InvalidRequestError(Messages.malformedBody()), undefined);
    }
    if (nestedDeeperThan(parsed, MAX_PARAM_DEPTH + 1)) return done(new ParameterError(Messages.bodyTooDeep()), undefined);
    try {
      refuseUnsafeMembers(parsed, '');
    } catch (error) {
      return done(error as Error, undefined);
    }
    done(null, parsed);
  });
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A body's bytes as text. Read as a string, bytes that are no UTF-8 (`name=\xe9`, Latin-1) became U+FFFD,
 * and were stored so, unlike what was sent: refused instead, as malformed escapes are.
 */
function utf8Text(body: Buffer): string {
  try {
    return UTF8.decode(body);
  } catch {
    throw new InvalidRequestError(Messages.bodyNotUtf8());
  }
}

/** Stops at the limit: JSON.parse accepts nesting thousands deep, which a full walk would overflow the stack on. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (limit === 0) return true;
  return Object.values(value).some((child) => nestedDeeperThan(child, limit - 1));
}
