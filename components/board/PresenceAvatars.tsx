import { Avatar } from '@/components/ui/Avatar';
import type { PresentPerson } from '@/lib/client/presence';
import { useTranslations } from 'next-intl';

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
  const t = useTranslations('presence');
  const shown = people.slice(0, MAX_SHOWN);
  const hidden = people.slice(MAX_SHOWN);
  return (
    <div
      className="flex items-center"
      data-testid="presence"
      aria-label={t('here', { count: people.length })}
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
                title={t('changeSelf')}
              >
                <Avatar
                  name={p.name}
                  color={p.color}
                  size="md"
                  note={t('you')}
                  testId="presence-avatar"
                />
              </button>
            ) : (
              <Avatar
                name={p.name}
                color={p.color}
                size="md"
                note={p.isSelf ? t('you') : undefined}
                testId="presence-avatar"
              />
            )}
          </li>
        ))}
      </ul>
      {hidden.length > 0 && (
        <span
          className="ms-1 inline-flex h-9 min-w-9 items-center justify-center rounded-full bg-line px-2 text-xs font-semibold text-ink"
          title={moreNames(hidden, t)}
          aria-label={t('more', { count: hidden.length, names: moreNames(hidden, t) })}
        >
          +{hidden.length}
        </span>
      )}
    </div>
  );
}

/** The names behind "+N", capped: with 300 people a tooltip of 294 names helps nobody. */
function moreNames(
  hidden: readonly PresentPerson[],
  t: ReturnType<typeof useTranslations<'presence'>>,
): string {
  const names = hidden.slice(0, 20).map((p) => p.name);
  return hidden.length > 20
    ? t('moreNames', { names: names.join('، '), count: hidden.length - 20 })
    : names.join(', ');
}
