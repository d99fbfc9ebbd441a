'use client';

import { useTranslations } from 'next-intl';
import type { ConnectionState } from '@/lib/client/boardSession';

const LOOK: Record<ConnectionState['state'], { dot: string; text: string }> = {
  connecting: { dot: 'bg-amber-400 animate-pulse', text: 'text-muted' },
  live: { dot: 'bg-emerald-500', text: 'text-emerald-800' },
  offline: { dot: 'bg-amber-500', text: 'text-amber-800' },
  paused: { dot: 'bg-amber-500', text: 'text-amber-800' },
  error: { dot: 'bg-danger', text: 'text-danger' },
};

/**
 * A small pill: connecting / live / offline / saving paused / error, with the reason as text and
 * tooltip.
 */
export function ConnectionStatus({ connection }: { connection: ConnectionState }) {
  const t = useTranslations('connection');
  const look = LOOK[connection.state];
  const label = t(connection.state);
  const reason = 'reason' in connection ? connection.reason : null;
  const description =
    connection.state === 'live'
      ? t('liveDescription')
      : connection.state === 'connecting'
        ? t('connectingDescription')
        : (reason ?? label);
  return (
    <span
      data-testid="connection-status"
      data-state={connection.state}
      role="status"
      title={description}
      className={`inline-flex max-w-[16rem] shrink-0 items-center gap-2 rounded-full border border-line bg-surface px-2.5 py-1 text-xs font-medium ${look.text}`}
    >
      <span className={`size-2 shrink-0 rounded-full ${look.dot}`} aria-hidden="true" />
      <span className="truncate">
        {connection.state === 'error' && reason ? t('errorReason', { reason }) : label}
      </span>
      <span className="sr-only">{description}</span>
    </span>
  );
}
