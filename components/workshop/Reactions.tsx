'use client';

import type { LiveReaction } from '@/lib/client/boardSession';
import { ReactionIcon } from './ReactionIcon';

/** Reactions float up from the corner and fade; nothing to click. */
export function FloatingReactions({
  reactions,
  big = false,
}: {
  reactions: readonly LiveReaction[];
  big?: boolean;
}) {
  return (
    <div
      aria-live="polite"
      className={`pointer-events-none fixed z-40 flex flex-col-reverse items-end gap-1 ${
        big
          ? 'end-10 bottom-10'
          : 'end-4 bottom-24 lg:end-auto lg:bottom-6 lg:left-1/2 lg:items-center'
      }`}
      data-testid="reactions-float"
    >
      {reactions.map((r, i) => (
        <span
          key={r.key}
          className={`workshop-reaction inline-flex items-center gap-1.5 rounded-full border border-line bg-surface/95 shadow-sm ${
            big ? 'px-4 py-2 text-2xl' : 'px-2.5 py-1 text-sm'
          }`}
          style={{ marginInlineEnd: `${(i % 3) * (big ? 28 : 14)}px` }}
        >
          <span className="inline-flex items-center">
            <ReactionIcon emoji={r.emoji} className={big ? 'size-9' : 'size-5'} />
          </span>
          <span className="font-medium" style={{ color: r.color }}>
            {r.name}
          </span>
        </span>
      ))}
    </div>
  );
}
