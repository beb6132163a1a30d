import { Global, Module } from '@nestjs/common';
import { AtomicPhaseRunner } from './atomic-phase-runner.js';
import { IdempotencyKeyStore } from './idempotency-key.store.js';
import { IdempotencyReaper } from './idempotency-reaper.js';
import { IdempotencyCompleter } from './idempotency-completer.js';
import { RememberedReplays } from './remembered-replays.js';
import { ResumableEndpoints } from './resumable-endpoints.js';

@Global()
@Module({
  providers: [IdempotencyKeyStore, AtomicPhaseRunner, IdempotencyReaper, IdempotencyCompleter, ResumableEndpoints, RememberedReplays],
  exports: [IdempotencyKeyStore, AtomicPhaseRunner, IdempotencyReaper, IdempotencyCompleter, ResumableEndpoints],
})
export class IdempotencyModule {}
