'use client';

import { useRef, type KeyboardEvent } from 'react';
import type { ScenarioState } from '@/lib/board/schema';
import type { PeerPresence } from '@/lib/client/boardSession';
import { Avatar } from '@/components/ui/Avatar';

interface ScenarioTabsProps {
  scenarios: readonly ScenarioState[];
  selectedId: string;
  baselineId: string | null;
  peers: readonly PeerPresence[];
  onSelect: (id: string) => void;
  /** Null when this person cannot add scenarios. */
  onAdd: (() => void) | null;
}

/** The element the tabs control (the board's assumptions and outcomes). */
export const SCENARIO_PANEL_ID = 'scenario-panel';
export const scenarioTabId = (scenarioId: string) => `scenario-tab-${scenarioId}`;

/** One tab per scenario (with who else is looking at it), and "Duplicate" for a new one. */
export function ScenarioTabs({
  scenarios,
  selectedId,
  baselineId,
  peers,
  onSelect,
  onAdd,
}: ScenarioTabsProps) {
  const listRef = useRef<HTMLDivElement>(null);

  // Arrow keys move between tabs (WAI-ARIA tabs pattern, automatic activation).
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft' && e.key !== 'Home' && e.key !== 'End')
      return;
    e.preventDefault();
    const index = scenarios.findIndex((s) => s.id === selectedId);
    const last = scenarios.length - 1;
    const next =
      e.key === 'Home'
        ? 0
        : e.key === 'End'
          ? last
          : e.key === 'ArrowRight'
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

  return (
    <nav className="border-b border-line bg-surface" aria-label="Scenarios">
      <div className="mx-auto flex max-w-[1600px] items-end gap-2 overflow-x-auto px-4 sm:px-6">
        <div
          role="tablist"
          aria-label="Scenarios"
          ref={listRef}
          onKeyDown={onKeyDown}
          className="flex items-end gap-1"
        >
          {scenarios.map((s) => {
            const selected = s.id === selectedId;
            const viewers = peers.filter((p) => p.scenarioId === s.id);
            return (
              <button
                key={s.id}
                type="button"
                role="tab"
                id={scenarioTabId(s.id)}
                aria-controls={SCENARIO_PANEL_ID}
                data-scenario-id={s.id}
                data-testid="scenario-tab"
                aria-selected={selected}
                tabIndex={selected ? 0 : -1}
                onClick={() => onSelect(s.id)}
                className={`relative flex h-11 shrink-0 items-center gap-2 rounded-t-lg px-3.5 text-sm font-medium whitespace-nowrap transition-colors ${
                  selected ? 'text-ink' : 'text-muted hover:bg-canvas hover:text-ink'
                }`}
              >
                <span
                  className="size-2.5 rounded-full"
                  style={{ backgroundColor: s.color }}
                  aria-hidden="true"
                />
                {s.name}
                {s.id === baselineId && s.name.trim().toLowerCase() !== 'baseline' && (
                  <span className="text-xs font-normal text-muted">baseline</span>
                )}
                {viewers.length > 0 && (
                  <span className="flex -space-x-1" aria-label={`${viewers.length} viewing`}>
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
                {selected && (
                  <span
                    className="absolute inset-x-2 bottom-0 h-0.5 rounded-full"
                    style={{ backgroundColor: s.color }}
                    aria-hidden="true"
                  />
                )}
              </button>
            );
          })}
        </div>
        {onAdd && (
          <button
            type="button"
            onClick={onAdd}
            data-testid="add-scenario"
            title="Add a scenario that starts as a copy of the one shown"
            className="mb-1.5 flex h-8 shrink-0 items-center gap-1 rounded-lg px-2.5 text-sm text-muted hover:bg-canvas hover:text-ink"
          >
            <span aria-hidden="true" className="text-base leading-none">
              +
            </span>{' '}
            Duplicate scenario
          </button>
        )}
      </div>
    </nav>
  );
}
