'use client';

import type { TimerState } from '@/lib/protocol';
import { formatClock, timerRemaining, useNow } from '@/lib/client/workshop';
import { useTranslations } from 'next-intl';
import { Timer } from 'lucide-react';

/** Seconds left below which the timer is gently emphasised. */
export const TIMER_EMPHASIS_MS = 30_000;

/** The shared countdown as mm:ss, in server time (corrected by the measured clock offset). */
export function TimerDisplay({
  timer,
  clockOffset,
  size = 'header',
}: {
  timer: TimerState;
  clockOffset: number;
  /** `bar`: the phone's session bar, the height of its buttons (so the row never grows). */
  size?: 'header' | 'bar' | 'projector';
}) {
  const t = useTranslations('session');
  const now = useNow(timer.running);
  const left = timerRemaining(timer, clockOffset, now);
  const ending = timer.running && left <= TIMER_EMPHASIS_MS;
  const done = left === 0;
  const state = done ? 'done' : ending ? 'ending' : timer.running ? 'running' : 'paused';
  const label = t(timer.running ? 'timerRunning' : done ? 'timerDone' : 'timerPaused', {
    clock: formatClock(left),
  });
  if (size === 'projector') {
    return (
      <div
        data-testid="timer-display"
        data-state={state}
        role="timer"
        aria-label={label}
        className={`workshop-timer rounded-2xl px-6 py-1 font-mono text-7xl font-semibold tabular-nums tracking-tight ${
          done ? 'bg-danger/10 text-danger' : ending ? 'bg-amber-100 text-amber-900' : 'text-ink'
        }`}
      >
        {formatClock(left)}
      </div>
    );
  }
  return (
    <span
      data-testid="timer-display"
      data-state={state}
      role="timer"
      aria-label={label}
      className={`workshop-timer inline-flex shrink-0 ${size === 'bar' ? 'h-8 px-2' : 'h-9 px-2.5'} items-center gap-1.5 rounded-lg border font-mono text-sm font-semibold tabular-nums ${
        done
          ? 'border-danger/30 bg-danger/5 text-danger'
          : ending
            ? 'border-amber-300 bg-amber-50 text-amber-900'
            : timer.running
              ? 'border-line bg-surface text-ink'
              : 'border-line bg-canvas text-muted'
      }`}
    >
      <Timer className={size === 'bar' ? 'hidden' : 'size-3.5'} aria-hidden="true" />
      {formatClock(left)}
    </span>
  );
}
