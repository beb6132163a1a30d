import { ArrayNotEmpty, IsArray } from 'class-validator';
import { Messages } from '../../common/errors/messages.js';
import { BooleanParam, ExpandParam, MetadataParam, NotUnsettable, Optional, Required, Satisfies, StringParam } from '../../common/validation/validation.js';
import { API_VERSION, EVENT_TYPES } from '../event-types.js';
import { STRIPE_EVENT_TYPES } from '../stripe-event-types.js';

/** Any type Stripe has, as Stripe accepts (an app registers the types it handles); only EVENT_TYPES are ever sent. */
const isEnabledEvent = (type: unknown): boolean => type === '*' || (typeof type === 'string' && STRIPE_EVENT_TYPES.has(type));
const eventsMessage = `Invalid enabled_events: give a list of '*' or Stripe event types; oncepay sends ${EVENT_TYPES.join(', ')}`;
const EnabledEvents = () =>
  Satisfies(
    'isEnabledEvents',
    (types) => !Array.isArray(types) || types.every(isEnabledEvent),
    (types) => Messages.invalidEnabledEvent((types as unknown[]).find((type) => !isEnabledEvent(type)), EVENT_TYPES),
  );

export class CreateWebhookEndpointDto {
  @Required() @StringParam(2048) url: string;
  @Required() @IsArray({ message: eventsMessage }) @ArrayNotEmpty({ message: eventsMessage }) @EnabledEvents()
  enabled_events: string[];
  @Optional() @StringParam(5000) description?: string | null;
  @MetadataParam() metadata?: Record<string, string> | null;
  /** Events are rendered in one version only: asking for another is refused rather than ignored. */
  @Optional() @StringParam(50) @Satisfies('isOurApiVersion', (value) => value === API_VERSION, (value) => Messages.unsupportedApiVersion(value, API_VERSION))
  api_version?: string | null;
  /**
   * `false` (what setup scripts often send) is the only kind oncepay has: with no connected accounts, a
   * Connect endpoint would never receive an event, so `true` is refused rather than ignored.
   */
  @Optional() @BooleanParam() @Satisfies('isNotConnect', (value) => value !== true, () => Messages.connectEndpointUnsupported())
  connect?: boolean | null;
  @ExpandParam() expand?: string[];
}

export class UpdateWebhookEndpointDto {
  @StringParam(2048) @NotUnsettable() url?: string;
  @IsArray({ message: eventsMessage }) @ArrayNotEmpty({ message: eventsMessage }) @EnabledEvents() @NotUnsettable()
  enabled_events?: string[];
  @Optional() @StringParam(5000) description?: string | null;
  @MetadataParam() metadata?: Record<string, string> | null;
  @BooleanParam() @NotUnsettable() disabled?: boolean;
  @ExpandParam() expand?: string[];
}
