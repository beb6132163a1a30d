import { Messages } from './messages.js';

export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface StripeErrorFields {
  code?: string;
  param?: string;
  decline_code?: string;
  charge?: string;
}

export interface StripeErrorBody {
  error: { type: StripeErrorType; message: string } & StripeErrorFields & { doc_url?: string };
}

/**
 * The one error shape the API speaks. Services throw these (or subclasses); the exception filter and
 * the phase runner turn them into the Stripe envelope with the status they carry.
 */
export class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly type: StripeErrorType,
    message: string,
    readonly fields: StripeErrorFields = {},
    /** Extra response headers, e.g. Stripe-Should-Retry on ambiguous failures. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }

  toBody(): StripeErrorBody {
    const { code, param, decline_code, charge } = this.fields;
    return {
      error: {
        type: this.type,
        ...(code !== undefined && { code }),
        ...(decline_code !== undefined && { decline_code }),
        ...(charge !== undefined && { charge }),
        ...(code !== undefined && { doc_url: `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}` }),
        message: this.message,
        ...(param !== undefined && { param }),
      },
    };
  }
}

export class InvalidRequestError extends StripeError {
  constructor(message: string, fields: StripeErrorFields = {}, status = 400) {
    super(status, 'invalid_request_error', message, fields);
  }
}

/**
 * A request whose parameters are wrong before any work starts. The idempotency layer saves nothing for
 * these, so the client may fix the request and retry with the same key (as Stripe does).
 */
export class ParameterError extends InvalidRequestError {
  /** Stripe gives a code only to the kinds of problem it has one for; "Invalid currency: …" has none. */
  constructor(message: string, param?: string, code?: string) {
    super(message, { ...(code !== undefined && { code }), ...(param !== undefined && { param }) });
  }

  static missing(param: string): ParameterError {
    return new ParameterError(Messages.missingParam(param), param, 'parameter_missing');
  }

  /** `amount=` (or the SDK's `amount: null`) where the param cannot be unset: sent, but empty. */
  static empty(param: string): ParameterError {
    return new ParameterError(Messages.cannotUnset(param), param, 'parameter_invalid_empty');
  }

  static unknown(param: string): ParameterError {
    return new ParameterError(Messages.unknownParam(param), param, 'parameter_unknown');
  }
}

export class ResourceMissingError extends InvalidRequestError {
  constructor(resource: string, id: string, param = 'id') {
    super(Messages.noSuch(resource, id), { code: 'resource_missing', param }, 404);
  }
}

export class AuthenticationError extends StripeError {
  constructor(message: string) {
    super(401, 'invalid_request_error', message);
  }
}

export class IdempotencyError extends StripeError {
  constructor(message: string) {
    super(400, 'idempotency_error', message);
  }
}

export class IdempotencyKeyInUseError extends StripeError {
  constructor(key: string) {
    // Retrying later is exactly what the client should do, and what the SDK does on 409.
    super(409, 'invalid_request_error', Messages.idempotencyKeyInUse(key), { code: 'idempotency_key_in_use' });
  }
}

/**
 * The object is busy with another request's work for now (Stripe's `lock_timeout`): not an answer to the
 * request, so nothing is stored under its key and `Stripe-Should-Retry` tells the SDK to send it again.
 */
export class ObjectBusyError extends StripeError {
  constructor(message: string, param?: string) {
    super(429, 'invalid_request_error', message, { code: 'lock_timeout', ...(param !== undefined && { param }) }, { 'Stripe-Should-Retry': 'true' });
  }
}

export class CardError extends StripeError {
  constructor(message: string, fields: StripeErrorFields) {
    super(402, 'card_error', message, fields);
  }
}

export class ApiError extends StripeError {
  constructor(message = Messages.internal(), status = 500, headers: Record<string, string> = {}) {
    super(status, 'api_error', message, {}, headers);
  }

  /**
   * An ambiguous failure: the outcome is unknown. `Stripe-Should-Retry` says whether sending the request
   * again is safe: with its key it resumes where it stopped; without one it would be a new request (a
   * second charge), which the header forbids and the SDK obeys.
   */
  static ambiguous(message: string, retrySafe: boolean): ApiError {
    return new ApiError(message, 503, { 'Stripe-Should-Retry': String(retrySafe) });
  }
}
