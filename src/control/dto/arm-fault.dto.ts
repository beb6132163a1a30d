import { EnumParam, IntegerParam, Optional, Required, StringParam } from '../../common/validation/validation.js';
import { FAULT_KINDS, type FaultKind } from '../../faults/fault.js';
import { RECOVERY_POINTS, RecoveryPoint } from '../../idempotency/recovery-point.js';

export class ArmFaultDto {
  @Required() @StringParam(500) path: string;
  @Required() @EnumParam(FAULT_KINDS) fault: FaultKind;
  @Optional() @EnumParam(RECOVERY_POINTS) phase?: RecoveryPoint | null;
  @Optional() @IntegerParam(1, 10_000) count?: number;
}
