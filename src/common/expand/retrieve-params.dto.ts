import { ExpandParam } from '../validation/validation.js';

/**
 * The query of a retrieve (`GET /v1/<objects>/:id`): `expand[]` only. Declared so that anything else is a
 * 400 naming it, as Stripe answers and as lists already did; a retrieve once ignored `?bogus=1`.
 */
export class RetrieveParamsDto {
  @ExpandParam() expand?: string[];
}
