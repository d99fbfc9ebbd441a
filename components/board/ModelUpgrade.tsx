'use client';

import { useTranslations } from 'next-intl';
import { useMemo, useState } from 'react';
import { upgradePreview } from '@/lib/board/upgrade';
import { formatUsd } from '@/lib/format';
import { restoreVersion, upgradeModel } from '@/lib/client/history';
import { useBoardContext, useSharedBoard } from './BoardContext';
import { useApiErrorText } from '@/lib/i18n/apiErrors';

/**
 * For the moderator: says when a newer version of the board's model exists, previews each
 * scenario's 2028 and horizon totals under both side by side, and upgrades (undoable) or keeps
 * the board as it is. Nothing changes until the moderator chooses.
 */
export function ModelUpgrade() {
  const { boardId, access, role } = useBoardContext();
  const board = useSharedBoard();
  const preview = useMemo(() => upgradePreview(board), [board]);
  const [open, setOpen] = useState(false);
  const [kept, setKept] = useState(false);
  const [busy, setBusy] = useState(false);
  const t = useTranslations('modelUpgrade');
  const apiErrorText = useApiErrorText();
  const [message, setMessage] = useState<string | null>(null);
  const [undoId, setUndoId] = useState<string | null>(null);

  if (role !== 'moderator') return null;
  if (undoId && !preview)
    return (
      <div
        className="flex flex-wrap items-center justify-center gap-3 border-b border-line bg-accent-soft px-4 py-2 text-sm"
        data-testid="model-upgraded"
      >
        <span>{t('upgraded', { version: board.meta.modelVersion })}</span>
        <button
          type="button"
          disabled={busy}
          className="rounded-md border border-line bg-surface px-2.5 py-1 font-medium"
          onClick={async () => {
            setBusy(true);
            try {
              await restoreVersion(boardId, access.token, undoId, { mode: 'rollback' });
              setUndoId(null);
            } catch (err) {
              setMessage(apiErrorText(err, t('undoFailed')));
            } finally {
              setBusy(false);
            }
          }}
        >
          {t('undo')}
        </button>
        {message && <span className="text-danger">{message}</span>}
      </div>
    );
  if (!preview || kept) return null;

  return (
    <div
      className="border-b border-line bg-surface px-4 py-2 text-sm sm:px-6"
      data-testid="model-upgrade"
    >
      <div className="flex flex-wrap items-center justify-center gap-3">
        <span>{t('available', { to: preview.to.version, from: preview.from.version })}</span>
        <button
          type="button"
          className="rounded-md border border-line px-2.5 py-1 font-medium hover:bg-canvas"
          aria-expanded={open}
          onClick={() => setOpen((o) => !o)}
          data-testid="model-upgrade-preview"
        >
          {open ? t('hidePreview') : t('preview')}
        </button>
      </div>
      {open && (
        <div className="mx-auto mt-3 flex max-w-3xl flex-col gap-3 pb-2">
          <ul className="list-disc ps-5 text-muted">
            {preview.to.changes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
          <div className="overflow-x-auto">
            <table className="w-full text-sm tabular-nums" data-testid="model-upgrade-table">
              <caption className="sr-only">
                {t('caption', { from: preview.from.version, to: preview.to.version })}
              </caption>
              <thead className="text-start text-muted">
                <tr>
                  <th className="py-1 font-medium">{t('scenario')}</th>
                  <th className="py-1 text-end font-medium">
                    {preview.targetYear}, v{preview.from.version}
                  </th>
                  <th className="py-1 text-end font-medium">
                    {preview.targetYear}, v{preview.to.version}
                  </th>
                  <th className="py-1 text-end font-medium">
                    {t('horizon', { version: preview.from.version })}
                  </th>
                  <th className="py-1 text-end font-medium">
                    {t('horizon', { version: preview.to.version })}
                  </th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r) => (
                  <tr key={r.scenarioId} className="border-t border-line">
                    <th scope="row" className="py-1 text-start font-medium">
                      {r.name}
                    </th>
                    <td className="py-1 text-end">
                      {r.current.total2028 === null ? '—' : formatUsd(r.current.total2028)}
                    </td>
                    <td className="py-1 text-end font-semibold">
                      {r.upgraded.total2028 === null ? '—' : formatUsd(r.upgraded.total2028)}
                    </td>
                    <td className="py-1 text-end">
                      {formatUsd(r.current.totalHorizon)} ({r.current.horizonYear})
                    </td>
                    <td className="py-1 text-end font-semibold">
                      {formatUsd(r.upgraded.totalHorizon)} ({r.upgraded.horizonYear})
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="flex flex-wrap justify-end gap-2">
            <button
              type="button"
              className="rounded-lg border border-line px-3 py-1.5 font-medium hover:bg-canvas"
              onClick={() => setKept(true)}
              data-testid="model-upgrade-keep"
            >
              {t('keep', { version: preview.from.version })}
            </button>
            <button
              type="button"
              disabled={busy}
              className="rounded-lg bg-accent px-3 py-1.5 font-medium text-white disabled:opacity-60"
              onClick={async () => {
                setBusy(true);
                setMessage(null);
                try {
                  const r = await upgradeModel(boardId, access.token);
                  setUndoId(r.undoVersionId);
                  setOpen(false);
                } catch (err) {
                  setMessage(apiErrorText(err, t('failed')));
                } finally {
                  setBusy(false);
                }
              }}
              data-testid="model-upgrade-apply"
            >
              {t('apply', { version: preview.to.version })}
            </button>
          </div>
          {message && (
            <p role="alert" className="text-danger">
              {message}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
