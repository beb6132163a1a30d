/**
 * Where an idempotent request has got to. Each atomic phase commits its writes together with the move
 * to the next point, so a retry (or the completer) resumes exactly after the last committed phase.
 */
export enum RecoveryPoint {
  Started = 'started',
  ChargeCreated = 'charge_created',
  PaymentProcessed = 'payment_processed',
  CaptureRequested = 'capture_requested',
  RefundCreated = 'refund_created',
  RefundProcessed = 'refund_processed',
  Finished = 'finished',
}

export const RECOVERY_POINTS: readonly string[] = Object.values(RecoveryPoint);
