import { constants } from 'node:os';

/** Signals that ask the server to stop: Ctrl-C, `kill`, the terminal closing. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

interface Stoppable {
  close(): Promise<void>;
}

type SignalTarget = Pick<NodeJS.Process, 'on' | 'exit'>;

/**
 * The first Ctrl-C (or SIGTERM, SIGHUP) stops the server gracefully: the requests in flight are answered,
 * webhooks being sent are cut short (sent again at the next start), the WAL is checkpointed; then the
 * process exits as the signal would have ended it (130 for Ctrl-C). A second one while that waits ends
 * the process at once, as a terminal's user expects. Nothing acknowledged is lost either way: what was
 * committed is in SQLite's WAL, and what was in flight can be retried with its key.
 */
export function stopOnSignals(app: Stoppable, target: SignalTarget = process, warn = (line: string) => console.error(line)): void {
  let stopping = false;
  for (const signal of STOP_SIGNALS) {
    target.on(signal, () => {
      const code = 128 + constants.signals[signal];
      if (stopping) {
        warn('oncepay: stopping now, without waiting for the requests in flight');
        target.exit(code);
        return;
      }
      stopping = true;
      app.close().then(
        () => target.exit(code),
        (error: unknown) => {
          warn(`oncepay: stopping failed: ${(error as Error)?.stack ?? error}`);
          target.exit(1);
        },
      );
    });
  }
}
