import { useTranslations } from 'next-intl';
import { Logo } from '@/components/ui/Logo';
import { JoinCodeForm } from '@/components/landing/JoinCodeForm';
import { LanguageSwitch } from '@/components/ui/LanguageSwitch';
import type { ApiErrorCode } from '@/lib/protocol';

interface AccessViewProps {
  /**
   * Why the server refused this device's link (its API error code, null if it gave none);
   * `undefined` when this device has no link for the board.
   */
  refusal?: ApiErrorCode | null;
}

/**
 * Shown when this device has no valid link for a board: plain words on how to get back. The join
 * code (editing rights) is offered only when there was no link at all, so a stakeholder whose
 * viewer link was replaced is never shown a way to more rights than they had.
 */
export function AccessView({ refusal }: AccessViewProps) {
  const t = useTranslations('access');
  const replaced = refusal === 'linkReplaced';
  const refused = refusal !== undefined;
  return (
    <div
      className="mx-auto flex min-h-dvh max-w-3xl flex-col px-5 sm:px-8"
      data-testid="access-needed"
    >
      <header className="flex items-center justify-between gap-3 py-6">
        <Logo />
        <LanguageSwitch />
      </header>
      <main className="flex flex-1 flex-col items-start justify-center gap-5 pb-24">
        <h1 className="text-3xl font-semibold tracking-tight sm:text-4xl">
          {replaced ? t('replacedTitle') : refused ? t('brokenTitle') : t('noLinkTitle')}
        </h1>
        <p className="max-w-xl text-lg text-pretty text-muted">
          {replaced ? t('replacedText') : refused ? t('brokenText') : t('noLinkText')}
        </p>
        <p className="max-w-xl text-pretty text-muted">{t('moderatorHint')}</p>
        {/* The join code gives editing rights: offered only to someone who had no link here
            (in the room, with the code on the screen), never after a link was refused. */}
        {!refused && (
          <div className="mt-2 rounded-2xl border border-line bg-surface p-5 shadow-sm">
            <p className="mb-3 text-sm text-muted">{t('inTheRoom')}</p>
            <JoinCodeForm autoFocus />
          </div>
        )}
        <a href="/" className="text-sm font-medium text-accent hover:underline">
          {t('home')}
        </a>
      </main>
    </div>
  );
}
