import { ArrayNotEmpty, IsArray, IsIn, IsOptional } from 'class-validator';
import { BooleanParam, ExpandParam, MetadataParam, NotUnsettable, Optional, Required, StringParam } from '../../common/validation/validation.js';
import { EVENT_TYPES } from '../event-types.js';

const ENABLED_EVENTS = ['*', ...EVENT_TYPES];
const eventsMessage = `Invalid enabled_events: each must be '*' or one of ${EVENT_TYPES.join(', ')}`;

export class CreateWebhookEndpointDto {
  @Required() @StringParam(2048) url: string;
  @Required() @IsArray({ message: eventsMessage }) @ArrayNotEmpty({ message: eventsMessage }) @IsIn(ENABLED_EVENTS, { each: true, message: eventsMessage })
  enabled_events: string[];
  @Optional() @StringParam(5000) description?: string | null;
  @MetadataParam() metadata?: Record<string, string> | null;
  @Optional() @StringParam(50) api_version?: string | null;
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
