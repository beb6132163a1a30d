import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { BackgroundSweep } from '../common/background-sweep.js';
import { IdempotencyKeyStore } from './idempotency-key.store.js';

/**
 * Deletes keys older than IDEMPOTENCY_KEY_TTL_HOURS (Stripe keeps them at least 24 hours). It works in
 * small batches, one transaction each, and rests between them, so a million expired keys never hold
 * the single connection long enough to stall requests.
 */
@Injectable()
export class IdempotencyReaper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('IdempotencyReaper');
  private readonly sweeper: BackgroundSweep<number>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: TransactionRunner,
    private readonly keys: IdempotencyKeyStore,
  ) {
    this.sweeper = new BackgroundSweep(config.reaperIntervalMs, (now) => this.sweep(now));
  }

  onApplicationBootstrap(): void {
    this.sweeper.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.sweeper.stop();
  }

  /** Runs one sweep (or joins the one in progress); resolves to the number of keys deleted. */
  reapExpired(now = Date.now()): Promise<number> {
    return this.sweeper.run(now);
  }

  private async sweep(now: number): Promise<number> {
    const cutoff = now - this.config.idempotencyKeyTtlHours * 3_600_000;
    let total = 0;
    // Whether requests were served during the last rest; assumed at first.
    let busy = true;
    try {
      for (;;) {
        if (this.sweeper.isStopped) break;
        const started = performance.now();
        const deleted = this.db.runNow((tx) => this.keys.reapBatch(tx, cutoff, this.config.reaperBatchSize));
        total += deleted;
        if (deleted < this.config.reaperBatchSize) break;
        // Rest after each batch: nine times as long as it took while requests are being served (a tenth
        // of the thread), as long again when nobody is asking (half). Merely yielding is not enough: a
        // batch between two turns delays every request those turns serve, and a quarter of the thread
        // still added a quarter to every request's latency.
        const activity = this.db.activity;
        await sleep(Math.max(1, (busy ? 9 : 1) * (performance.now() - started)));
        busy = this.db.activity !== activity;
      }
    } catch (error) {
      this.logger.error('reaping expired idempotency keys failed', (error as Error).stack);
    }
    if (total) this.logger.log(`deleted ${total} expired idempotency keys`);
    return total;
  }
}
