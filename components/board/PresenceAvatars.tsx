import { Avatar } from '@/components/ui/Avatar';
import type { PresentPerson } from '@/lib/client/presence';
import { useLocale, useTranslations } from 'next-intl';

const MAX_SHOWN = 6;

/**
 * Overlapping avatars of the people on the board (you first); "+N" beyond six, with the names
 * of the first few of them (a large room's roster names only a few: `count` is everyone).
 */
export function PresenceAvatars({
  people,
  count,
  onSelfClick,
}: {
  people: readonly PresentPerson[];
  /** Everyone here, named in `people` or not. */
  count: number;
  /** Clicking your own avatar changes your name or colour. */
  onSelfClick?: () => void;
}) {
  const t = useTranslations('presence');
  // Urdu separates a list with its own comma.
  const comma = useLocale() === 'ur' ? '، ' : ', ';
  const shown = people.slice(0, MAX_SHOWN);
  const hidden = people.slice(MAX_SHOWN);
  const more = Math.max(0, count - shown.length);
  return (
    <div
      className="flex items-center"
      data-testid="presence"
      aria-label={t('here', { count: Math.max(count, shown.length) })}
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
      {more > 0 && (
        <span
          className="ms-1 inline-flex h-9 min-w-9 items-center justify-center rounded-full bg-line px-2 text-xs font-semibold text-ink"
          title={moreNames(hidden, more, comma, t)}
          aria-label={t('more', { count: more, names: moreNames(hidden, more, comma, t) })}
          data-testid="presence-more"
        >
          +{more}
        </span>
      )}
    </div>
  );
}

/**
 * The names behind "+N" (`more` people, of whom `hidden` are named), at most 20: with 300 people a
 * tooltip of 294 names helps nobody.
 */
function moreNames(
  hidden: readonly PresentPerson[],
  more: number,
  comma: string,
  t: ReturnType<typeof useTranslations<'presence'>>,
): string {
  const names = hidden.slice(0, 20).map((p) => p.name);
  return more > names.length
    ? t('moreNames', { names: names.join(comma), count: more - names.length })
    : names.join(comma);
}
