'use client';

import {
  useCallback,
  useEffect,
  useState,
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { differingAssumptions } from '@/lib/board/exchange';
import { VERSION_NAME_MAX } from '@/lib/board/limits';
import { ASSUMPTIONS, ASSUMPTION_IDS, kpis, project } from '@/lib/model';
import { formatUsd } from '@/lib/format';
import {
  announceVersionsChanged,
  changeVersion,
  fetchVersion,
  listVersions,
  restoreVersion,
  saveVersion,
  type VersionContent,
  type VersionRecord,
} from '@/lib/client/history';
import { isLocale, isolateFigure } from '@/lib/i18n/locales';
import { useBoardContext, useSharedBoard } from '@/components/board/BoardContext';
import { useAssumptionText } from '@/components/board/useAssumptionText';
import { useTimeWords } from './useTimeWords';
import { Card } from './Card';
import { ScenarioSwatch } from '@/components/ui/ScenarioSwatch';
import { useApiErrorText } from '@/lib/i18n/apiErrors';

type Note = { kind: 'info' | 'error'; text: string } | null;

/** A failed request in the reader's language, or the panel's own words when it says nothing. */
function useErrorText(): (err: unknown) => string {
  const t = useTranslations('versions');
  const apiErrorText = useApiErrorText();
  return useCallback((err) => apiErrorText(err, t('somethingWrong')), [apiErrorText, t]);
}

/** A moment as the reader's locale writes it; English keeps the browser's own format. */
function useMoment() {
  const locale = useLocale();
  const time = useTimeWords();
  return {
    full: (at: number) => (locale === 'en' ? new Date(at).toLocaleString() : time.dateTime(at)),
    date: (at: number) =>
      locale === 'en'
        ? new Date(at).toLocaleDateString()
        : new Intl.DateTimeFormat('ur-PK', { dateStyle: 'medium' }).format(at),
  };
}

/**
 * Named versions: save (moderator), open read-only, compare with now, restore or roll back.
 * Moderators rename a version inline and archive it: archived versions are kept, listed apart
 * (collapsed) and can be restored to the list.
 */
export function VersionsPanel() {
  const { boardId, access, role, identity, session } = useBoardContext();
  const t = useTranslations('versions');
  const errorText = useErrorText();
  const token = access.token;
  const isModerator = role === 'moderator';
  const [versions, setVersions] = useState<VersionRecord[] | null>(null);
  const [note, setNote] = useState<Note>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const [undo, setUndo] = useState<{ versionId: string; name: string } | null>(null);

  const refresh = useCallback(async () => {
    try {
      setVersions(await listVersions(boardId, token));
      announceVersionsChanged();
    } catch (err) {
      setNote({
        kind: 'error',
        text: t('needServer', { error: errorText(err) }),
      });
    }
  }, [boardId, token, t, errorText]);

  useEffect(() => {
    // Load once when the tab opens (setState happens after the request, not during the effect).
    let live = true;
    listVersions(boardId, token).then(
      (v) => live && setVersions(v),
      (err: unknown) =>
        live &&
        setNote({
          kind: 'error',
          text: t('needServer', { error: errorText(err) }),
        }),
    );
    return () => {
      live = false;
    };
  }, [boardId, token, t, errorText]);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) return;
    setBusy(true);
    setNote(null);
    try {
      const v = await saveVersion(boardId, token, name.trim(), identity?.name);
      setName('');
      setNote({ kind: 'info', text: t('saved', { name: v.name }) });
      await refresh();
    } catch (err) {
      setNote({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  }

  async function change(v: VersionRecord, body: { name?: string; archived?: boolean }) {
    setBusy(true);
    setNote(null);
    try {
      // With the participant credential: the change is kept under this person's name.
      const updated = await changeVersion(boardId, session.signedToken(), v.id, body);
      if (body.archived !== undefined)
        setNote({
          kind: 'info',
          text: body.archived
            ? t('archivedNote', { name: updated.name })
            : t('restoredNote', { name: updated.name }),
        });
      await refresh();
      return null;
    } catch (err) {
      return errorText(err);
    } finally {
      setBusy(false);
    }
  }

  const active = (versions ?? []).filter((v) => v.archivedAt === null);
  const archived = (versions ?? []).filter((v) => v.archivedAt !== null);
  const row = (v: VersionRecord) => (
    <VersionRow
      key={v.id}
      version={v}
      open={openId === v.id}
      onToggle={() => setOpenId((id) => (id === v.id ? null : v.id))}
      canManage={isModerator}
      busy={busy}
      onRename={(name) => change(v, { name })}
      onArchive={(archive) =>
        void change(v, { archived: archive }).then((e) => e && setNote({ kind: 'error', text: e }))
      }
    >
      <VersionDetail record={v} busy={busy} onRollback={() => void rollback(v)} onNote={setNote} />
    </VersionRow>
  );

  async function rollback(v: VersionRecord) {
    setBusy(true);
    setNote(null);
    try {
      const r = await restoreVersion(boardId, token, v.id, { mode: 'rollback' });
      setUndo(r.undoVersionId ? { versionId: r.undoVersionId, name: v.name } : null);
      setOpenId(null);
      await refresh();
    } catch (err) {
      setNote({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  }

  async function undoRollback() {
    if (!undo) return;
    setBusy(true);
    try {
      await restoreVersion(boardId, token, undo.versionId, { mode: 'rollback' });
      setUndo(null);
      setNote({ kind: 'info', text: t('rollbackUndone') });
      await refresh();
    } catch (err) {
      setNote({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card
      title={t('heading')}
      testId="versions"
      actions={
        <button
          type="button"
          onClick={() => void refresh()}
          className="text-sm font-medium text-accent hover:underline"
        >
          {t('refresh')}
        </button>
      }
    >
      {isModerator && (
        <form onSubmit={save} className="mb-3 flex gap-2">
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={VERSION_NAME_MAX}
            placeholder={t('namePlaceholder')}
            aria-label={t('nameLabel')}
            data-testid="version-name"
            className="h-9 min-w-0 flex-1 rounded-lg border border-line px-3 text-sm focus:border-accent focus:outline-none"
          />
          <button
            type="submit"
            disabled={busy || !name.trim()}
            data-testid="version-save"
            className="h-9 shrink-0 rounded-lg bg-accent px-3 text-sm font-medium text-white disabled:opacity-50"
          >
            {t('save')}
          </button>
        </form>
      )}
      {undo && (
        <div
          role="status"
          className="mb-3 flex items-center justify-between gap-3 rounded-lg bg-ink px-3 py-2 text-sm text-white"
          data-testid="rollback-toast"
        >
          <span>{t('rolledBack', { name: undo.name })}</span>
          <button
            type="button"
            onClick={() => void undoRollback()}
            disabled={busy}
            data-testid="version-undo"
            className="font-semibold text-sky-300 hover:underline"
          >
            {t('undo')}
          </button>
        </div>
      )}
      {note && (
        <p
          role={note.kind === 'error' ? 'alert' : 'status'}
          className={`mb-3 rounded-lg px-3 py-2 text-sm ${note.kind === 'error' ? 'bg-danger/5 text-danger' : 'bg-accent-soft'}`}
        >
          {note.text}
        </p>
      )}
      {versions === null ? (
        <p className="text-sm text-muted">{t('loading')}</p>
      ) : versions.length === 0 ? (
        <p className="text-sm text-muted" data-testid="version-list">
          {isModerator ? t('emptyModerator') : t('empty')}
        </p>
      ) : (
        <>
          {active.length === 0 ? (
            <p className="text-sm text-muted" data-testid="version-list">
              {t('allArchived')}
            </p>
          ) : (
            <ul className="flex flex-col divide-y divide-line" data-testid="version-list">
              {active.map((v) => row(v))}
            </ul>
          )}
          {archived.length > 0 && (
            <details
              className="group mt-2 border-t border-line pt-2"
              data-testid="versions-archived"
            >
              <summary className="flex cursor-pointer list-none items-center justify-between py-1 text-sm font-medium text-muted hover:text-ink">
                {t('archived', { count: archived.length })}
                <span aria-hidden="true" className="transition-transform group-open:rotate-180">
                  ▾
                </span>
              </summary>
              <ul className="flex flex-col divide-y divide-line">{archived.map((v) => row(v))}</ul>
            </details>
          )}
        </>
      )}
    </Card>
  );
}

/** One version in a list: its name (renamed inline), who and when, Open, Rename, Archive/Restore. */
function VersionRow({
  version: v,
  open,
  onToggle,
  canManage,
  busy,
  onRename,
  onArchive,
  children,
}: {
  version: VersionRecord;
  open: boolean;
  onToggle: () => void;
  canManage: boolean;
  busy: boolean;
  /** Resolves to an error message, or null once renamed. */
  onRename: (name: string) => Promise<string | null>;
  onArchive: (archive: boolean) => void;
  children: ReactNode;
}) {
  const t = useTranslations('versions');
  const time = useTimeWords();
  const moment = useMoment();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(v.name);
  const [error, setError] = useState<string | null>(null);
  const isArchived = v.archivedAt !== null;

  function startRename() {
    setDraft(v.name);
    setError(null);
    setEditing(true);
  }
  async function submit(e: FormEvent) {
    e.preventDefault();
    const name = draft.trim();
    if (!name) return setError(t('nameMissing'));
    if (name === v.name) return setEditing(false);
    const failed = await onRename(name);
    if (failed) setError(failed);
    else setEditing(false);
  }
  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'Escape') {
      e.preventDefault();
      setEditing(false);
      setError(null);
    }
  }

  const small =
    'h-8 shrink-0 rounded-lg border border-line px-2.5 text-sm hover:bg-canvas disabled:opacity-50';
  return (
    <li className="py-2" data-testid="version-item" data-archived={isArchived || undefined}>
      {editing ? (
        <form onSubmit={(e) => void submit(e)} className="flex flex-wrap items-center gap-2">
          <input
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={onKeyDown}
            maxLength={VERSION_NAME_MAX}
            autoFocus
            aria-label={t('renameLabel', { name: v.name })}
            data-testid="version-rename-input"
            className="h-8 min-w-0 flex-1 basis-40 rounded-lg border border-accent px-2.5 text-sm focus:outline-none"
          />
          <button
            type="submit"
            disabled={busy}
            className={`${small} bg-accent text-white hover:bg-accent/90`}
          >
            {t('saveName')}
          </button>
          <button type="button" onClick={() => setEditing(false)} className={small}>
            {t('cancel')}
          </button>
          {error && (
            <p role="alert" className="w-full text-xs text-danger">
              {error}
            </p>
          )}
        </form>
      ) : (
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
          <div className="min-w-0 flex-1 basis-40">
            <p className="truncate text-sm font-medium" data-testid="version-name-shown">
              {v.name}
            </p>
            <p className="text-xs text-muted">
              {v.author} ·{' '}
              <time dateTime={new Date(v.createdAt).toISOString()} title={moment.full(v.createdAt)}>
                {time.short(v.createdAt)}
              </time>
              {isArchived && <> · {t('archivedOn', { date: moment.date(v.archivedAt!) })}</>}
            </p>
          </div>
          <div className="flex shrink-0 gap-1.5">
            {canManage && !isArchived && (
              <button
                type="button"
                onClick={startRename}
                className={small}
                data-testid="version-rename"
              >
                {t('rename')}
              </button>
            )}
            {canManage && (
              <button
                type="button"
                onClick={() => onArchive(!isArchived)}
                disabled={busy}
                className={small}
                data-testid={isArchived ? 'version-unarchive' : 'version-archive'}
                aria-label={
                  isArchived
                    ? t('restoreLabel', { name: v.name })
                    : t('archiveLabel', { name: v.name })
                }
              >
                {isArchived ? t('restore') : t('archive')}
              </button>
            )}
            <button
              type="button"
              onClick={onToggle}
              aria-expanded={open}
              data-testid="version-open"
              className={small}
            >
              {open ? t('close') : t('open')}
            </button>
          </div>
        </div>
      )}
      {open && children}
    </li>
  );
}

function VersionDetail({
  record,
  busy,
  onRollback,
  onNote,
}: {
  record: VersionRecord;
  busy: boolean;
  onRollback: () => void;
  onNote: (n: Note) => void;
}) {
  const { boardId, access, role, selectScenario } = useBoardContext();
  const board = useSharedBoard();
  const t = useTranslations('versions');
  const errorText = useErrorText();
  const text = useAssumptionText();
  const moment = useMoment();
  const locale = useLocale();
  // A signed figure keeps its sign in front inside an Urdu sentence.
  const figure = (s: string) => isolateFigure(isLocale(locale) ? locale : 'en', s);
  const [content, setContent] = useState<VersionContent | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [view, setView] = useState<'values' | 'diff'>('diff');
  const isModerator = role === 'moderator';

  useEffect(() => {
    let live = true;
    fetchVersion(boardId, access.token, record.id).then(
      (c) => live && setContent(c),
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [boardId, access.token, record.id, t, errorText]);

  async function asScenario(scenarioId: string) {
    try {
      const r = await restoreVersion(boardId, access.token, record.id, {
        mode: 'scenario',
        scenarioId,
      });
      onNote({ kind: 'info', text: t('restoredScenario') });
      const id = r.scenarioId;
      if (id) setTimeout(() => selectScenario(id), 300);
    } catch (err) {
      onNote({ kind: 'error', text: errorText(err) });
    }
  }

  if (error) return <p className="mt-2 text-sm text-danger">{error}</p>;
  if (!content) return <p className="mt-2 text-sm text-muted">{t('opening')}</p>;

  const now = new Map(board.scenarios.map((s) => [s.id, s]));
  const total = (v: Parameters<typeof project>[0]) => kpis(project(v)).total2028;

  return (
    <div
      className="mt-2 flex flex-col gap-3 rounded-xl border border-line bg-canvas/60 p-3"
      data-testid="version-detail"
    >
      <div className="flex flex-wrap items-center gap-2 text-xs">
        <span className="rounded-full bg-surface px-2 py-0.5 font-semibold text-muted ring-1 ring-line">
          {t('readOnly')}
        </span>
        <span className="text-muted">
          {t('asSaved', { title: content.title, when: moment.full(record.createdAt) })}
        </span>
        <span className="flex-1" />
        <div
          className="flex rounded-lg border border-line bg-surface text-sm"
          role="group"
          aria-label={t('show')}
        >
          <button
            type="button"
            aria-pressed={view === 'diff'}
            onClick={() => setView('diff')}
            className={`h-7 rounded-s-lg px-2 ${view === 'diff' ? 'bg-accent-soft font-medium' : ''}`}
          >
            {t('compareNow')}
          </button>
          <button
            type="button"
            aria-pressed={view === 'values'}
            onClick={() => setView('values')}
            className={`h-7 rounded-e-lg border-s border-line px-2 ${view === 'values' ? 'bg-accent-soft font-medium' : ''}`}
          >
            {t('values')}
          </button>
        </div>
      </div>
      {content.scenarios.map((s) => {
        const current = now.get(s.id);
        const then = total(s.values);
        const today = current ? total(current.values) : null;
        const diff = current ? differingAssumptions(s.values, current.values) : [];
        return (
          <div
            key={s.id}
            className="rounded-lg bg-surface p-3 ring-1 ring-line"
            data-testid="version-scenario"
          >
            <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
              <span className="inline-flex items-center gap-1.5 text-sm font-semibold">
                <ScenarioSwatch color={s.color} />
                {s.name}
              </span>
              <span className="text-sm tabular-nums">
                2028: <strong>{then === null ? '—' : formatUsd(then)}</strong>
                {today !== null && then !== null && today !== then && (
                  <span className={today > then ? 'text-emerald-700' : 'text-danger'}>
                    {' '}
                    {t('nowDelta', {
                      now: figure(formatUsd(today)),
                      delta: figure(`${today > then ? '+' : ''}${formatUsd(today - then)}`),
                    })}
                  </span>
                )}
              </span>
              <span className="flex-1" />
              {isModerator && (
                <button
                  type="button"
                  onClick={() => void asScenario(s.id)}
                  className="text-xs font-medium text-accent hover:underline"
                  data-testid="version-restore-scenario"
                >
                  {t('restoreAsScenario')}
                </button>
              )}
            </div>
            {view === 'diff' ? (
              !current ? (
                <p className="mt-1 text-xs text-muted">{t('scenarioGone')}</p>
              ) : diff.length === 0 ? (
                <p className="mt-1 text-xs text-muted">{t('same')}</p>
              ) : (
                <ul
                  className="mt-1.5 grid gap-x-4 gap-y-0.5 text-xs sm:grid-cols-2"
                  aria-label={t('changedSince')}
                >
                  {diff.map((id) => (
                    <li key={id} className="flex justify-between gap-2">
                      <span className="truncate">{text.label(id)}</span>
                      <span className="shrink-0 tabular-nums">
                        {t.rich('changedValue', {
                          from: text.value(ASSUMPTIONS[id], s.values[id]),
                          to: text.value(ASSUMPTIONS[id], current.values[id]),
                          strong: (c) => <strong>{c}</strong>,
                        })}
                      </span>
                    </li>
                  ))}
                </ul>
              )
            ) : (
              <ul className="mt-1.5 grid gap-x-4 gap-y-0.5 text-xs sm:grid-cols-2">
                {ASSUMPTION_IDS.map((id) => (
                  <li key={id} className="flex justify-between gap-2">
                    <span className="truncate text-muted">{text.label(id)}</span>
                    <span className="shrink-0 tabular-nums">
                      {text.value(ASSUMPTIONS[id], s.values[id])}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        );
      })}
      {board.scenarios
        .filter((s) => !content.scenarios.some((v) => v.id === s.id))
        .map((s) => (
          <p key={s.id} className="text-xs text-muted">
            {t('addedAfter', { name: s.name })}
          </p>
        ))}
      {isModerator &&
        (confirming ? (
          <div className="flex flex-wrap items-center gap-2 rounded-lg border border-danger/30 bg-danger/5 p-2.5 text-sm">
            <span className="flex-1">{t('rollbackConfirm', { name: record.name })}</span>
            <button
              type="button"
              onClick={() => setConfirming(false)}
              className="h-8 rounded-lg border border-line bg-surface px-2.5"
            >
              {t('cancel')}
            </button>
            <button
              type="button"
              onClick={onRollback}
              disabled={busy}
              data-testid="version-restore-confirm"
              className="h-8 rounded-lg bg-danger px-2.5 font-medium text-white disabled:opacity-50"
            >
              {t('rollback')}
            </button>
          </div>
        ) : (
          <button
            type="button"
            onClick={() => setConfirming(true)}
            data-testid="version-restore-rollback"
            className="h-8 self-start rounded-lg border border-danger/40 bg-surface px-3 text-sm font-medium text-danger hover:bg-danger/5"
          >
            {t('rollbackStart')}
          </button>
        ))}
    </div>
  );
}
