import { describe, expect, it } from '@jest/globals';
import { EventEmitter } from 'node:events';
import { stopOnSignals } from './stop-on-signals.js';

/** A process stand-in: signals are emitted by hand, and exit is recorded instead of ending the test run. */
function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  return { emitter, exits, target: { on: emitter.on.bind(emitter), exit: (code?: number) => void exits.push(code ?? 0) } as never };
}

function closingApp() {
  let finish!: () => void;
  const app = { closes: 0, close: () => ((app.closes += 1), new Promise<void>((resolve) => (finish = resolve))) };
  return { app, finish: () => finish() };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('stopping on signals', () => {
  it('closes the app on the first Ctrl-C and exits as the signal would, once it is closed', async () => {
    const { emitter, exits, target } = fakeProcess();
    const { app, finish } = closingApp();
    const warnings: string[] = [];
    stopOnSignals(app, target, (line) => warnings.push(line));
    emitter.emit('SIGINT');
    await tick();
    expect([app.closes, exits]).toEqual([1, []]);
    finish();
    await tick();
    expect(exits).toEqual([130]);
    expect(warnings).toEqual([]);
  });

  it('exits at once on a second signal while the close waits', async () => {
    const { emitter, exits, target } = fakeProcess();
    const { app } = closingApp();
    const warnings: string[] = [];
    stopOnSignals(app, target, (line) => warnings.push(line));
    emitter.emit('SIGTERM');
    emitter.emit('SIGINT');
    expect(app.closes).toBe(1);
    expect(exits).toEqual([130]);
    expect(warnings).toEqual(['oncepay: stopping now, without waiting for the requests in flight']);
  });

  it('exits with 1, saying why, when the close fails', async () => {
    const { emitter, exits, target } = fakeProcess();
    const warnings: string[] = [];
    stopOnSignals({ close: () => Promise.reject(new Error('disk gone')) }, target, (line) => warnings.push(line));
    emitter.emit('SIGHUP');
    await tick();
    expect(exits).toEqual([1]);
    expect(warnings[0]).toContain('stopping failed: Error: disk gone');
  });
});
