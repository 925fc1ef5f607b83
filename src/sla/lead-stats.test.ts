import { describe, expect, it } from 'vitest';
import { mergeTouchGap, type NewTouches } from './lead-stats.ts';

const h = 3_600_000;
const touches = (firstAt: number | null, gapWithin: number | null, inOrder = true): NewTouches => ({
  firstAt,
  gapWithin,
  inOrder,
});

describe('mergeTouchGap', () => {
  it.each([
    [
      'no new touch keeps the stored gap',
      { lastTouchAt: 10 * h, maxGapMs: 4 * h },
      touches(null, null),
      4 * h,
      true,
    ],
    ['no stored row, one touch: no gap yet', undefined, touches(5 * h, null), null, true],
    ['no stored row, touches in order: the gap among them', undefined, touches(5 * h, 3 * h), 3 * h, true],
    [
      'no stored touch (responses only) counts like no row',
      { lastTouchAt: null, maxGapMs: null },
      touches(5 * h, 2 * h),
      2 * h,
      true,
    ],
    [
      'first new touch after the last: that gap if larger',
      { lastTouchAt: 10 * h, maxGapMs: 4 * h },
      touches(20 * h, 1 * h),
      10 * h,
      true,
    ],
    [
      'the stored gap if larger',
      { lastTouchAt: 10 * h, maxGapMs: 40 * h },
      touches(20 * h, 1 * h),
      40 * h,
      true,
    ],
    [
      'the gap among the new touches if larger',
      { lastTouchAt: 10 * h, maxGapMs: 4 * h },
      touches(11 * h, 30 * h),
      30 * h,
      true,
    ],
    [
      'one stored touch, then a later one',
      { lastTouchAt: 10 * h, maxGapMs: null },
      touches(12 * h, null),
      2 * h,
      true,
    ],
    [
      'a touch at the same time as the last: gap 0',
      { lastTouchAt: 10 * h, maxGapMs: null },
      touches(10 * h, null),
      0,
      true,
    ],
    [
      'a touch before the stored last needs a recount',
      { lastTouchAt: 10 * h, maxGapMs: 4 * h },
      touches(9 * h, null),
      4 * h,
      false,
    ],
    ['new touches out of order need a recount', undefined, touches(1 * h, 2 * h, false), null, false],
  ] as const)('%s', (_, stored, t, maxGapMs, exact) => {
    expect(mergeTouchGap(stored, t)).toEqual({ maxGapMs, exact });
  });
});
