'use client';

import { useState } from 'react';
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
  const [saved, setSaved] = useState(false);

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
      <p className="mx-auto max-w-3xl">
        Changes made on this device earlier could not be added to the board: {reason}. Nothing is
        lost: download them and send the file to the moderator, who can add them with Import JSON.
      </p>
      <div className="mx-auto mt-2 flex max-w-3xl gap-2">
        <button
          type="button"
          onClick={download}
          className="rounded-md border border-accent/40 px-2.5 py-1 font-medium hover:bg-accent-soft"
          data-testid="download-unsent"
        >
          Download my unsent changes
        </button>
        {saved && (
          <button
            type="button"
            onClick={() => session.discardUnsentEdits()}
            className="rounded-md px-2.5 py-1 text-muted hover:bg-surface"
            data-testid="discard-unsent"
          >
            I have saved the file
          </button>
        )}
      </div>
    </div>
  );
}
