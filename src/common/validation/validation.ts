/**
 * Reusable parameter decorators in Stripe's conventions. Form bodies carry only strings, so every
 * decorator converts explicitly; an empty string means "unset" (the SDK sends `null` as `key=`).
 */
import { Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  ValidationArguments,
  ValidationOptions,
  IsDefined,
  IsString,
  IsBoolean,
  IsArray,
  ValidateIf,
} from 'class-validator';
import { Messages } from '../errors/messages.js';
import { MAX_METADATA_KEYS } from './metadata.js';

type Decorator = PropertyDecorator;

const compose =
  (...decorators: Decorator[]): Decorator =>
  (target, key) => {
    for (const decorator of decorators) decorator(target, key);
  };

const emptyToNull = ({ value }: { value: unknown }) => (value === '' ? null : value);

/**
 * Marks a parameter as required: absent → `Missing required param: x.`; sent empty (`x=`, the SDK's
 * `x: null`) → Stripe's "You passed an empty string for 'x'", since it cannot be unset.
 */
export const Required = (): Decorator =>
  compose(
    Transform(emptyToNull),
    IsDefined({ message: (a: ValidationArguments) => `${a.value === undefined ? 'missing' : 'empty'}:${a.property}` }),
  );

/** Optional, and `null`/empty when the client wants to unset it. */
export const Optional = (): Decorator => compose(Transform(emptyToNull), IsOptional());

/**
 * Optional, but not to be unset: `url=` is refused in Stripe's words rather than ignored. Written last
 * (nearest the property), so it is checked first and an empty value gets this message, not the format's.
 */
export const NotUnsettable = (): Decorator =>
  compose(
    ValidateIf((_object, value) => value !== undefined),
    ValidateBy({
      name: 'isSet',
      validator: { validate: (value) => value !== '' && value !== null, defaultMessage: (a) => Messages.cannotUnset(a?.property ?? '') },
    }),
  );

export const StringParam = (maxLength = 5000): Decorator =>
  compose(
    IsString({ message: (a: ValidationArguments) => Messages.invalidString(a.property) }),
    MaxLength(maxLength, { message: (a: ValidationArguments) => Messages.stringTooLong(a.property, maxLength) }),
  );

export const EnumParam = (allowed: readonly string[]): Decorator =>
  IsIn(allowed as string[], { message: (a: ValidationArguments) => Messages.invalidEnum(a.property, allowed) });

/** A rule on the value (and, when it needs them, the other params), refused with its own message in Stripe's wording. */
export const Satisfies = (
  name: string,
  test: (value: unknown, params: object) => boolean,
  message: (value: unknown, param: string) => string,
): Decorator => ValidateBy({ name, validator: { validate: (value, a) => test(value, a!.object), defaultMessage: (a) => message(a?.value, a?.property ?? '') } });

/**
 * An address Stripe would take: a dot-atom local part (no leading, trailing or doubled dot; no `<`, `,`,
 * spaces) and a domain of hostname labels with a top-level part of two letters or more. Stripe refuses
 * `x@.maie.com`, which a looser "something@something.something" took.
 */
const EMAIL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$/;
export const EmailParam = (): Decorator =>
  compose(
    StringParam(512),
    Satisfies('isStripeEmail', (value) => typeof value === 'string' && EMAIL.test(value), Messages.invalidEmail),
  );

/**
 * What Stripe allows on a card statement: up to 22 Latin characters (printable ASCII and the Latin
 * letters beyond it; no line breaks, control characters or emoji), a letter among them, none of < > \ ' " *.
 * Stripe holds a `statement_descriptor_suffix` to the same rules (a letter in prefix and suffix alike).
 */
const STATEMENT_DESCRIPTOR = /^(?=.*[A-Za-z])[^<>\\'"*]*$/;
const LATIN_PRINTABLE = /^[\x20-\x7E\u00A0-\u024F]*$/;
export const StatementDescriptorParam = (): Decorator =>
  compose(
    StringParam(22),
    Satisfies('isStatementDescriptor', (value) => typeof value === 'string' && STATEMENT_DESCRIPTOR.test(value) && LATIN_PRINTABLE.test(value), Messages.invalidStatementDescriptor),
  );

/** Stripe's rule for a customer's invoice number prefix. */
const INVOICE_PREFIX = /^[0-9A-Z]{3,12}$/;
export const InvoicePrefixParam = (): Decorator =>
  compose(
    IsString({ message: (a: ValidationArguments) => Messages.invalidString(a.property) }),
    Satisfies('isInvoicePrefix', (value) => typeof value === 'string' && INVOICE_PREFIX.test(value), Messages.invalidInvoicePrefix),
  );

/** An optional list of strings (`x[]=a&x[]=b`): a hash, or a JSON `[1, null]`, is refused naming the bad element. */
export const StringListParam = (): Decorator =>
  compose(
    IsOptional(),
    IsArray(),
    ValidateBy({
      name: 'isStringList',
      validator: {
        validate: (value) => !Array.isArray(value) || value.every((item) => typeof item === 'string'),
        defaultMessage: (a) =>
          Messages.invalidString(`${a?.property}[${(a?.value as unknown[]).findIndex((item) => typeof item !== 'string')}]`),
      },
    }),
  );

/** `expand[]=…`: an array of strings. Charges and refunds check the paths and expand some (src/common/expand); other resources ignore them. */
export const ExpandParam = StringListParam;

/** Integers arrive as strings from forms; anything that is not a whole number is `Invalid integer`. */
export const IntegerParam = (min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Decorator => {
  const unbounded = max >= Number.MAX_SAFE_INTEGER;
  return compose(
    // A numeral too long for a double (400 nines; JSON's 1e400, Infinity once parsed) still names an
    // integer: read as the largest one, so that it is refused as too large, not echoed back as `Infinity`.
    Transform(({ value }) =>
      typeof value === 'number' ? clampToFinite(value) : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? clampToFinite(Number(value)) : value,
    ),
    IsInt({
      message: (a: ValidationArguments) =>
        typeof a.value === 'object' && a.value !== null ? Messages.integerNotScalar(a.property) : Messages.invalidInteger(a.value),
    }),
    Min(min, {
      // With no upper bound, Stripe's own words for a number under 0 or 1 (`amount=-5`): a range up to 2^53 reads as nonsense.
      message: (a: ValidationArguments) =>
        unbounded && min === 0
          ? Messages.notNonNegativeInteger()
          : unbounded && min === 1
            ? Messages.notPositiveInteger()
            : Messages.integerOutOfRange(a.property, min, max),
    }),
    Max(max, { message: (a: ValidationArguments) => Messages.integerOutOfRange(a.property, min, max) }),
  );
};

const clampToFinite = (n: number): number => (n === Infinity ? Number.MAX_VALUE : n === -Infinity ? -Number.MAX_VALUE : n);

export const BooleanParam = (): Decorator =>
  compose(
    Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)),
    IsBoolean({ message: (a: ValidationArguments) => Messages.invalidBoolean(a.value) }),
  );

/** A bracket-nested param (`address[city]=…`) arrives as a plain object: a "hash" in Stripe's words. */
export const isHash = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** A nested hash such as `address[city]`; unknown keys inside it are rejected by name. */
export const ObjectParam = (type: () => new () => object): Decorator =>
  compose(
    ValidateBy({
      name: 'isHash',
      validator: {
        validate: isHash,
        defaultMessage: (a) => Messages.invalidObject(a?.property ?? ''),
      },
    }),
    ValidateNested(),
    Type(type),
  );

/**
 * A list of hashes (`custom_fields[0][name]=…`), at most `max` of them; each element is checked like an
 * ObjectParam, and a problem inside one is named with its index (`custom_fields[1][value]`).
 */
export const ObjectListParam = (type: () => new () => object, max: number): Decorator =>
  compose(
    IsArray(),
    ValidateBy({
      name: 'isHashList',
      validator: {
        validate: (value) => !Array.isArray(value) || (value.length <= max && value.every(isHash)),
        defaultMessage: (a) => {
          const list = a?.value as unknown[];
          return list.length > max
            ? Messages.arrayTooLong(a?.property ?? '', max, list.length)
            : Messages.invalidObject(`${a?.property}[${list.findIndex((item) => !isHash(item))}]`);
        },
      },
    }),
    ValidateNested(),
    Type(type),
  );

export type Metadata = Record<string, string>;

/**
 * Stripe's metadata: up to 50 keys, keys up to 40 characters, string values up to 500. An empty value
 * deletes that key on update; `metadata=` (empty) clears all of it, which arrives here as `null`.
 */
export const MetadataParam = (options?: ValidationOptions): Decorator =>
  compose(
    Optional(),
    ValidateBy(
      {
        name: 'isMetadata',
        validator: {
          validate: (value) => metadataProblem(value) === null,
          defaultMessage: (a) => metadataProblem(a?.value) ?? '',
        },
      },
      options,
    ),
  );

/** Stripe's limits count characters; a JavaScript length counts UTF-16 units, two for an emoji. */
function longerThan(text: string, characters: number): boolean {
  if (text.length <= characters) return false;
  let count = 0;
  for (const _ of text) if (++count > characters) return true;
  return false;
}

function metadataProblem(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return Messages.invalidObject('metadata');
  const entries = Object.entries(value);
  if (entries.length > MAX_METADATA_KEYS) return Messages.metadataTooManyKeys();
  for (const [key, v] of entries) {
    if (longerThan(key, 40)) return Messages.metadataKeyTooLong(key);
    // JSON's null is the form's empty value: it deletes the key (mergeMetadata).
    if (v === null) continue;
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return Messages.invalidString(`metadata[${key}]`);
    if (longerThan(String(v), 500)) return Messages.metadataValueTooLong(key);
  }
  return null;
}

