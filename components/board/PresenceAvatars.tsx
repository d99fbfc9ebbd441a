import { Avatar } from '@/components/ui/Avatar';
import type { PresentPerson } from '@/lib/client/presence';

const MAX_SHOWN = 6;

/** Overlapping avatars of everyone on the board (you first); "+N" beyond six. */
export function PresenceAvatars({
  people,
  onSelfClick,
}: {
  people: readonly PresentPerson[];
  /** Clicking your own avatar changes your name or colour. */
  onSelfClick?: () => void;
}) {
  const shown = people.slice(0, MAX_SHOWN);
  const hidden = people.slice(MAX_SHOWN);
  return (
    <div
      className="flex items-center"
      data-testid="presence"
      aria-label={`${people.length} on this board`}
      role="group"
    >
      <ul className="flex -space-x-1.5">
        {shown.map((p) => (
          <li key={p.key} className="flex">
            {p.isSelf && onSelfClick ? (
              <button
                type="button"
                onClick={onSelfClick}
                className="rounded-full"
                title="You: change your name or colour"
              >
                <Avatar
                  name={p.name}
                  color={p.color}
                  size="md"
                  note="(you)"
                  testId="presence-avatar"
                />
              </button>
            ) : (
              <Avatar
                name={p.name}
                color={p.color}
                size="md"
                note={p.isSelf ? '(you)' : undefined}
                testId="presence-avatar"
              />
            )}
          </li>
        ))}
      </ul>
      {hidden.length > 0 && (
        <span
          className="ml-1 inline-flex h-9 min-w-9 items-center justify-center rounded-full bg-line px-2 text-xs font-semibold text-ink"
          title={moreNames(hidden)}
          aria-label={`${hidden.length} more: ${moreNames(hidden)}`}
        >
          +{hidden.length}
        </span>
      )}
    </div>
  );
}

/** The names behind "+N", capped: with 300 people a tooltip of 294 names helps nobody. */
function moreNames(hidden: readonly PresentPerson[]): string {
  const names = hidden.slice(0, 20).map((p) => p.name);
  return hidden.length > 20
    ? `${names.join(', ')} and ${hidden.length - 20} more`
    : names.join(', ');
}
