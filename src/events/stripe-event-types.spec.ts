import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { EVENT_TYPES } from './event-types.js';
import { STRIPE_EVENT_TYPES } from './stripe-event-types.js';

describe('STRIPE_EVENT_TYPES', () => {
  it('is what the installed stripe SDK declares (regenerate with scripts/stripe-event-types.mjs after an upgrade)', () => {
    expect(() => execFileSync(process.execPath, ['scripts/stripe-event-types.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('holds every type oncepay sends', () => {
    expect(EVENT_TYPES.filter((type) => !STRIPE_EVENT_TYPES.has(type))).toEqual([]);
  });
});
