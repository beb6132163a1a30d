import { Injectable, Logger } from '@nestjs/common';
import { ApiResponse } from '../common/http/api-response.js';
import type { RequestContext } from '../common/http/request-context.js';
import { ObjectBusyError, StripeError } from '../common/errors/stripe-error.js';
import { TransactionRunner, Tx } from '../database/transaction-runner.js';
import { SimulatedCrash } from '../faults/fault.js';
import { FaultsService } from '../faults/faults.service.js';
import { IdempotencyKeyStore, LockLostError } from './idempotency-key.store.js';
import type { IdempotentRequest } from './idempotent-request.js';
import { RecoveryPoint } from './recovery-point.js';

/** What a phase decided: move the key to the next recovery point, or finish with this answer. */
export type PhaseOutcome =
  | { kind: 'advance'; to: RecoveryPoint; resourceId?: string }
  | { kind: 'respond'; response: ApiResponse };

export const advance = (to: RecoveryPoint, resourceId?: string): PhaseOutcome => ({ kind: 'advance', to, resourceId });
export const respond = (response: ApiResponse): PhaseOutcome => ({ kind: 'respond', response });

/** Where the work stands when a phase starts; comes from the key row when a request resumes. */
export interface PhaseState {
  recoveryPoint: RecoveryPoint;
  /** The object the earlier phases created (the pending charge), if any. */
  resourceId: string | null;
}

/**
 * One step of an endpoint. `foreign` talks to the outside world (the card network) and runs outside
 * any transaction; `atomic` then does the local writes, and the runner advances the key in the same commit.
 */
export interface Phase<F = void> {
  foreign?: (state: PhaseState) => Promise<F>;
  atomic: (tx: Tx, state: PhaseState, foreign: F) => PhaseOutcome;
}

/** The phases of an endpoint, keyed by the recovery point each one starts from. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PhasePlan = Partial<Record<RecoveryPoint, Phase<any>>>;

/**
 * Runs an endpoint as a chain of atomic phases (Brandur Leach's "atomic phases with recovery points").
 * Each phase is one transaction that does its writes and moves the key in the same commit; the final
 * phase stores the response and unlocks in that commit too. Without an Idempotency-Key the same
 * phases run and only the key row is absent.
 */
@Injectable()
export class AtomicPhaseRunner {
  private readonly logger = new Logger('AtomicPhaseRunner');

  constructor(
    private readonly db: TransactionRunner,
    private readonly keys: IdempotencyKeyStore,
    private readonly faults: FaultsService,
  ) {}

  /**
   * `resumeFrom` is for work without a key (the completer finishing what a keyless request left
   * pending): with a key, the key row says where to resume.
   */
  async run(ctx: RequestContext, plan: PhasePlan, resumeFrom?: PhaseState): Promise<ApiResponse> {
    const key = ctx.idempotency;
    const state: PhaseState = key
      ? { recoveryPoint: key.recoveryPoint, resourceId: key.resourceId }
      : (resumeFrom ?? { recoveryPoint: RecoveryPoint.Started, resourceId: null });
    if (key) key.phasesStarted = true;

    try {
      // The key phase committed `started`: a crash armed there stops the request before any work.
      if (key ? key.fresh : !resumeFrom) this.faults.crashIfArmed(ctx.account, ctx.paths, RecoveryPoint.Started);
      for (;;) {
        const phase = plan[state.recoveryPoint];
        if (!phase) throw new Error(`no phase starts at recovery point '${state.recoveryPoint}'`);
        const foreign = phase.foreign ? await phase.foreign({ ...state }) : undefined;
        const outcome = await this.db.run((tx) => {
          const decided = phase.atomic(tx, { ...state }, foreign);
          this.record(tx, key, decided);
          return decided;
        });
        if (outcome.kind === 'respond') {
          this.faults.crashIfArmed(ctx.account, ctx.paths, RecoveryPoint.Finished);
          return outcome.response;
        }
        state.recoveryPoint = outcome.to;
        state.resourceId = outcome.resourceId ?? state.resourceId;
        if (key) Object.assign(key, state);
        this.faults.crashIfArmed(ctx.account, ctx.paths, outcome.to);
      }
    } catch (error) {
      return await this.fail(key, error);
    }
  }

  private record(tx: Tx, key: IdempotentRequest | null, outcome: PhaseOutcome): void {
    if (!key) return;
    if (outcome.kind === 'advance') this.keys.advance(tx, key, outcome.to, outcome.resourceId ?? key.resourceId);
    else this.keys.finish(tx, key, outcome.response);
  }

  /**
   * A phase failed and its transaction rolled back. A client error (404, over-refund, …) is the final
   * answer and is stored like any other; anything else may be transient, so the key is unlocked at its
   * recovery point for a retry (or the completer) to resume. A simulated crash touches nothing.
   */
  private async fail(key: IdempotentRequest | null, error: unknown): Promise<ApiResponse> {
    if (error instanceof SimulatedCrash || error instanceof LockLostError) throw error;
    if (error instanceof ObjectBusyError) {
      // No answer yet, so none is stored: a key this request made is forgotten if no phase committed, so
      // that a retry starts afresh; one it took over (a retry, the completer) is unlocked where it stands,
      // still owed, for the next retry or sweep.
      if (key) await this.db.run((tx) => (key.fresh && key.recoveryPoint === RecoveryPoint.Started ? this.keys.release(tx, key) : this.keys.unlock(tx, key)));
      throw error;
    }
    if (error instanceof StripeError && error.status < 500) {
      const response = ApiResponse.fromError(error);
      if (key) await this.db.run((tx) => this.keys.finish(tx, key, response));
      return response;
    }
    if (key) {
      try {
        await this.db.run((tx) => this.keys.unlock(tx, key));
      } catch (unlockError) {
        this.logger.error(`could not unlock key ${key.key}`, (unlockError as Error).stack);
      }
    }
    throw error;
  }
}
