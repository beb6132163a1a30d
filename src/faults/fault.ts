import { RecoveryPoint } from '../idempotency/recovery-point.js';

export const FAULT_KINDS = ['drop_response', 'processor_timeout', 'crash_after_phase'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** A fault armed on an endpoint of one account; it fires `remaining` more times. */
export interface Fault {
  object: 'fault';
  id: string;
  path: string;
  fault: FaultKind;
  phase: RecoveryPoint | null;
  remaining: number;
  created: number;
}

/**
 * Thrown where a `crash_after_phase` fault fires: the request stops as if the process had died right
 * after that commit. Nothing answers, and the key stays locked until its lock times out.
 */
export class SimulatedCrash extends Error {
  constructor(readonly phase: string) {
    super(`simulated crash after phase ${phase}`);
  }
}
