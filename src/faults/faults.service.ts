import { Injectable } from '@nestjs/common';
import { newId, nowSeconds } from '../common/ids.js';
import { decodeUnreservedEscapes } from '../common/http/request-context.js';
import type { RecoveryPoint } from '../idempotency/recovery-point.js';
import { Fault, FaultKind, SimulatedCrash } from './fault.js';

export interface ArmFault {
  path: string;
  fault: FaultKind;
  phase?: RecoveryPoint | null;
  count?: number;
}

/**
 * Faults armed through the control API, per account. They live in memory: a fault is a lesson for
 * the next few requests, not data, and a restart (the real crash) clears them.
 */
@Injectable()
export class FaultsService {
  private readonly byAccount = new Map<string, Fault[]>();

  arm(account: string, spec: ArmFault): Fault {
    const fault: Fault = {
      object: 'fault',
      id: newId('flt', 14),
      path: normaliseFaultPath(spec.path),
      fault: spec.fault,
      phase: spec.phase ?? null,
      remaining: spec.count ?? 1,
      created: nowSeconds(),
    };
    const faults = this.byAccount.get(account) ?? [];
    faults.push(fault);
    this.byAccount.set(account, faults);
    return fault;
  }

  list(account: string): Fault[] {
    return [...(this.byAccount.get(account) ?? [])].reverse();
  }

  /** Whether the account has any fault armed (a request that could meet one must take the usual path). */
  anyArmed(account: string): boolean {
    return (this.byAccount.get(account)?.length ?? 0) > 0;
  }

  clear(account: string): void {
    this.byAccount.delete(account);
  }

  /**
   * Consumes one firing of a matching fault. `paths` are the request's concrete path and its route
   * pattern, so `/v1/charges/:id/capture` can be armed once for every charge.
   */
  take(account: string, paths: readonly string[], kind: FaultKind, phase?: string): Fault | null {
    const faults = this.byAccount.get(account);
    if (!faults) return null;
    const index = faults.findIndex(
      (f) => f.fault === kind && paths.includes(f.path) && (kind !== 'crash_after_phase' || f.phase === phase),
    );
    if (index < 0) return null;
    const fault = faults[index];
    fault.remaining -= 1;
    if (fault.remaining <= 0) faults.splice(index, 1);
    return fault;
  }

  /** Crashes the request here if a `crash_after_phase` fault is armed for this phase. */
  crashIfArmed(account: string, paths: readonly string[], phase: string): void {
    if (this.take(account, paths, 'crash_after_phase', phase)) throw new SimulatedCrash(phase);
  }
}

/** `v1/charges/`, `/v1/charges?x`, `/v1/%63harges` → `/v1/charges`: compared as a request's path is. */
export function normaliseFaultPath(path: string): string {
  const clean = decodeUnreservedEscapes(path.split('?')[0]).replace(/\/+$/, '');
  return clean.startsWith('/') ? clean : `/${clean}`;
}
