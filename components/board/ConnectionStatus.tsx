import type { ConnectionState } from '@/lib/client/boardSession';

const LOOK: Record<ConnectionState['state'], { label: string; dot: string; text: string }> = {
  connecting: { label: 'Connecting…', dot: 'bg-amber-400 animate-pulse', text: 'text-muted' },
  live: { label: 'Live', dot: 'bg-emerald-500', text: 'text-emerald-800' },
  offline: { label: 'Offline', dot: 'bg-amber-500', text: 'text-amber-800' },
  paused: { label: 'Saving paused', dot: 'bg-amber-500', text: 'text-amber-800' },
  error: { label: 'Disconnected', dot: 'bg-danger', text: 'text-danger' },
};

/**
 * A small pill: connecting / live / offline / saving paused / error, with the reason as text and
 * tooltip.
 */
export function ConnectionStatus({ connection }: { connection: ConnectionState }) {
  const look = LOOK[connection.state];
  const reason = 'reason' in connection ? connection.reason : null;
  const description =
    connection.state === 'live'
      ? 'Connected: changes are shared with everyone on the board.'
      : connection.state === 'connecting'
        ? 'Connecting to the board…'
        : (reason ?? look.label);
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
        {connection.state === 'error' && reason ? `Error: ${reason}` : look.label}
      </span>
      <span className="sr-only">{description}</span>
    </span>
  );
}
