'use client';

import { useTranslations } from 'next-intl';
import { memo, useMemo, type ReactNode } from 'react';
import { LanguageSwitch } from '@/components/ui/LanguageSwitch';
import { Logo } from '@/components/ui/Logo';
import type { ConnectionState, PeerPresence } from '@/lib/client/boardSession';
import { presentCount, presentPeople } from '@/lib/client/presence';
import type { Participant, Role, RosterEntry } from '@/lib/protocol';
import type { BoardParticipant } from '@/lib/client/identity';
import { ConnectionStatus } from './ConnectionStatus';
import { PresenceAvatars } from './PresenceAvatars';
import { ShareButton } from './ShareButton';
import { Pencil } from 'lucide-react';

interface BoardHeaderProps {
  boardId: string;
  token: string | null;
  /** This person as the server issued them (null until their credential arrives). */
  me: BoardParticipant | null;
  role: Role;
  title: string;
  connection: ConnectionState;
  roster: readonly RosterEntry[] | null;
  /** Distinct people the live session counts (the roster lists only a few of a large room). */
  roomPeople: number;
  peers: readonly PeerPresence[];
  identity: Participant | null;
  onChangeIdentity: () => void;
  /** Feature controls (timer, undo/redo...) shown before the avatars. */
  extras?: ReactNode;
}

function BoardHeaderView({
  boardId,
  token,
  me,
  role,
  title,
  connection,
  roster,
  roomPeople,
  peers,
  identity,
  onChangeIdentity,
  extras,
}: BoardHeaderProps) {
  const t = useTranslations('board');
  const people = useMemo(
    () => presentPeople(roster, peers, identity ? { ...identity, id: me?.id ?? null } : null),
    [roster, peers, identity, me],
  );
  return (
    <header className="border-b border-line bg-surface">
      <div className="mx-auto flex max-w-[1600px] flex-wrap items-center gap-x-3 gap-y-2 px-4 py-3 sm:px-6">
        <div className="flex min-w-0 basis-full items-center gap-3 sm:flex-initial sm:basis-auto">
          <Logo compact />
          <h1
            className="truncate text-lg font-semibold tracking-tight sm:text-xl"
            data-testid="board-title"
            dir="auto"
            title={title}
          >
            {title}
          </h1>
        </div>
        <ConnectionStatus connection={connection} />
        {role !== 'editor' && (
          <span
            className="hidden shrink-0 rounded-full bg-canvas px-2.5 py-1 text-xs font-medium text-muted md:inline"
            data-testid="role-badge"
          >
            {t(`role.${role}`)}
          </span>
        )}
        <span className="flex-1" />
        <div className="flex items-center gap-3">
          {extras}
          <PresenceAvatars
            people={people}
            count={roster ? presentCount(people, roomPeople) : people.length}
            onSelfClick={identity ? onChangeIdentity : undefined}
          />
          <LanguageSwitch compact />
          <ShareButton boardId={boardId} token={token} role={role} />
          {identity && (
            <button
              type="button"
              onClick={onChangeIdentity}
              data-testid="identity-button"
              className="hidden h-9 items-center gap-2 rounded-lg border border-line px-3 text-sm hover:bg-canvas lg:inline-flex"
              title={t('changeIdentity')}
            >
              <span
                className="size-2.5 shrink-0 rounded-full"
                style={{ backgroundColor: identity.color }}
                aria-hidden="true"
              />
              <span className="max-w-[10rem] truncate" title={identity.name}>
                {identity.name}
              </span>
              <Pencil className="size-3.5 text-muted" aria-hidden="true" />
            </button>
          )}
        </div>
      </div>
    </header>
  );
}

/** Memoised: the board view re-renders on every edit; this only when its own inputs change. */
export const BoardHeader = memo(BoardHeaderView);
