import { describe, expect, it } from 'vitest';
import { formatClock, timerRemaining } from './workshop';

describe('the shared timer as a participant sees it', () => {
  const fresh = { durationMs: 300_000, endsAt: 1_300_000, remainingMs: 300_000, running: true };

  it('never shows more than the time left when it was started, whatever the clock offset', () => {
    // This browser's offset estimate is 40 ms behind the truth, just after the start.
    expect(timerRemaining(fresh, -40, 1_000_000)).toBe(300_000);
    expect(formatClock(timerRemaining(fresh, -40, 1_000_000))).toBe('05:00');
  });

  it('counts down in server time and stops at zero', () => {
    expect(timerRemaining(fresh, 500, 1_100_000)).toBe(199_500);
    expect(formatClock(199_500)).toBe('03:20');
    expect(timerRemaining(fresh, 0, 2_000_000)).toBe(0);
  });

  it('a paused timer shows what it had left', () => {
    expect(
      timerRemaining({ ...fresh, running: false, endsAt: null, remainingMs: 61_200 }, 9, 0),
    ).toBe(61_200);
    expect(formatClock(61_200)).toBe('01:02');
  });
});
