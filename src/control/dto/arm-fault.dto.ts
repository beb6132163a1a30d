import { ValidateBy } from 'class-validator';
import { Messages } from '../../common/errors/messages.js';
import { EnumParam, IntegerParam, Optional, Required, StringParam } from '../../common/validation/validation.js';
import { FAULT_KINDS, type FaultKind } from '../../faults/fault.js';
import { RECOVERY_POINTS, RecoveryPoint } from '../../idempotency/recovery-point.js';

export class ArmFaultDto {
  /** An API path (`/v1/charges`, `/v1/charges/:id/capture`): faults never touch the control API or the dashboard. */
  @Required()
  @StringParam(500)
  @ValidateBy({
    name: 'isApiPath',
    validator: {
      validate: (value) => typeof value === 'string' && /^\/?v1\/./.test(value),
      defaultMessage: (a) => Messages.faultPathNotApi(String(a?.value)),
    },
  })
  path: string;
  @Required() @EnumParam(FAULT_KINDS) fault: FaultKind;
  @Optional() @EnumParam(RECOVERY_POINTS) phase?: RecoveryPoint | null;
  @Optional() @IntegerParam(1, 10_000) count?: number;
}
