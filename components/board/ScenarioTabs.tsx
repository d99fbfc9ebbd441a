'use client';

import { useDismiss } from '@/lib/client/useDismiss';

import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import {
  SCENARIO_COLORS,
  addScenario,
  deleteScenario,
  updateScenario,
  type ScenarioState,
} from '@/lib/board/scenarios';
import { SCENARIO_NAME_MAX } from '@/lib/board/limits';
import { setBaselineScenario } from '@/lib/board/meta';
import type { PeerPresence } from '@/lib/client/boardSession';
import { undoableOnce } from '@/lib/client/history';
import { Avatar } from '@/components/ui/Avatar';
import { useBoardContext } from './BoardContext';
import { arrowStep } from '@/components/ui/arrowKeys';
import { useTranslations } from 'next-intl';
import { ScenarioSwatch } from '@/components/ui/ScenarioSwatch';

interface ScenarioTabsProps {
  scenarios: readonly ScenarioState[];
  selectedId: string;
  baselineId: string | null;
  peers: readonly PeerPresence[];
  onSelect: (id: string) => void;
  /** Null when this person cannot add scenarios (and so cannot manage them). */
  onAdd: (() => void) | null;
}

/** The element the tabs control (the board's assumptions and outcomes). */
export const SCENARIO_PANEL_ID = 'scenario-panel';
export const scenarioTabId = (scenarioId: string) => `scenario-tab-${scenarioId}`;

const UNDO_TOAST_MS = 10_000;

/**
 * One tab per scenario (with who else is looking at it), and scenario management for editors:
 * new, duplicate, rename (inline), recolour, baseline, delete with undo.
 */
export function ScenarioTabs({
  scenarios,
  selectedId,
  baselineId,
  peers,
  onSelect,
  onAdd,
}: ScenarioTabsProps) {
  const tr = useTranslations('scenarios');
  const { session, role } = useBoardContext();
  const doc = session.doc;
  // Which scenario is the baseline, and deleting it, are the moderator's (the server agrees).
  const moderator = role === 'moderator';
  const listRef = useRef<HTMLDivElement>(null);
  const scrollerRef = useRef<HTMLDivElement>(null);
  // Avatars of people on the selected scenario widen its tab: keep it in view then too.
  const selectedViewers = peers.filter((p) => p.scenarioId === selectedId).length;
  // The selected tab is always in view in the strip (a follower on a phone sees which scenario
  // is shown). Only the strip scrolls: scrollIntoView would also move the page under the reader.
  useEffect(() => {
    const scroller = scrollerRef.current;
    const tab = listRef.current?.querySelector<HTMLElement>(
      `[data-scenario-id="${CSS.escape(selectedId)}"]`,
    );
    if (!scroller || !tab) return;
    const left = tab.offsetLeft - scroller.offsetLeft;
    const right = left + tab.offsetWidth;
    if (left < scroller.scrollLeft) scroller.scrollLeft = Math.max(0, left - 16);
    else if (right > scroller.scrollLeft + scroller.clientWidth)
      scroller.scrollLeft = right - scroller.clientWidth + 16;
  }, [selectedId, scenarios.length, selectedViewers]);
  const manageRef = useRef<HTMLDivElement>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [menuOpen, setMenuOpen] = useState(false);
  const [deleted, setDeleted] = useState<{
    name: string;
    id: string;
    undo: () => void;
    dispose: () => void;
  } | null>(null);
  const canManage = onAdd !== null;
  const selected = scenarios.find((s) => s.id === selectedId) ?? null;

  // The undo toast disappears after a while (the delete then stays).
  useEffect(() => {
    if (!deleted) return;
    const t = window.setTimeout(() => setDeleted(null), UNDO_TOAST_MS);
    return () => {
      window.clearTimeout(t);
      deleted.dispose(); // replaced, expired or undone: the undo manager is no longer needed
    };
  }, [deleted]);

  const closeMenu = useCallback(() => setMenuOpen(false), []);
  useDismiss(menuOpen, closeMenu, manageRef);

  // Arrow keys move between tabs (WAI-ARIA tabs pattern, automatic activation), in the
  // reading direction: ArrowLeft is "next" in Urdu.
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (renaming) return;
    const step = arrowStep(e.key, e.currentTarget);
    if (step === 0 && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    const index = scenarios.findIndex((s) => s.id === selectedId);
    const last = scenarios.length - 1;
    const next =
      e.key === 'Home'
        ? 0
        : e.key === 'End'
          ? last
          : step === 1
            ? index >= last
              ? 0
              : index + 1
            : index <= 0
              ? last
              : index - 1;
    const target = scenarios[next];
    if (!target) return;
    onSelect(target.id);
    listRef.current?.querySelector<HTMLButtonElement>(`[data-scenario-id="${target.id}"]`)?.focus();
  }

  function startRename(s: ScenarioState) {
    if (!canManage) return;
    setMenuOpen(false);
    setDraft(s.name);
    setRenaming(s.id);
  }

  function commitRename() {
    if (renaming && draft.trim()) updateScenario(doc, renaming, { name: draft });
    setRenaming(null);
  }

  function createNew() {
    const id = addScenario(doc, { name: tr('newName', { n: scenarios.length + 1 }) });
    onSelect(id);
  }

  function duplicate() {
    if (!selected) return onAdd?.();
    const id = addScenario(doc, {
      name: `${selected.name} (copy)`.slice(0, SCENARIO_NAME_MAX),
      fromId: selected.id,
    });
    onSelect(id);
  }

  function remove(s: ScenarioState) {
    setMenuOpen(false);
    const index = scenarios.findIndex((x) => x.id === s.id);
    let ok = false;
    const { undo, dispose } = undoableOnce(doc, () => {
      ok = deleteScenario(doc, s.id);
    });
    if (!ok) return dispose();
    const next = scenarios[index + 1] ?? scenarios[index - 1];
    if (next) onSelect(next.id);
    setDeleted({ name: s.name, id: s.id, undo, dispose });
  }

  function undoDelete() {
    if (!deleted) return;
    deleted.undo();
    onSelect(deleted.id);
    setDeleted(null);
  }

  return (
    <nav className="relative border-b border-line bg-surface" aria-label={tr('label')}>
      <div className="mx-auto flex max-w-[1600px] items-end gap-2 px-4 sm:px-6">
        <div ref={scrollerRef} className="flex min-w-0 flex-1 items-end gap-2 overflow-x-auto">
          <div
            role="tablist"
            aria-label={tr('label')}
            ref={listRef}
            onKeyDown={onKeyDown}
            className="flex items-end gap-1"
          >
            {scenarios.map((s) => {
              const isSelected = s.id === selectedId;
              const viewers = peers.filter((p) => p.scenarioId === s.id);
              if (renaming === s.id) {
                return (
                  <span key={s.id} className="relative flex h-11 shrink-0 items-center gap-2 px-2">
                    <ScenarioSwatch color={s.color} />
                    <input
                      autoFocus
                      value={draft}
                      maxLength={SCENARIO_NAME_MAX}
                      onChange={(e) => setDraft(e.target.value)}
                      onBlur={commitRename}
                      onKeyDown={(e) => {
                        e.stopPropagation();
                        if (e.key === 'Enter') commitRename();
                        if (e.key === 'Escape') setRenaming(null);
                      }}
                      onFocus={(e) => e.target.select()}
                      aria-label={tr('name')}
                      data-testid="scenario-name-input"
                      className="h-8 w-44 rounded-md border border-accent px-2 text-sm font-medium focus:outline-none"
                    />
                  </span>
                );
              }
              return (
                <button
                  key={s.id}
                  type="button"
                  role="tab"
                  id={scenarioTabId(s.id)}
                  aria-controls={SCENARIO_PANEL_ID}
                  data-scenario-id={s.id}
                  data-testid="scenario-tab"
                  aria-selected={isSelected}
                  tabIndex={isSelected ? 0 : -1}
                  onClick={() => onSelect(s.id)}
                  onDoubleClick={() => startRename(s)}
                  title={canManage ? tr('doubleClick') : undefined}
                  className={`relative flex h-11 shrink-0 items-center gap-2 rounded-t-lg px-3.5 text-sm font-medium whitespace-nowrap transition-colors ${
                    isSelected ? 'text-ink' : 'text-muted hover:bg-canvas hover:text-ink'
                  }`}
                >
                  <ScenarioSwatch color={s.color} />
                  {/* Long names are cut with an ellipsis; the whole name is the tooltip and
                      stays in the text, so screen readers read it in full. */}
                  <span className="max-w-[14rem] truncate" title={s.name}>
                    {s.name}
                  </span>
                  {s.id === baselineId && (
                    <span
                      className="rounded-full border border-line px-1.5 py-px text-[10px] font-semibold tracking-wide text-muted uppercase"
                      data-testid="baseline-badge"
                      title={tr('baseTitle')}
                    >
                      {tr('base')}
                    </span>
                  )}
                  {viewers.length > 0 && (
                    <span
                      className="flex -space-x-1"
                      aria-label={tr('viewing', { count: viewers.length })}
                    >
                      {viewers.slice(0, 3).map((v) => (
                        <Avatar
                          key={v.awarenessId}
                          name={v.user.name}
                          color={v.user.color}
                          size="xs"
                          note="is viewing this scenario"
                        />
                      ))}
                    </span>
                  )}
                  {isSelected && (
                    <ScenarioSwatch color={s.color} bar className="absolute inset-x-2 bottom-0" />
                  )}
                </button>
              );
            })}
          </div>
          {canManage && (
            <div className="mb-1.5 flex shrink-0 items-center gap-0.5">
              <button
                type="button"
                onClick={createNew}
                data-testid="scenario-add"
                title={tr('newTitle')}
                className="flex h-8 items-center gap-1 rounded-lg px-2.5 text-sm text-muted hover:bg-canvas hover:text-ink"
              >
                <span aria-hidden="true" className="text-base leading-none">
                  +
                </span>{' '}
                {tr('new')}
              </button>
              <button
                type="button"
                onClick={duplicate}
                data-testid="add-scenario"
                title={tr('duplicateTitle')}
                className="flex h-8 items-center gap-1 rounded-lg px-2.5 text-sm text-muted hover:bg-canvas hover:text-ink"
              >
                {tr('duplicate')}
              </button>
            </div>
          )}
        </div>
        {canManage && selected && (
          <div ref={manageRef} className="relative mb-1.5 shrink-0">
            <button
              type="button"
              onClick={() => setMenuOpen((v) => !v)}
              aria-expanded={menuOpen}
              aria-haspopup="true"
              data-testid="scenario-menu"
              title={tr('manageTitle', { name: selected.name })}
              className="flex h-8 items-center gap-1.5 rounded-lg border border-line px-2.5 text-sm hover:bg-canvas"
            >
              <ScenarioSwatch color={selected.color} />
              <span className="hidden sm:inline">{tr('manage')}</span>
              <span aria-hidden="true">⋯</span>
              <span className="sr-only">{tr('manageSr', { name: selected.name })}</span>
            </button>
            {menuOpen && (
              <div
                className="absolute end-0 top-full z-40 mt-1 w-60 rounded-xl border border-line bg-surface p-1.5 shadow-lg"
                data-testid="scenario-manage"
              >
                <p className="truncate px-2.5 pt-1 pb-1.5 text-xs font-semibold text-muted">
                  {selected.name}
                </p>
                <button
                  type="button"
                  className={ITEM}
                  onClick={() => startRename(selected)}
                  data-testid={`scenario-rename-${selected.id}`}
                >
                  {tr('rename')}
                </button>
                <button
                  type="button"
                  className={ITEM}
                  onClick={() => {
                    setBaselineScenario(doc, selected.id);
                    setMenuOpen(false);
                  }}
                  disabled={selected.id === baselineId || !moderator}
                  title={moderator ? undefined : tr('baselineModeratorOnly')}
                  data-testid={`scenario-baseline-${selected.id}`}
                >
                  {selected.id === baselineId ? tr('isBaseline') : tr('markBaseline')}
                </button>
                <div className="px-2.5 py-2">
                  <p className="mb-1.5 text-xs text-muted">{tr('colour')}</p>
                  <div
                    className="flex flex-wrap gap-1.5"
                    role="radiogroup"
                    aria-label={tr('colourLabel')}
                  >
                    {SCENARIO_COLORS.map((c) => (
                      <button
                        key={c}
                        type="button"
                        role="radio"
                        aria-checked={selected.color === c}
                        aria-label={tr('colourOption', { colour: c })}
                        onClick={() => updateScenario(doc, selected.id, { color: c })}
                        data-testid={`scenario-color-${c.slice(1)}`}
                        className={`size-6 rounded-full ring-offset-2 ${selected.color === c ? 'ring-2 ring-ink' : 'hover:ring-2 hover:ring-line'}`}
                        style={{ backgroundColor: c }}
                      />
                    ))}
                  </div>
                </div>
                <div className="my-1 border-t border-line" />
                <button
                  type="button"
                  className={`${ITEM} text-danger`}
                  onClick={() => remove(selected)}
                  disabled={scenarios.length <= 1 || (selected.id === baselineId && !moderator)}
                  title={
                    scenarios.length <= 1
                      ? tr('keepOne')
                      : selected.id === baselineId && !moderator
                        ? tr('deleteBaselineModeratorOnly')
                        : undefined
                  }
                  data-testid={`scenario-delete-${selected.id}`}
                >
                  {tr('delete')}
                </button>
              </div>
            )}
          </div>
        )}
      </div>
      {deleted && (
        <div
          role="status"
          className="fixed bottom-20 left-1/2 z-50 flex -translate-x-1/2 items-center gap-3 rounded-xl bg-ink px-4 py-2.5 text-sm text-white shadow-lg lg:bottom-6"
          data-testid="scenario-deleted-toast"
        >
          <span>
            {tr.rich('deleted', { name: deleted.name, strong: (c) => <strong>{c}</strong> })}
          </span>
          <span aria-hidden="true">—</span>
          <button
            type="button"
            onClick={undoDelete}
            data-testid="scenario-undo-delete"
            className="font-semibold text-sky-300 underline-offset-2 hover:underline"
          >
            {tr('undo')}
          </button>
        </div>
      )}
    </nav>
  );
}

const ITEM =
  'flex w-full items-center rounded-md px-2.5 py-2 text-start text-sm hover:bg-canvas disabled:text-muted disabled:hover:bg-transparent';
