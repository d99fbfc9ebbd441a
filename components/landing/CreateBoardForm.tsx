'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import { createBoard, type CreatedBoard } from '@/lib/client/api';
import { KeepModeratorLink } from './KeepModeratorLink';
import { rememberBoard } from '@/lib/client/recentBoards';
import { rememberBoardToken } from '@/lib/client/boardAccess';
import { TITLE_MAX } from '@/lib/board/limits';
import { useApiErrorText } from '@/lib/i18n/apiErrors';

/** Title field and button: creates a board through the API and opens it. */
export function CreateBoardForm() {
  const t = useTranslations('landing');
  const apiErrorText = useApiErrorText();
  const router = useRouter();
  const inputId = useId();
  const errorId = useId();
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedBoard | null>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const trimmed = title.trim();
    if (!trimmed) {
      setError(t('titleMissing'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const board = await createBoard(trimmed);
      // The creator moderates: keep the moderator token on this device.
      rememberBoardToken(board.id, board.token);
      rememberBoard({ id: board.id, title: board.title });
      // One short step before the board: keep the moderator link somewhere else.
      setCreated(board);
      setBusy(false);
    } catch (err) {
      setError(apiErrorText(err, t('createFailed')));
      setBusy(false);
    }
  }

  if (created)
    return <KeepModeratorLink board={created} onOpen={() => router.push(created.path)} />;

  return (
    <form onSubmit={onSubmit} className="mt-5 flex flex-col gap-3" noValidate>
      <div className="flex flex-1 flex-col gap-1.5">
        <label htmlFor={inputId} className="sr-only">
          {t('titleLabel')}
        </label>
        <input
          id={inputId}
          name="title"
          data-testid="create-board-title"
          value={title}
          onChange={(e) => {
            setTitle(e.target.value);
            if (error) setError(null);
          }}
          maxLength={TITLE_MAX}
          placeholder={t('titlePlaceholder')}
          autoComplete="off"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          className="h-12 w-full rounded-lg border border-line bg-surface px-4 text-base placeholder:text-muted/70 focus:border-accent focus:outline-none focus-visible:ring-2 focus-visible:ring-accent/30"
        />
        {error && (
          <p id={errorId} role="alert" className="text-sm text-danger">
            {error}
          </p>
        )}
      </div>
      <button
        type="submit"
        data-testid="create-board-submit"
        disabled={busy}
        className="h-12 shrink-0 rounded-lg bg-accent px-6 sm:self-start text-base font-medium text-white shadow-sm transition hover:bg-accent/90 disabled:cursor-wait disabled:opacity-70"
      >
        {busy ? t('creating') : t('createSubmit')}
      </button>
    </form>
  );
}
