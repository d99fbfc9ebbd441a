'use client';

import { useQrCodeSrc } from '@/lib/client/qr';

import { useEffect, useState } from 'react';
import { ModalDialog } from '@/components/ui/ModalDialog';
import type { Role } from '@/lib/protocol';
import {
  fetchBoardLinks,
  rotateBoardLinks,
  type BoardLinks,
  type RotatedLinks,
} from '@/lib/client/api';
import { boardLink, rememberBoardToken } from '@/lib/client/boardAccess';

import { useTranslations } from 'next-intl';
import { useApiErrorText } from '@/lib/i18n/apiErrors';

export interface ShareProps {
  boardId: string;
  token: string | null;
  role: Role;
}

/**
 * The share dialog: the link for the room (with a QR code and the join code), and for moderators
 * the other role links and replacing them. Loaded when someone presses Share (ShareButton.tsx).
 */
export function ShareDialog({
  boardId,
  token,
  role,
  onClose,
}: ShareProps & { onClose: () => void }) {
  const t = useTranslations('share');
  const apiErrorText = useApiErrorText();
  const [ownLink] = useState(() =>
    token ? boardLink(window.location.origin, boardId, token) : window.location.href,
  );
  const [links, setLinks] = useState<BoardLinks | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** Links were replaced: this page holds an old token and reopens with the new one on close. */
  const [rotated, setRotated] = useState(false);
  const close = () => {
    if (rotated) window.location.reload();
    else onClose();
  };

  useEffect(() => {
    if (role !== 'moderator' || !token) return;
    const controller = new AbortController();
    fetchBoardLinks(boardId, token, controller.signal).then(setLinks, (err: unknown) => {
      if (!controller.signal.aborted) setError(apiErrorText(err, t('loadFailed')));
    });
    return () => controller.abort();
  }, [boardId, token, role, t, apiErrorText]);

  // Moderators hand the room the editor link; everyone else shares the link they hold.
  const roomLink = role === 'moderator' ? (links?.links.editor ?? null) : ownLink;

  return (
    <ModalDialog labelledBy="share-title" testId="share-dialog" onDismiss={close}>
      <div className="flex flex-col gap-4 p-6">
        <div className="flex items-start justify-between gap-4">
          <div>
            <h2 id="share-title" className="text-lg font-semibold">
              {t('heading')}
            </h2>
            <p className="text-sm text-muted">
              {role === 'viewer' ? t('viewerText') : t('editorText')}
            </p>
          </div>
          <button
            type="button"
            onClick={close}
            className="rounded-md px-2 py-1 text-sm text-muted hover:bg-canvas"
            aria-label={t('close')}
          >
            ✕
          </button>
        </div>

        {error && (
          <p role="alert" className="text-sm text-danger">
            {error}
          </p>
        )}

        <QrCode text={roomLink} />

        {links && (
          <p className="text-center text-sm text-muted">
            {t.rich('joinAt', {
              address: () => (
                <bdi dir="ltr" className="font-medium text-ink">
                  {new URL(links.joinUrl).host}/join
                </bdi>
              ),
              code: () => (
                <span
                  className="font-mono text-lg font-semibold tracking-[0.2em] text-ink"
                  data-testid="join-code-display"
                >
                  {links.joinCode}
                </span>
              ),
            })}
          </p>
        )}

        {roomLink && (
          <CopyField
            label={role === 'moderator' ? t('editorLink') : t('boardLink')}
            value={roomLink}
          />
        )}
        {links && (
          <>
            <CopyField label={t('viewerLink')} value={links.links.viewer} />
            <CopyField label={t('moderatorLink')} value={links.links.moderator} />
          </>
        )}
        {role === 'moderator' && token && links && (
          <ReplaceLinks
            boardId={boardId}
            token={token}
            rotated={rotated}
            onReplaced={(fresh) => {
              // Only the replaced links changed; the others (and the join code) stay as they were.
              setLinks((prev) =>
                prev
                  ? {
                      joinCode: fresh.joinCode ?? prev.joinCode,
                      joinUrl: fresh.joinUrl ?? prev.joinUrl,
                      links: { ...prev.links, ...fresh.links },
                    }
                  : prev,
              );
              if (fresh.token) {
                // Every link was replaced: this device keeps running the board with the new
                // moderator link, and reopens with it on close.
                rememberBoardToken(boardId, fresh.token);
                setRotated(true);
              }
            }}
            onDone={close}
          />
        )}
      </div>
    </ModalDialog>
  );
}

type Choice = 'editor' | 'viewer' | 'all';

/** The three ways to replace links, in plain words: what it does, and who gets cut off. */
const CHOICES: Record<
  Choice,
  { roles: Role[]; label: string; detail: string; confirm: string; done: string }
> = {
  editor: {
    roles: ['editor'],
    label: 'Stop the room editing',
    detail: 'New editor link and join code. Viewers and you stay.',
    confirm:
      'Everyone who joined with the editor link or the join code is disconnected at once. Viewers and you stay connected. Stop the room editing?',
    done: 'The room can no longer edit: the old editor link and join code stopped working. Share the new ones above to let people edit again.',
  },
  viewer: {
    roles: ['viewer'],
    label: 'Replace the viewer link',
    detail: 'New view-only link. Editors and you stay.',
    confirm:
      'Everyone following with the view-only link is disconnected at once. Editors and you stay connected. Replace the viewer link?',
    done: 'Viewer link replaced: the old one stopped working. Send the new one above to the stakeholders who should keep watching.',
  },
  all: {
    roles: ['moderator', 'editor', 'viewer'],
    label: 'Replace all links',
    detail: 'Every link, yours too, and the join code.',
    confirm:
      'Every current link, including yours, and the join code stop working at once. Everyone on the board is disconnected until they get a new link. Replace all links?',
    done: 'All links replaced. The old links and join code no longer work; everyone who used them was disconnected. Share the new ones above.',
  },
};

/**
 * "Replace links": stop the room editing (editor link and join code), replace the viewer link,
 * or replace all links, each after a confirm that says who gets cut off. Only "all" replaces the
 * moderator's own link, so only then does this page reopen with the new one.
 */
function ReplaceLinks({
  boardId,
  token,
  rotated,
  onReplaced,
  onDone,
}: {
  boardId: string;
  token: string;
  rotated: boolean;
  onReplaced: (links: RotatedLinks) => void;
  onDone: () => void;
}) {
  const t = useTranslations('share');
  const apiErrorText = useApiErrorText();
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState<Choice | null>(null);
  const [done, setDone] = useState<Choice | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function replace(choice: Choice) {
    setBusy(true);
    setError(null);
    try {
      onReplaced(await rotateBoardLinks(boardId, token, CHOICES[choice].roles));
      setConfirming(null);
      setOpen(false);
      setDone(choice);
    } catch (err) {
      setError(apiErrorText(err, t('replaceFailed')));
    } finally {
      setBusy(false);
    }
  }
  if (rotated) {
    return (
      <div
        role="status"
        data-testid="rotate-done"
        className="flex flex-col gap-2 rounded-xl border border-accent/30 bg-accent-soft p-3 text-sm"
      >
        <p>{CHOICES.all.done}</p>
        <button
          type="button"
          onClick={onDone}
          className="self-end rounded-lg bg-accent px-3 py-1.5 font-medium text-white hover:bg-accent/90"
        >
          Done: reopen my board
        </button>
      </div>
    );
  }
  const choice = confirming ? CHOICES[confirming] : null;
  return (
    <div className="flex flex-col gap-2 border-t border-line pt-4">
      {done && (
        <p
          role="status"
          data-testid="rotate-done"
          className="rounded-xl border border-accent/30 bg-accent-soft p-3 text-sm"
        >
          {CHOICES[done].done}
        </p>
      )}
      {!open ? (
        <button
          type="button"
          data-testid="rotate-links"
          onClick={() => setOpen(true)}
          className="self-start rounded-lg border border-line px-3 py-1.5 text-sm font-medium text-danger hover:bg-danger/5"
        >
          Replace links…
        </button>
      ) : choice && confirming ? (
        <div className="flex flex-col gap-2 rounded-xl border border-danger/30 bg-danger/5 p-3 text-sm">
          <p data-testid="rotate-warning">{choice.confirm}</p>
          <div className="flex justify-end gap-2">
            <button
              type="button"
              onClick={() => setConfirming(null)}
              className="rounded-lg border border-line bg-surface px-3 py-1.5 font-medium hover:bg-canvas"
            >
              Cancel
            </button>
            <button
              type="button"
              data-testid="rotate-confirm"
              disabled={busy}
              onClick={() => void replace(confirming)}
              className="rounded-lg bg-danger px-3 py-1.5 font-medium text-white hover:bg-danger/90 disabled:opacity-60"
            >
              {busy ? 'Replacing…' : choice.label}
            </button>
          </div>
        </div>
      ) : (
        <div className="flex flex-col gap-2" role="group" aria-label="Replace links">
          {(Object.keys(CHOICES) as Choice[]).map((key) => (
            <button
              key={key}
              type="button"
              data-testid={`rotate-${key}`}
              onClick={() => setConfirming(key)}
              className="flex flex-col items-start rounded-lg border border-line px-3 py-2 text-left hover:bg-canvas"
            >
              <span className="text-sm font-medium text-danger">{CHOICES[key].label}</span>
              <span className="text-xs text-muted">{CHOICES[key].detail}</span>
            </button>
          ))}
          <button
            type="button"
            onClick={() => setOpen(false)}
            className="self-end rounded-lg px-3 py-1 text-sm text-muted hover:bg-canvas"
          >
            Cancel
          </button>
        </div>
      )}
      {error && (
        <p role="alert" className="text-sm text-danger">
          {error}
        </p>
      )}
    </div>
  );
}

function QrCode({ text }: { text: string | null }) {
  const src = useQrCodeSrc(text);
  return (
    <div className="mx-auto aspect-square w-52 rounded-xl border border-line bg-white p-2">
      {src ? (
        <img src={src} alt="QR code of the board link" className="size-full" />
      ) : (
        <div className="size-full animate-pulse rounded-lg bg-line/40" />
      )}
    </div>
  );
}

function CopyField({ label, value }: { label: string; value: string }) {
  const t = useTranslations('share');
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }
  return (
    <div className="flex flex-col gap-1">
      <span className="text-xs font-medium text-muted">{label}</span>
      <div className="flex gap-2">
        <input
          readOnly
          value={value}
          onFocus={(e) => e.target.select()}
          aria-label={label}
          dir="ltr"
          className="h-9 min-w-0 flex-1 rounded-lg border border-line bg-canvas px-3 font-mono text-xs"
        />
        <button
          type="button"
          onClick={copy}
          className="h-9 shrink-0 rounded-lg border border-line px-3 text-sm font-medium hover:bg-canvas"
        >
          {copied ? t('copied') : t('copy')}
        </button>
      </div>
    </div>
  );
}
