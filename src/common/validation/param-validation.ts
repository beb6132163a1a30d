import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { ParameterError } from '../errors/stripe-error.js';
import { Messages, shown } from '../errors/messages.js';
import { rememberValidationMetadata } from './validation-metadata-cache.js';

rememberValidationMetadata();

/**
 * Turns raw params (form or JSON, already bracket-parsed) into a validated DTO, or throws the first
 * problem as a Stripe ParameterError naming the param as the client wrote it (`address[city]`).
 * Used by the global pipe and by the completer, which re-validates stored params.
 */
export function validateParams<T extends object>(dto: new () => T, raw: unknown): T {
  const params = raw === undefined || raw === null ? {} : raw;
  if (typeof params !== 'object' || Array.isArray(params)) throw new ParameterError(Messages.malformedBody());
  const instance = plainToInstance(dto, params) as T;
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: false,
    stopAtFirstError: true,
  });
  if (errors.length) throw toParameterError(errors);
  return instance;
}

interface Problem {
  param: string;
  constraint: string;
  message: string;
}

function toParameterError(errors: ValidationError[]): ParameterError {
  const problems = flatten(errors, '');
  // Unknown parameters are reported first: a typo in a name explains the other errors too.
  const problem = problems.find((p) => p.constraint === 'whitelistValidation') ?? problems[0];
  if (problem.constraint === 'whitelistValidation') return ParameterError.unknown(problem.param);
  if (problem.message.startsWith('missing:')) return ParameterError.missing(problem.param);
  if (problem.message.startsWith('empty:')) return ParameterError.empty(problem.param);
  // class-validator's own wording ("expand must be an array") is not Stripe's.
  if (problem.constraint === 'isArray') return new ParameterError(Messages.invalidArray(problem.param), problem.param);
  return new ParameterError(problem.message, problem.param, CODES[problem.constraint]);
}

/** Stripe's error codes for the kinds of invalid value that have one (by the constraint that caught it). */
const CODES: Record<string, string> = {
  isInt: 'parameter_invalid_integer',
  isStripeEmail: 'email_invalid',
  isSet: 'parameter_invalid_empty',
};

function flatten(errors: ValidationError[], parent: string): Problem[] {
  const out: Problem[] = [];
  for (const error of errors) {
    const param = parent ? `${parent}[${error.property}]` : error.property;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      out.push({ param, constraint, message: renameParam(message, error.property, param, error.value) });
    }
    out.push(...flatten(error.children ?? [], param));
  }
  return out;
}

/**
 * Messages name a nested param by its own name (`gte`, from class-validator's property); the answer names
 * it in full (`created[gte]`). Only the name is replaced, never the quoted value: `created[gte]=gte` is
 * `Invalid integer: gte`, not `Invalid integer: created[gte]`.
 */
export function renameParam(message: string, name: string, param: string, value: unknown): string {
  if (param === name) return message;
  const pattern = new RegExp(`\\b${escape(name)}\\b`);
  const quoted = message.indexOf(`: ${shown(value)}`);
  if (quoted < 0) return message.replace(pattern, param);
  return message.slice(0, quoted).replace(pattern, param) + message.slice(quoted);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
