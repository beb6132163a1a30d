import { ArrayNotEmpty, IsArray, IsIn, IsOptional } from 'class-validator';
import { Messages } from '../../common/errors/messages.js';
import { BooleanParam, ExpandParam, MetadataParam, NotUnsettable, Optional, Required, Satisfies, StringParam } from '../../common/validation/validation.js';
import { API_VERSION, EVENT_TYPES } from '../event-types.js';

const ENABLED_EVENTS = ['*', ...EVENT_TYPES];
const eventsMessage = `Invalid enabled_events: each must be '*' or one of ${EVENT_TYPES.join(', ')}`;

export class CreateWebhookEndpointDto {
  @Required() @StringParam(2048) url: string;
  @Required() @IsArray({ message: eventsMessage }) @ArrayNotEmpty({ message: eventsMessage }) @IsIn(ENABLED_EVENTS, { each: true, message: eventsMessage })
  enabled_events: string[];
  @Optional() @StringParam(5000) description?: string | null;
  @MetadataParam() metadata?: Record<string, string> | null;
  /** Events are rendered in one version only: asking for another is refused rather than ignored. */
  @Optional() @StringParam(50) @Satisfies('isOurApiVersion', (value) => value === API_VERSION, (value) => Messages.unsupportedApiVersion(value, API_VERSION))
  api_version?: string | null;
  @ExpandParam() expand?: string[];
}

export class UpdateWebhookEndpointDto {
  @StringParam(2048) @NotUnsettable() url?: string;
  @IsOptional() @IsArray({ message: eventsMessage }) @ArrayNotEmpty({ message: eventsMessage }) @IsIn(ENABLED_EVENTS, { each: true, message: eventsMessage })
  enabled_events?: string[];
  @Optional() @StringParam(5000) description?: string | null;
  @MetadataParam() metadata?: Record<string, string> | null;
  @BooleanParam() @NotUnsettable() disabled?: boolean;
  @ExpandParam() expand?: string[];
}
