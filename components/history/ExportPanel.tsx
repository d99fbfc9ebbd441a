'use client';

import { useRef, useState, type ChangeEvent } from 'react';
import { useBoardContext } from '@/components/board/BoardContext';
import { useBoardState } from '@/lib/client/useBoardSession';
import { fetchBoardLinks } from '@/lib/client/api';
import {
  downloadBlob,
  downloadUrl,
  exportUrl,
  importScenarios,
  svgToPng,
} from '@/lib/client/history';
import { CHART_TARGET, SEGMENTS } from '@/lib/client/chartTheme';
import { currentDecision, formatDateTime } from '@/lib/board/decisionRecord';
import { useLocale, useTranslations } from 'next-intl';
import { useIntlLocale } from '@/lib/i18n/format';
import { useApiErrorText } from '@/lib/i18n/apiErrors';

const itemClass =
  'flex w-full items-center gap-2 rounded-md px-2.5 py-2 text-start text-sm text-ink hover:bg-canvas disabled:opacity-50';

/**
 * The export menu's panel: CSV, JSON, chart PNG, import JSON, printable report, embed code. Loaded
 * when the menu is first opened (ExportMenu.tsx; issue 11's phone budget).
 */
export function ExportPanel({ menuId, onClose }: { menuId: string; onClose: () => void }) {
  const { boardId, access, role, tab, setTab, selectScenario, scenarioId, session } =
    useBoardContext();
  // The header (where this menu lives) is kept out of the per-edit re-render: the panel follows
  // the document itself while it is open.
  const { board } = useBoardState(session.doc);
  const tx = useTranslations('exportMenu');
  const apiErrorText = useApiErrorText();
  const tChart = useTranslations('chart');
  const locale = useLocale();
  const intlLocale = useIntlLocale();
  // English keeps the browser's own date format, as before the catalog.
  const dateLocale = locale === 'en' ? undefined : intlLocale;
  const [message, setMessage] = useState<{ kind: 'info' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const token = access.token;

  const slug =
    board.meta.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'board';

  async function exportPng() {
    setBusy(true);
    setMessage(null);
    try {
      if (tab !== 'outcomes') {
        setTab('outcomes');
        await new Promise((r) => setTimeout(r, 250));
      }
      const chart = document.querySelector('[data-testid="chart-exports"]');
      if (!chart) throw new Error(tx('openOutcomes'));
      const scenario = board.scenarios.find((s) => s.id === scenarioId);
      const decision = currentDecision(session.doc);
      downloadBlob(
        await svgToPng(chart, {
          title: board.meta.title,
          scenario: scenario?.name ?? tx('baseline'),
          date: new Date().toLocaleDateString(dateLocale, { dateStyle: 'long' }),
          legend: [
            ...SEGMENTS.map((s) => ({ label: tChart(`segment.${s.key}`), color: s.color })),
            { label: tx('targets'), color: CHART_TARGET },
          ],
          note:
            decision && decision.scenarioId === scenarioId
              ? tx('agreedNote', {
                  when: formatDateTime(decision.at, dateLocale),
                  reasons: decision.reasons.split('\n')[0]!.slice(0, 110),
                })
              : undefined,
          source: tx('source', {
            model: board.meta.modelId,
            version: board.meta.modelVersion,
            targets: tx('targets'),
          }),
        }),
        `${slug}-chart.png`,
      );
      onClose();
    } catch (err) {
      setMessage({
        kind: 'error',
        text: apiErrorText(err, tx('pngFailed')),
      });
    } finally {
      setBusy(false);
    }
  }

  async function exportFile(kind: 'csv' | 'json') {
    setBusy(true);
    setMessage(null);
    try {
      downloadUrl(await exportUrl(boardId, token, kind));
      onClose();
    } catch (err) {
      setMessage({
        kind: 'error',
        text: tx('downloadFailed', {
          error: apiErrorText(err, tx('unknownError')),
        }),
      });
    } finally {
      setBusy(false);
    }
  }

  async function onFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setBusy(true);
    setMessage(null);
    try {
      let data: unknown;
      try {
        data = JSON.parse(await file.text()) as unknown;
      } catch {
        throw new Error(tx('notJson', { name: file.name }));
      }
      const ids = await importScenarios(boardId, token, data);
      setMessage({
        kind: 'info',
        text: tx('imported', { count: ids.length }),
      });
      const first = ids[0];
      if (first) setTimeout(() => selectScenario(first), 300);
    } catch (err) {
      setMessage({
        kind: 'error',
        text: tx('importFailed', {
          error: apiErrorText(err, tx('unknownError')),
        }),
      });
    } finally {
      setBusy(false);
    }
  }

  async function copyEmbed() {
    setMessage(null);
    try {
      let viewerToken = role === 'viewer' ? token : null;
      if (role === 'moderator' && token) {
        const links = await fetchBoardLinks(boardId, token);
        viewerToken = new URL(links.links.viewer).hash.replace(/^#t=/, '') || null;
      }
      if (!viewerToken) throw new Error(tx('askEmbed'));
      const src = `${window.location.origin}/b/${encodeURIComponent(boardId)}/embed#t=${viewerToken}`;
      const code = `<iframe src="${src}" width="720" height="520" style="border:0" title="${board.meta.title.replace(/"/g, '&quot;')}"></iframe>`;
      await navigator.clipboard.writeText(code);
      setMessage({ kind: 'info', text: tx('embedCopied') });
    } catch (err) {
      setMessage({
        kind: 'error',
        text: apiErrorText(err, tx('embedFailed')),
      });
    }
  }

  return (
    <div
      id={menuId}
      className="absolute end-0 z-40 mt-1 w-64 rounded-xl border border-line bg-surface p-1.5 shadow-lg max-sm:fixed max-sm:inset-x-3 max-sm:top-24 max-sm:w-auto"
      data-testid="export-panel"
    >
      <p className="px-2.5 pt-1 pb-1 text-xs font-semibold tracking-wide text-muted uppercase">
        {tx('download')}
      </p>
      <button
        type="button"
        className={itemClass}
        onClick={() => void exportFile('csv')}
        disabled={busy}
        data-testid="export-csv"
      >
        {tx('csv')}
      </button>
      <button
        type="button"
        className={itemClass}
        onClick={() => void exportFile('json')}
        disabled={busy}
        data-testid="export-json"
      >
        {tx('json')}
      </button>
      <button
        type="button"
        className={itemClass}
        onClick={() => void exportPng()}
        disabled={busy}
        data-testid="export-png"
      >
        {tx('png')}
      </button>
      <div className="my-1 border-t border-line" />
      <a
        className={itemClass}
        href={`/b/${encodeURIComponent(boardId)}/print`}
        target="_blank"
        rel="noopener"
        data-testid="print-link"
        onClick={() => onClose()}
      >
        {tx('print')}
      </a>
      {role !== 'editor' && (
        <button
          type="button"
          className={itemClass}
          onClick={() => void copyEmbed()}
          data-testid="embed-copy"
        >
          {tx('embed')}
        </button>
      )}
      {role !== 'viewer' && (
        <>
          <div className="my-1 border-t border-line" />
          <button
            type="button"
            className={itemClass}
            onClick={() => fileRef.current?.click()}
            disabled={busy}
            data-testid="import-json-button"
          >
            {tx('import')}
          </button>
          <input
            ref={fileRef}
            type="file"
            accept="application/json,.json"
            className="sr-only"
            tabIndex={-1}
            aria-label={tx('importLabel')}
            onChange={(e) => void onFile(e)}
            data-testid="import-json"
          />
        </>
      )}
      {message && (
        <p
          role={message.kind === 'error' ? 'alert' : 'status'}
          data-testid="export-message"
          className={`mx-1 mt-1 rounded-md px-2 py-1.5 text-xs ${message.kind === 'error' ? 'bg-danger/5 text-danger' : 'bg-accent-soft text-ink'}`}
        >
          {message.text}
        </p>
      )}
    </div>
  );
}
