/**
 * A periodic background job that never overlaps itself: a tick (or an explicit call) while a sweep is
 * running joins that sweep instead of starting a second one. The timer is unref'd so it never keeps
 * the process alive, and `stop` waits for the sweep in progress, so shutdown never cuts one in half.
 */
export class BackgroundSweep<T> {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<T> | null = null;
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly sweep: (now: number) => Promise<T>,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.run(), this.intervalMs);
    this.timer.unref();
  }

  /** True once `stop` was called: a long sweep checks it between batches. */
  get isStopped(): boolean {
    return this.stopped;
  }

  run(now = Date.now()): Promise<T> {
    this.running ??= this.sweep(now).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
