import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { validateParams } from './param-validation.js';

/** Distinct valid query strings remembered per DTO; beyond that the oldest is forgotten. */
const MAX_QUERIES_PER_DTO = 256;

type DtoClass = new () => object;

/** The global pipe: body and query DTOs are validated with Stripe's wording; other arguments pass through. */
@Injectable()
export class StripeValidationPipe implements PipeTransform {
  /**
   * Validated queries, by DTO and query. Lists are asked the same few queries over and over (a test
   * paginating, the dashboard polling), and class-transformer + class-validator cost a tenth of a list
   * request. Validation is a pure function of the params, and the DTOs are frozen, so sharing one
   * instance between requests is safe. Bodies are not remembered: they rarely repeat.
   */
  private readonly validQueries = new Map<DtoClass, Map<string, object>>();

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if ((metadata.type !== 'body' && metadata.type !== 'query') || metadata.data) return value;
    const type = metadata.metatype;
    if (!type || [String, Number, Boolean, Object, Array].includes(type as never)) return value;
    if (metadata.type === 'body') return validateParams(type as DtoClass, value);
    return this.validQuery(type as DtoClass, value);
  }

  private validQuery(type: DtoClass, value: unknown): object {
    let known = this.validQueries.get(type);
    if (!known) this.validQueries.set(type, (known = new Map()));
    const key = JSON.stringify(value ?? {});
    const hit = known.get(key);
    if (hit) return hit;
    const dto = deepFreeze(validateParams(type, value));
    known.set(key, dto);
    if (known.size > MAX_QUERIES_PER_DTO) known.delete(known.keys().next().value!);
    return dto;
  }
}

function deepFreeze<T extends object>(object: T): T {
  for (const child of Object.values(object)) if (child && typeof child === 'object') deepFreeze(child);
  return Object.freeze(object);
}
