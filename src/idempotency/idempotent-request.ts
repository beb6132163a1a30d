import type { RecoveryPoint } from './recovery-point.js';

/**
 * The in-memory handle on a key this request holds the lock of. The phase runner advances it; the
 * interceptor reads it to decide what to do with the key if the request fails.
 */
export interface IdempotentRequest {
  /** The key row's rowid: the phases' writes find the row by it rather than through the (account, key) index. */
  seq: number;
  account: string;
  key: string;
  /** The lock's value in the row; every write checks it, so a request whose lock was taken over cannot write. */
  lockedAt: number;
  recoveryPoint: RecoveryPoint;
  resourceId: string | null;
  /** True when this request inserted the key (not a resumption of an earlier attempt). */
  fresh: boolean;
  /** Set once the first phase starts: from then on the key records work and is never released. */
  phasesStarted: boolean;
}
