'use client';

import { useState } from 'react';
import { useTranslations } from 'next-intl';
import { unsentReasonKey } from '@/lib/i18n/notices';
import type { BoardSession } from '@/lib/client/boardSession';

/**
 * Edits this device kept that could not be merged into the board (lib/client/storedCopy.ts):
 * offered as a file the moderator brings in with "Import JSON", never dropped silently.
 */
export function UnsentEditsNotice({
  session,
  boardId,
  reason,
}: {
  session: BoardSession;
  boardId: string;
  reason: string;
}) {
  const t = useTranslations('unsent');
  const [saved, setSaved] = useState(false);
  // The reason in the page's language when it is one this code knows; else as it was kept.
  const known = unsentReasonKey(reason);
  const why = known ? t(`reason.${known.key}`, { detail: known.detail }) : reason;

  const download = () => {
    const text = session.unsentEditsJson();
    if (!text) return;
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `unsent-changes-${boardId}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setSaved(true);
  };

  return (
    <div
      role="status"
      data-testid="unsent-edits"
      className="border-b border-line bg-accent-soft/40 px-4 py-3 text-sm sm:px-6"
    >
      <p className="mx-auto max-w-3xl">{t('text', { reason: why })}</p>
      <div className="mx-auto mt-2 flex max-w-3xl gap-2">
        <button
          type="button"
          onClick={download}
          className="rounded-md border border-accent/40 px-2.5 py-1 font-medium hover:bg-accent-soft"
          data-testid="download-unsent"
        >
          {t('download')}
        </button>
        {saved && (
          <button
            type="button"
            onClick={() => session.discardUnsentEdits()}
            className="rounded-md px-2.5 py-1 text-muted hover:bg-surface"
            data-testid="discard-unsent"
          >
            {t('saved')}
          </button>
        )}
      </div>
    </div>
  );
}
