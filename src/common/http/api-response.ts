import { StripeError } from '../errors/stripe-error.js';
import { toListJson } from '../pagination/paginate.js';

/**
 * A finished answer as it goes on the wire: status, the exact JSON text and extra headers. Idempotent
 * requests store exactly this, so a replay is byte-for-byte the first response.
 */
export class ApiResponse {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly headers: Readonly<Record<string, string>> = {},
    /**
     * Rebuilds `body` from parts kept anyway (cached JSON), for whoever keeps the response for later (the
     * request log): a list page is tens of KB, and keeping a copy of each one made the garbage collector
     * a fifth of the cost of serving lists.
     */
    readonly rebuildBody?: () => string,
  ) {}

  static ok(object: unknown): ApiResponse {
    return new ApiResponse(200, JSON.stringify(object));
  }

  /** A list page of objects that are JSON text already. */
  static list(url: string, items: string[], hasMore: boolean): ApiResponse {
    return new ApiResponse(200, toListJson(url, items, hasMore), {}, () => toListJson(url, items, hasMore));
  }

  static fromError(error: StripeError): ApiResponse {
    return new ApiResponse(error.status, JSON.stringify(error.toBody()), error.headers);
  }
}
