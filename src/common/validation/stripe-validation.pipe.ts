import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { validateParams } from './param-validation.js';

/** The global pipe: body and query DTOs are validated with Stripe's wording; other arguments pass through. */
@Injectable()
export class StripeValidationPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if ((metadata.type !== 'body' && metadata.type !== 'query') || metadata.data) return value;
    const type = metadata.metatype;
    if (!type || [String, Number, Boolean, Object, Array].includes(type as never)) return value;
    return validateParams(type as new () => object, value);
  }
}
