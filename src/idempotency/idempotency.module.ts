import { Global, Module } from '@nestjs/common';
import { AtomicPhaseRunner } from './atomic-phase-runner.js';
import { IdempotencyKeyStore } from './idempotency-key.store.js';
import { IdempotencyReaper } from './idempotency-reaper.js';

@Global()
@Module({
  providers: [IdempotencyKeyStore, AtomicPhaseRunner, IdempotencyReaper],
  exports: [IdempotencyKeyStore, AtomicPhaseRunner, IdempotencyReaper],
})
export class IdempotencyModule {}
