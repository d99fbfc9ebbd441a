'use client';

import { useMemo, useState, type ComponentType, type ReactNode } from 'react';
import {
  ASSUMPTION_GROUPS,
  HEADLINE_LEVERS,
  MODEL_ID,
  getModel,
  type AssumptionGroupId,
  type AssumptionId,
  type ModelDefinition,
} from '@/lib/model';
import { lockText, type Lock } from '@/lib/board/locks';
import type { ScenarioState } from '@/lib/board/scenarios';
import type { PeerPresence } from '@/lib/client/boardSession';
import { editorsOf } from '@/lib/client/presence';
import { Avatar } from '@/components/ui/Avatar';
import { AssumptionRow, type AssumptionWriter } from './AssumptionRow';
import { useTranslations } from 'next-intl';
import { useLocaleFormat } from '@/lib/i18n/format';
import { useAssumptionText } from './useAssumptionText';
import { ScenarioSwatch } from '@/components/ui/ScenarioSwatch';
import { ChevronRight } from 'lucide-react';

export type { AssumptionWriter };

interface AssumptionsPanelProps {
  scenario: ScenarioState;
  peers: readonly PeerPresence[];
  writer: AssumptionWriter;
  /** Why nothing can be changed (view-only link, frozen board, a kept scenario), or null. */
  readOnly: string | null;
  /** What the read-only note adds after the reason. */
  readOnlyNote?: string;
  /** The moderator's switches over what the room may touch, shown above the levers. */
  rules?: ReactNode;
  /** Locks that apply to this person (none for moderators). */
  locks: Partial<Record<AssumptionId, Lock>>;
  /** Feature tools shown on every row (stable component references). */
  rowTools?: readonly ComponentType<{ assumptionId: AssumptionId }>[];
  /** The board's model version: which assumptions it has (default: the newest model). */
  model?: ModelDefinition;
  /** The assumption the moderator spotlights: its group opens when it does (the room sees it). */
  spotlight?: AssumptionId | null;
}

const HEADLINE = new Set<AssumptionId>(HEADLINE_LEVERS);
const NEWEST = getModel(MODEL_ID)!;

/** The non-headline assumptions of a model version, by group. */
function groupsOf(model: ModelDefinition) {
  return ASSUMPTION_GROUPS.filter((g) => g.id !== 'levers')
    .map((g) => ({
      ...g,
      ids: model.assumptionIds.filter(
        (id) => model.assumptions[id].group === g.id && !HEADLINE.has(id),
      ),
    }))
    .filter((g) => g.ids.length > 0);
}

/** The headline levers in a prominent card, then every other assumption in collapsible groups. */
export function AssumptionsPanel({
  scenario,
  peers,
  writer,
  readOnly,
  readOnlyNote,
  rules,
  locks,
  rowTools,
  model = NEWEST,
  spotlight = null,
}: AssumptionsPanelProps) {
  const t = useTranslations('assumptions');
  const text = useAssumptionText();
  const GROUPS = useMemo(() => groupsOf(model), [model]);
  const ASSUMPTIONS = model.assumptions;
  const hasProgramme = model.assumptionIds.includes('programmeYears');
  const lockedReason = (id: AssumptionId): string | null => {
    const lock = locks[id];
    return readOnly ?? (lock ? lockText(lock) : null);
  };
  /** One assumption's row, the same in the headline card and in the groups. */
  const row = (id: AssumptionId, prominent = false) => (
    <AssumptionRow
      key={id}
      spec={ASSUMPTIONS[id]}
      value={scenario.values[id]}
      editors={editorsOf(peers, scenario.id, id)}
      writer={writer}
      locked={lockedReason(id)}
      showLock={!readOnly && !!locks[id]}
      prominent={prominent}
      tools={rowTools}
    />
  );
  const groupOfSpotlight = (id: AssumptionId | null) =>
    id === null ? undefined : GROUPS.find((g) => g.ids.includes(id))?.id;
  const [open, setOpen] = useState<ReadonlySet<AssumptionGroupId>>(() => {
    const spotlit = groupOfSpotlight(spotlight);
    return new Set(spotlit ? [spotlit] : []);
  });
  // A new spotlight opens its group (the room sees the row); the person may close it again.
  const [seenSpotlight, setSeenSpotlight] = useState(spotlight);
  if (spotlight !== seenSpotlight) {
    setSeenSpotlight(spotlight);
    const spotlit = groupOfSpotlight(spotlight);
    if (spotlit && !open.has(spotlit)) setOpen(new Set(open).add(spotlit));
  }
  const format = useLocaleFormat();
  /** The programme in words: the same figures as describeProgramme, in the page's language. */
  const programmeSummary = (a: ScenarioState['values']): string => {
    const years = Math.max(0, Math.round(a.programmeYears));
    if (years === 0 || a.trainingOutput <= 0) return t('noProgramme');
    const last = a.programmeStart + years - 1;
    return t('programmeSummary', {
      total: format.number(a.trainingOutput * years),
      span: years === 1 ? `${a.programmeStart}` : `${a.programmeStart}–${last}`,
      perYear: format.number(a.trainingOutput),
      years,
    });
  };

  return (
    <div className="flex flex-col gap-5">
      {readOnly && (
        <p
          role="note"
          className="rounded-xl border border-line bg-surface px-4 py-3 text-sm text-muted"
          data-testid="read-only-note"
        >
          {readOnly} {readOnlyNote ?? t('readOnlyNote')}
        </p>
      )}
      {rules}
      <section
        aria-labelledby="levers-heading"
        className="rounded-2xl border border-line bg-surface shadow-sm"
        data-testid="headline-levers"
      >
        <div className="flex items-center justify-between gap-3 border-b border-line px-5 pt-4 pb-3">
          <div>
            <h2 id="levers-heading" className="font-semibold">
              {text.group('levers').label}
            </h2>
            <p className="text-sm text-muted">{text.group('levers').description}</p>
          </div>
          <ScenarioSwatch
            color={scenario.color}
            size="lg"
            className="flex"
            title={t('editing', { name: scenario.name })}
          />
        </div>
        <div className="flex flex-col gap-1 p-1.5">
          {HEADLINE_LEVERS.map((id) => row(id, true))}
          {hasProgramme && (
            <p className="px-3.5 pt-1 pb-2 text-sm text-muted" data-testid="programme-summary">
              {t('programme', { summary: programmeSummary(scenario.values) })}
            </p>
          )}
        </div>
      </section>

      <div className="flex flex-col gap-3">
        <h2 className="px-1 text-sm font-semibold tracking-wide text-muted uppercase">
          {t('more')}
        </h2>
        {GROUPS.map((group) => {
          const isOpen = open.has(group.id);
          const changed = group.ids.filter(
            (id) => scenario.values[id] !== ASSUMPTIONS[id].default,
          ).length;
          const editing = peers.filter(
            (p) =>
              p.editing?.scenarioId === scenario.id && group.ids.includes(p.editing.assumptionId),
          );
          const panelId = `group-${group.id}`;
          return (
            <section
              key={group.id}
              className="rounded-2xl border border-line bg-surface"
              data-testid={`group-${group.id}`}
            >
              <h3>
                <button
                  type="button"
                  aria-expanded={isOpen}
                  aria-controls={panelId}
                  onClick={() =>
                    setOpen((prev) => {
                      const next = new Set(prev);
                      if (next.has(group.id)) next.delete(group.id);
                      else next.add(group.id);
                      return next;
                    })
                  }
                  className="flex w-full items-center gap-3 rounded-2xl px-5 py-3.5 text-start hover:bg-canvas/60"
                >
                  <ChevronRight
                    className={`size-4 shrink-0 text-muted transition-transform ${isOpen ? 'rotate-90' : 'rtl:-scale-x-100'}`}
                    aria-hidden="true"
                  />
                  <span className="min-w-0 flex-1">
                    <span className="block font-medium">{text.group(group.id).label}</span>
                    <span className="block truncate text-sm text-muted">
                      {text.group(group.id).description}
                    </span>
                  </span>
                  {editing.length > 0 && (
                    <span className="flex -space-x-1">
                      {editing.slice(0, 3).map((p) => (
                        <Avatar
                          key={p.awarenessId}
                          name={p.user.name}
                          color={p.user.color}
                          size="xs"
                          note={t('editingHere')}
                        />
                      ))}
                    </span>
                  )}
                  <span className="shrink-0 text-xs text-muted tabular-nums">
                    {changed > 0 ? (
                      <span className="rounded-full bg-accent-soft px-2 py-0.5 font-medium text-accent">
                        {t('changed', { count: changed })}
                      </span>
                    ) : (
                      t('count', { count: group.ids.length })
                    )}
                  </span>
                </button>
              </h3>
              <div
                id={panelId}
                hidden={!isOpen}
                className="flex flex-col gap-1 border-t border-line p-1.5"
              >
                {/* A closed group's rows are not rendered at all: most of the board's first
                    render on a phone, and nothing anyone can see or reach. */}
                {isOpen && group.ids.map((id) => row(id))}
              </div>
            </section>
          );
        })}
      </div>
    </div>
  );
}
