'use client';

import { useState } from 'react';
import type { CreatedBoard } from '@/lib/client/api';
import { downloadBlob } from '@/lib/client/history';
import { useTranslations } from 'next-intl';

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A small, self-contained "board card" (HTML) with the links, to keep or print. */
export function boardCardHtml(board: CreatedBoard, now = new Date()): string {
  const row = (label: string, link: string, note: string) =>
    `<tr><th>${escapeHtml(label)}</th><td><a href="${escapeHtml(link)}">${escapeHtml(link)}</a><br><small>${escapeHtml(note)}</small></td></tr>`;
  return `<!doctype html><meta charset="utf-8"><title>${escapeHtml(board.title)} · board card</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1f2328}th{text-align:left;vertical-align:top;padding:.5rem 1rem .5rem 0}td{padding:.5rem 0;word-break:break-all}small{color:#59636e}</style>
<h1>${escapeHtml(board.title)}</h1>
<p>Scenario Board · created ${escapeHtml(now.toLocaleString(undefined, { dateStyle: 'long', timeStyle: 'short' }))}</p>
<table>
${row('Moderator link', board.links.moderator, 'Yours: runs the board. Keep it private.')}
${row('Editor link', board.links.editor, 'For the people in the room: they move the assumptions.')}
${row('Viewer link', board.links.viewer, 'For stakeholders: they see the board and the decision, and change nothing.')}
</table>
<p>Join code for the room: <strong>${escapeHtml(board.joinCode)}</strong> (gives editing rights).</p>`;
}

/**
 * The step after creating a board: keep the moderator link (copy, a board card, an email to
 * yourself), because it is the only way back to running the board from another device.
 */
export function KeepModeratorLink({ board, onOpen }: { board: CreatedBoard; onOpen: () => void }) {
  const t = useTranslations('keepLink');
  const [copied, setCopied] = useState<boolean | null>(null);
  const slug =
    board.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'board';
  const mailto = `mailto:?subject=${encodeURIComponent(t('mailSubject', { title: board.title }))}&body=${encodeURIComponent(
    t('mailBody', {
      title: board.title,
      moderator: board.links.moderator,
      viewer: board.links.viewer,
    }),
  )}`;
  const button =
    'inline-flex h-10 items-center justify-center rounded-lg border border-line bg-surface px-3 text-sm font-medium hover:bg-canvas';
  return (
    <section
      className="mt-5 flex flex-col gap-4 rounded-2xl border border-line bg-surface p-5 shadow-sm"
      data-testid="keep-moderator-link"
      aria-labelledby="keep-link-title"
    >
      <div>
        <h2 id="keep-link-title" className="text-lg font-semibold">
          {t('heading')}
        </h2>
        <p className="mt-1 text-sm text-muted">{t('text', { title: board.title })}</p>
      </div>
      <p
        className="rounded-lg bg-canvas px-3 py-2 font-mono text-xs break-all"
        dir="ltr"
        data-testid="moderator-link"
      >
        {board.links.moderator}
      </p>
      <div className="grid gap-2 sm:grid-cols-3">
        <button
          type="button"
          className={button}
          data-testid="keep-link-copy"
          onClick={() =>
            navigator.clipboard.writeText(board.links.moderator).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? t('copied') : t('copy')}
        </button>
        <button
          type="button"
          className={button}
          data-testid="keep-link-card"
          onClick={() =>
            downloadBlob(
              new Blob([boardCardHtml(board)], { type: 'text/html;charset=utf-8' }),
              `${slug}-board-card.html`,
            )
          }
        >
          {t('card')}
        </button>
        <a className={button} href={mailto} data-testid="keep-link-email">
          {t('email')}
        </a>
      </div>
      {copied === false && (
        <p role="alert" className="text-sm text-danger">
          {t('copyFailed')}
        </p>
      )}
      <button
        type="button"
        onClick={onOpen}
        data-testid="keep-link-continue"
        className="h-12 rounded-lg bg-accent px-6 text-base font-medium text-white shadow-sm hover:bg-accent/90 sm:self-start"
      >
        {t('open')}
      </button>
    </section>
  );
}
