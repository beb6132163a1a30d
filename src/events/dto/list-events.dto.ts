import { Messages } from '../../common/errors/messages.js';
import { ListParamsDto } from '../../common/pagination/list-params.dto.js';
import { BooleanParam, Optional, Satisfies, StringListParam, StringParam } from '../../common/validation/validation.js';

/** Stripe's limit on `types[]`. */
const MAX_TYPES = 20;

export class ListEventsDto extends ListParamsDto {
  @Optional() @StringParam(100) type?: string;
  @StringListParam()
  @Satisfies('oneTypeFilter', (_types, list) => !(list as ListEventsDto).type, () => Messages.onlyOneOf('type', 'types'))
  @Satisfies('atMost20Types', (types) => !Array.isArray(types) || types.length <= MAX_TYPES, (types) => Messages.arrayTooLong('types', MAX_TYPES, (types as string[]).length))
  types?: string[];
  /** Whether every webhook of the event was delivered: pending and given-up deliveries were not. */
  @Optional() @BooleanParam() delivery_success?: boolean | null;
}
