'use client';

import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { useBoardContext } from '@/components/board/BoardContext';
import { undoManagerFor } from '@/lib/client/history';
import { ExportMenu } from './ExportMenu';
import { useTranslations } from 'next-intl';
import { Redo2, Undo2 } from 'lucide-react';

/** Live "can undo / can redo" of an undo manager. */
function useUndoState(um: Y.UndoManager): { canUndo: boolean; canRedo: boolean } {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const events = [
        'stack-item-added',
        'stack-item-popped',
        'stack-cleared',
        'stack-item-updated',
      ] as const;
      for (const e of events) um.on(e, onChange);
      return () => {
        for (const e of events) um.off(e, onChange);
      };
    },
    [um],
  );
  const canUndo = useSyncExternalStore(
    subscribe,
    () => um.canUndo(),
    () => false,
  );
  const canRedo = useSyncExternalStore(
    subscribe,
    () => um.canRedo(),
    () => false,
  );
  return { canUndo, canRedo };
}

/** Focus is in a text field (its own undo applies there). */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLInputElement && target.type !== 'range' && target.type !== 'checkbox')
  );
}

const isMac = () => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** Header controls for history: undo / redo of one's own edits, and the Export menu. */
export function HeaderHistoryControls() {
  const { session, role, readOnly } = useBoardContext();
  const [um] = useState(() => undoManagerFor(session.doc));
  const { canUndo, canRedo } = useUndoState(um);
  const canEdit = role !== 'viewer';
  const tUndo = useTranslations('undo');
  const [flash, setFlash] = useState<string | null>(null);
  const flashTimer = useRef<number | null>(null);

  const run = useCallback(
    (what: 'undo' | 'redo') => {
      if (readOnly && role !== 'moderator') return;
      const done = what === 'undo' ? um.undo() : um.redo();
      if (flashTimer.current !== null) window.clearTimeout(flashTimer.current);
      setFlash(
        done
          ? tUndo(what === 'undo' ? 'undone' : 'redone')
          : tUndo(what === 'undo' ? 'nothingUndo' : 'nothingRedo'),
      );
      flashTimer.current = window.setTimeout(() => setFlash(null), 1500);
    },
    [um, readOnly, role, tUndo],
  );

  useEffect(() => {
    if (!canEdit) return;
    const onKey = (e: KeyboardEvent) => {
      const mod = e.metaKey || e.ctrlKey;
      if (!mod || e.altKey || typing(e.target)) return;
      const key = e.key.toLowerCase();
      if (key === 'z' && !e.shiftKey) {
        e.preventDefault();
        run('undo');
      } else if ((key === 'z' && e.shiftKey) || (key === 'y' && !e.shiftKey)) {
        e.preventDefault();
        run('redo');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canEdit, run]);

  useEffect(
    () => () => {
      if (flashTimer.current !== null) window.clearTimeout(flashTimer.current);
    },
    [],
  );

  const t = useTranslations('board');
  const mod = isMac() ? '⌘' : 'Ctrl+';
  const blocked = readOnly !== null && role !== 'moderator';

  return (
    <div className="relative flex items-center gap-1">
      {canEdit && (
        <div
          className="flex items-center rounded-lg border border-line"
          role="group"
          aria-label={t('undoRedo')}
        >
          <button
            type="button"
            onClick={() => run('undo')}
            disabled={!canUndo || blocked}
            data-testid="undo"
            aria-label={t('undo')}
            title={`${t('undo')} (${mod}Z)`}
            className="inline-flex size-9 items-center justify-center rounded-s-lg text-ink hover:bg-canvas disabled:text-muted disabled:opacity-40"
          >
            <Undo2 className="size-4" aria-hidden="true" />
          </button>
          <button
            type="button"
            onClick={() => run('redo')}
            disabled={!canRedo || blocked}
            data-testid="redo"
            aria-label={t('redo')}
            title={`${t('redo')} (${isMac() ? '⌘⇧Z' : 'Ctrl+Y'})`}
            className="inline-flex size-9 items-center justify-center rounded-e-lg border-s border-line text-ink hover:bg-canvas disabled:text-muted disabled:opacity-40"
          >
            <Redo2 className="size-4" aria-hidden="true" />
          </button>
        </div>
      )}
      <ExportMenu />
      <span role="status" aria-live="polite" className="sr-only">
        {flash ?? ''}
      </span>
      {flash && (
        <span
          aria-hidden="true"
          className="pointer-events-none absolute top-full left-0 z-40 mt-1 rounded-md bg-ink px-2 py-1 text-xs whitespace-nowrap text-white shadow"
        >
          {flash}
        </span>
      )}
    </div>
  );
}
