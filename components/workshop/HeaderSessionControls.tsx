'use client';

import { timerActive, useLiveSession, useWideScreen } from '@/lib/client/workshop';
import { useBoardContext } from '@/components/board/BoardContext';
import { TimerDisplay } from './TimerDisplay';
import { Hand } from 'lucide-react';
import { useTranslations } from 'next-intl';

/** Header controls for the live session: the shared timer, and for the moderator the raised hands. */
export function HeaderSessionControls() {
  const t = useTranslations('session');
  const { session, role } = useBoardContext();
  const live = useLiveSession(session);
  const hands = live.hands.length;
  // On a phone the header is full: the session bar shows the timer instead.
  if (!useWideScreen()) return null;
  return (
    <>
      {timerActive(live.timer) && (
        <TimerDisplay timer={live.timer} clockOffset={live.clockOffset} />
      )}
      {role === 'moderator' && hands > 0 && (
        <span
          className="inline-flex h-9 items-center gap-1 rounded-lg border border-amber-300 bg-amber-50 px-2.5 text-sm font-semibold text-amber-900"
          title={t('handsCount', { count: hands })}
          aria-label={t('handsCount', { count: hands })}
        >
          <Hand className="size-4" aria-hidden="true" />
          {hands}
        </span>
      )}
    </>
  );
}
