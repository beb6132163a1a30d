import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { newId } from '../common/ids.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { SimulatedCrash } from '../faults/fault.js';
import { BackgroundSweep } from '../common/background-sweep.js';
import { IdempotencyKeyStore } from './idempotency-key.store.js';
import type { IdempotentRequest } from './idempotent-request.js';
import { ResumableEndpoints } from './resumable-endpoints.js';

/** Keys finished per sweep: bounded so one sweep never monopolises the event loop. */
const BATCH = 50;

/**
 * Finishes work its client abandoned: an unfinished key, idle for COMPLETER_AFTER_MS, unlocked (an
 * ambiguous failure) or with an expired lock (a crash). It takes the lock like a retry would and
 * resumes from the recovery point, so money is never left half-moved when the client gives up.
 */
@Injectable()
export class IdempotencyCompleter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('IdempotencyCompleter');
  private readonly sweeper: BackgroundSweep<number>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: TransactionRunner,
    private readonly keys: IdempotencyKeyStore,
    private readonly endpoints: ResumableEndpoints,
  ) {
    this.sweeper = new BackgroundSweep(config.completerIntervalMs, (now) => this.sweep(now));
  }

  onApplicationBootstrap(): void {
    this.sweeper.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.sweeper.stop();
  }

  /** One sweep (or the one in progress); resolves to the number of keys it finished. */
  completeAbandoned(now = Date.now()): Promise<number> {
    return this.sweeper.run(now);
  }

  private async sweep(now: number): Promise<number> {
    const abandoned = this.db.read((tx) =>
      this.keys.findAbandoned(tx, now - this.config.completerAfterMs, now - this.config.idempotencyLockTimeoutMs, BATCH),
    );
    let finished = 0;
    for (const row of abandoned) {
      const endpoint = this.endpoints.match(row.request_path);
      if (!endpoint) continue;
      let held: IdempotentRequest;
      try {
        held = await this.db.run((tx) => this.keys.takeOver(tx, row));
      } catch {
        continue; // a retry took it first: it will finish the work itself
      }
      const ctx = { account: row.account, requestId: newId('req', 14), idempotency: held, paths: [row.request_path, endpoint.pattern] };
      try {
        await endpoint.resume(ctx, JSON.parse(row.request_params), endpoint.pathParams);
        finished++;
      } catch (error) {
        if (!held.phasesStarted) await this.db.run((tx) => this.keys.unlock(tx, held));
        if (!(error instanceof SimulatedCrash)) {
          this.logger.warn(`could not complete key ${row.key} at ${row.recovery_point}: ${(error as Error).message}`);
        }
      }
    }
    finished += await this.finishKeylessWork(now);
    if (finished) this.logger.log(`completed ${finished} abandoned requests`);
    return finished;
  }

  /** Charges and refunds a keyless request left unfinished: resumed from the resource, once old enough. */
  private async finishKeylessWork(now: number): Promise<number> {
    const createdBefore = Math.floor((now - this.config.completerAfterMs) / 1000);
    let finished = 0;
    for (const work of this.endpoints.keylessWork()) {
      const pending = this.db
        // As many more as may be skipped below, so that those skipped do not hide the rest for a sweep.
        .read((tx) => work.find(tx, createdBefore, BATCH + work.inFlight.size))
        // A request still working on one finishes it itself: the completer neither takes it over nor queues behind it.
        .filter(({ account, id }) => !work.inFlight.has(account, id))
        .slice(0, BATCH);
      for (const { account, id } of pending) {
        try {
          await work.resume({ account, requestId: newId('req', 14), idempotency: null, paths: [work.path] }, id);
          finished++;
        } catch (error) {
          if (!(error instanceof SimulatedCrash)) this.logger.warn(`could not complete ${id}: ${(error as Error).message}`);
        }
      }
    }
    return finished;
  }
}
