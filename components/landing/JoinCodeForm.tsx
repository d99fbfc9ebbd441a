'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import { joinWithCode } from '@/lib/client/api';
import { rememberBoardToken } from '@/lib/client/boardAccess';
import { rememberBoard } from '@/lib/client/recentBoards';
import { useApiErrorText } from '@/lib/i18n/apiErrors';

/** "Join with a code": the short code on the projector, exchanged for an editor link. */
export function JoinCodeForm({
  initialCode = '',
  autoFocus = false,
}: {
  initialCode?: string;
  autoFocus?: boolean;
}) {
  const t = useTranslations('join');
  const apiErrorText = useApiErrorText();
  const router = useRouter();
  const inputId = useId();
  const errorId = useId();
  const [code, setCode] = useState(initialCode);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const trimmed = code.trim();
    if (!trimmed) {
      setError(t('codeMissing'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const joined = await joinWithCode(trimmed);
      rememberBoardToken(joined.boardId, joined.token);
      rememberBoard({ id: joined.boardId, title: joined.title });
      router.push(joined.path);
    } catch (err) {
      setError(apiErrorText(err, t('joinFailed')));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-2" noValidate>
      <label htmlFor={inputId} className="sr-only">
        {t('codeLabel')}
      </label>
      <div className="flex gap-2">
        <input
          id={inputId}
          data-testid="join-code"
          value={code}
          onChange={(e) => {
            setCode(e.target.value.toUpperCase());
            setError(null);
          }}
          maxLength={12}
          placeholder="ABC234"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          autoFocus={autoFocus}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          dir="ltr"
          className="h-11 w-full max-w-40 min-w-0 rounded-lg border border-line bg-surface px-3 text-start font-mono text-base tracking-[0.2em] uppercase placeholder:tracking-[0.2em] placeholder:text-muted/50 focus:border-accent focus:outline-none focus-visible:ring-2 focus-visible:ring-accent/30"
        />
        <button
          type="submit"
          disabled={busy}
          className="h-11 rounded-lg border border-line bg-surface px-4 text-sm font-medium hover:bg-canvas disabled:opacity-70"
        >
          {busy ? t('joining') : t('submit')}
        </button>
      </div>
      {error && (
        <p id={errorId} role="alert" className="text-sm text-danger">
          {error}
        </p>
      )}
    </form>
  );
}
