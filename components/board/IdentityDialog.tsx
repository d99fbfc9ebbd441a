'use client';

import { useTranslations } from 'next-intl';
import { useId, useState, type FormEvent } from 'react';
import { ModalDialog } from '@/components/ui/ModalDialog';
import {
  IDENTITY_COLORS,
  randomIdentityColor,
  saveIdentity,
  suggestName,
} from '@/lib/client/identity';
import type { Participant, Role } from '@/lib/protocol';
import { AUTHOR_NAME_MAX } from '@/lib/board/limits';
import { Avatar } from '@/components/ui/Avatar';

interface IdentityDialogProps {
  /** The remembered identity when changing it; null on the first visit. */
  current: Participant | null;
  /** Whether it can be closed without choosing (not on the first visit). */
  dismissible: boolean;
  onDone: () => void;
  /** The link's role: a viewer is told what the name is for them. */
  role?: Role;
}

/** Modal that asks for a display name and colour; remembered on this device. */
export function IdentityDialog({ current, dismissible, onDone, role }: IdentityDialogProps) {
  const t = useTranslations('identity');
  const nameId = useId();
  const errorId = useId();
  const [name, setName] = useState(() => current?.name ?? suggestName());
  const [color, setColor] = useState(() => current?.color ?? randomIdentityColor());
  const [error, setError] = useState<string | null>(null);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const problem = saveIdentity({ name, color });
    if (problem) {
      // saveIdentity's two refusals, in the page's language.
      setError(name.trim() === '' ? t('nameMissing') : t('nameTooLong', { max: 40 }));
      return;
    }
    onDone();
  }

  return (
    <ModalDialog
      labelledBy={`${nameId}-title`}
      testId="identity-dialog"
      {...(dismissible ? { onDismiss: onDone } : {})}
    >
      <form onSubmit={onSubmit} className="flex flex-col gap-5 p-6" noValidate>
        <div className="flex items-center gap-3">
          <Avatar name={name.trim() || '?'} color={color} size="md" />
          <div>
            <h2 id={`${nameId}-title`} className="text-lg font-semibold">
              {current ? t('changeTitle') : t('firstTitle')}
            </h2>
            <p className="text-sm text-muted">
              {role === 'viewer' ? t('viewerHint') : t('editorHint')}
            </p>
          </div>
        </div>

        <div className="flex flex-col gap-1.5">
          <label htmlFor={nameId} className="text-sm font-medium">
            {t('nameLabel')}
          </label>
          <input
            id={nameId}
            data-testid="identity-name"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setError(null);
            }}
            maxLength={AUTHOR_NAME_MAX}
            autoFocus
            autoComplete="nickname"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            className="h-11 rounded-lg border border-line px-3 text-base focus:border-accent focus:outline-none focus-visible:ring-2 focus-visible:ring-accent/30"
          />
          {error && (
            <p id={errorId} role="alert" className="text-sm text-danger">
              {error}
            </p>
          )}
        </div>

        <fieldset className="flex flex-col gap-2">
          <legend className="mb-2 text-sm font-medium">{t('colour')}</legend>
          <div className="flex flex-wrap gap-2">
            {IDENTITY_COLORS.map((c) => (
              <label key={c} className="relative cursor-pointer">
                <input
                  type="radio"
                  name="color"
                  value={c}
                  checked={color === c}
                  onChange={() => setColor(c)}
                  className="peer sr-only"
                  aria-label={t('colourOption', { colour: c })}
                />
                <span
                  className="block size-8 rounded-full ring-offset-2 ring-offset-surface peer-checked:ring-2 peer-checked:ring-ink peer-focus-visible:outline-2 peer-focus-visible:outline-offset-4 peer-focus-visible:outline-accent"
                  style={{ backgroundColor: c }}
                />
              </label>
            ))}
          </div>
        </fieldset>

        <div className="flex justify-end gap-2">
          {dismissible && (
            <button
              type="button"
              onClick={onDone}
              className="h-10 rounded-lg px-4 text-sm font-medium text-muted hover:bg-canvas hover:text-ink"
            >
              {t('cancel')}
            </button>
          )}
          <button
            type="submit"
            data-testid="identity-save"
            className="h-10 rounded-lg bg-accent px-5 text-sm font-medium text-white shadow-sm hover:bg-accent/90"
          >
            {current ? t('save') : t('join')}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
