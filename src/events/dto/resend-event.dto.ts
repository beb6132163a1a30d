import { Optional, StringParam } from '../../common/validation/validation.js';

export class ResendEventDto {
  /** Only to this endpoint; default: every enabled endpoint that wants the event's type. */
  @Optional() @StringParam(255) endpoint?: string | null;
}
