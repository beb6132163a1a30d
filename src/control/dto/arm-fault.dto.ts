import { Messages } from '../../common/errors/messages.js';
import { EnumParam, IntegerParam, Optional, Required, Satisfies, StringParam } from '../../common/validation/validation.js';
import { FAULT_KINDS, type FaultKind } from '../../faults/fault.js';
import { RECOVERY_POINTS, RecoveryPoint } from '../../idempotency/recovery-point.js';

export class ArmFaultDto {
  /** An API path (`/v1/charges`, `/v1/charges/:id/capture`): faults never touch the control API or the dashboard. */
  @Required()
  @StringParam(500)
  @Satisfies('isApiPath', (value) => typeof value === 'string' && /^\/?v1\/./.test(value), (value) => Messages.faultPathNotApi(String(value)))
  path: string;
  @Required() @EnumParam(FAULT_KINDS) fault: FaultKind;
  @Optional() @EnumParam(RECOVERY_POINTS) phase?: RecoveryPoint | null;
  @Optional() @IntegerParam(1, 10_000) count?: number;
}
