import { describe, expect, it } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import { RouteFlag } from './route-flag.js';

const FLAG = new RouteFlag('test:flag');
const Flagged = FLAG.decorator;

class Plain {
  marked(): void {}
  unmarked(): void {}
}
Flagged()(Plain.prototype, 'marked', Object.getOwnPropertyDescriptor(Plain.prototype, 'marked')!);

@Flagged()
class AllMarked {
  any(): void {}
}

const contextOf = (controller: object, handler: unknown) =>
  ({ getClass: () => controller, getHandler: () => handler }) as unknown as ExecutionContext;

describe('RouteFlag', () => {
  it('is set on the route it decorates and not on its neighbour, however often it is asked', () => {
    for (let i = 0; i < 3; i++) {
      expect(FLAG.isSetOn(contextOf(Plain, Plain.prototype.marked))).toBe(true);
      expect(FLAG.isSetOn(contextOf(Plain, Plain.prototype.unmarked))).toBe(false);
    }
  });

  it('is set on every route of a decorated controller, and remembered per controller', () => {
    expect(FLAG.isSetOn(contextOf(AllMarked, AllMarked.prototype.any))).toBe(true);
    // One handler function served by two controllers: the answer for one is not the other's.
    expect(FLAG.isSetOn(contextOf(Plain, AllMarked.prototype.any))).toBe(false);
    expect(FLAG.isSetOn(contextOf(AllMarked, Plain.prototype.unmarked))).toBe(true);
  });
});
