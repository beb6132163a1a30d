import { StripeError } from '../errors/stripe-error.js';

/**
 * A finished answer as it goes on the wire: status, the exact JSON text and extra headers. Idempotent
 * requests store exactly this, so a replay is byte-for-byte the first response.
 */
export class ApiResponse {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}

  static ok(object: unknown): ApiResponse {
    return new ApiResponse(200, JSON.stringify(object));
  }

  static fromError(error: StripeError): ApiResponse {
    return new ApiResponse(error.status, JSON.stringify(error.toBody()), error.headers);
  }
}

/**
 * Carries a non-200 ApiResponse past Nest's fixed per-route status code to the exception filter, which
 * writes it as is.
 */
export class ApiResponseException extends Error {
  constructor(readonly response: ApiResponse) {
    super(`response ${response.status}`);
  }
}
