'use client';

import { useEffect, useRef, useState } from 'react';
import { setPresenterFocus } from '@/lib/board/presenter';
import { isAssumptionId, type AssumptionId } from '@/lib/model';
import {
  assumptionRow,
  followStoreOf,
  isPresenting,
  useFollow,
  useWorkshopDoc,
} from '@/lib/client/workshop';
import {
  OUTCOME_TABS,
  useBoardContext,
  type OutcomeTab,
  useSharedBoard,
} from '@/components/board/BoardContext';

/** How long the presenter's view must stay put before it is written (a burst of clicks = one write). */
const FOCUS_DEBOUNCE_MS = 150;

const isTab = (t: string): t is OutcomeTab => OUTCOME_TABS.some((x) => x.id === t);

function scrollToRow(id: string): void {
  const row = assumptionRow(id);
  if (!row) return;
  const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  row.scrollIntoView({ block: 'center', behavior: reduce ? 'auto' : 'smooth' });
}

/**
 * The presenter behaviour, without UI: the presenting moderator's view is written to the presenter
 * focus; everyone else mirrors it while they follow; the spotlight marks its row on every screen.
 */
export function PresenterSync() {
  const { role } = useBoardContext();
  return (
    <>
      {role === 'moderator' ? <WriteFocus /> : <FollowFocus />}
      <Spotlight />
    </>
  );
}

/** The assumption row that holds the keyboard focus or was last clicked. */
function useFocusedAssumption(): AssumptionId | null {
  const [focused, setFocused] = useState<AssumptionId | null>(null);
  useEffect(() => {
    const onFocus = (e: Event) => {
      const row = (e.target as Element | null)?.closest?.('[data-testid^="assumption-"]');
      const id = row?.getAttribute('data-testid')?.slice('assumption-'.length);
      if (id && isAssumptionId(id)) setFocused(id);
    };
    document.addEventListener('focusin', onFocus);
    document.addEventListener('pointerdown', onFocus);
    return () => {
      document.removeEventListener('focusin', onFocus);
      document.removeEventListener('pointerdown', onFocus);
    };
  }, []);
  return focused;
}

function WriteFocus() {
  const { session, scenarioId, tab } = useBoardContext();
  const { focus } = useWorkshopDoc(session.doc);
  const assumptionId = useFocusedAssumption();
  const presenting = isPresenting(focus);
  const recall = focus?.recall ?? 0;
  const localView = JSON.stringify([scenarioId, tab, assumptionId]);
  // Only this tab's own navigation is written: a second moderator tab (or a co-moderator) whose
  // view merely differs from the focus must not write it back, or the two would fight forever.
  const lastLocalView = useRef(localView);
  useEffect(() => {
    if (!presenting || lastLocalView.current === localView) {
      lastLocalView.current = localView;
      return;
    }
    const id = setTimeout(() => {
      lastLocalView.current = localView;
      setPresenterFocus(session.doc, { scenarioId, tab, assumptionId, recall });
    }, FOCUS_DEBOUNCE_MS);
    return () => clearTimeout(id);
  }, [presenting, localView, session, scenarioId, tab, assumptionId, recall]);
  return null;
}

function FollowFocus() {
  const { session, scenarioId, tab, selectScenario, setTab } = useBoardContext();
  const board = useSharedBoard();
  const { focus } = useWorkshopDoc(session.doc);
  const { following } = useFollow(session);
  const presenting = isPresenting(focus);
  const editingHere = useEditingAnAssumption();
  /** The focus last mirrored, so a later difference can only be the person's own navigation. */
  const applied = useRef<string | null>(null);
  const recallSeen = useRef<number | null>(null);
  const wasPresenting = useRef(false);

  // Starting to present, or "bring everyone back", makes everyone follow again.
  useEffect(() => {
    const store = followStoreOf(session);
    if (presenting && !wasPresenting.current) store.set(true);
    wasPresenting.current = presenting;
    const recall = focus?.recall ?? 0;
    if (recallSeen.current !== null && recall > recallSeen.current) {
      applied.current = null;
      store.set(true);
    }
    recallSeen.current = recall;
  }, [session, presenting, focus?.recall]);

  const target = presenting ? focus : null;
  const targetScenario =
    target && board.scenarios.some((s) => s.id === target.scenarioId) ? target.scenarioId : null;
  const targetTab = target && isTab(target.tab) ? target.tab : null;
  const key = target
    ? `${targetScenario}|${targetTab}|${target.assumptionId}|${target.recall}`
    : null;

  useEffect(() => {
    if (!following || !target || key === null) {
      applied.current = null;
      return;
    }
    if (applied.current !== key) {
      // Switching scenario under a slider or a number box would send the rest of the edit to
      // the presenter's scenario: follow once this person lets go.
      if (editingHere && targetScenario && targetScenario !== scenarioId) return;
      const previous = applied.current;
      applied.current = key;
      if (targetScenario && targetScenario !== scenarioId) selectScenario(targetScenario);
      if (targetTab && targetTab !== tab) setTab(targetTab);
      const assumption = target.assumptionId;
      if (
        assumption &&
        (previous === null || !previous.endsWith(`|${assumption}|${target.recall}`))
      )
        requestAnimationFrame(() => scrollToRow(assumption));
      return;
    }
    // Already mirrored: a difference now is this person's own navigation.
    if ((targetScenario && targetScenario !== scenarioId) || (targetTab && targetTab !== tab))
      followStoreOf(session).set(false);
  }, [
    following,
    target,
    key,
    targetScenario,
    targetTab,
    scenarioId,
    tab,
    selectScenario,
    setTab,
    session,
    editingHere,
  ]);
  return null;
}

/** True while the keyboard focus (a number box, or a slider being dragged) is in an assumption row. */
function useEditingAnAssumption(): boolean {
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    const update = () => {
      const active = document.activeElement;
      setEditing(!!active?.closest?.('[data-testid^="assumption-"]') && active.tagName === 'INPUT');
    };
    // On focusout the next element is not focused yet: look once the event has passed.
    let timer = 0;
    const later = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(update, 0);
    };
    document.addEventListener('focusin', update);
    document.addEventListener('focusout', later);
    return () => {
      window.clearTimeout(timer);
      document.removeEventListener('focusin', update);
      document.removeEventListener('focusout', later);
    };
  }, []);
  return editing;
}

function Spotlight() {
  const { session, role, scenarioId, tab } = useBoardContext();
  const { spotlight } = useWorkshopDoc(session.doc);
  // Mark the row; re-applied when rows may have re-rendered (scenario or tab change).
  useEffect(() => {
    if (!spotlight) return;
    const row = assumptionRow(spotlight);
    if (!row) return;
    row.setAttribute('data-spotlight', 'true');
    return () => row.removeAttribute('data-spotlight');
  }, [spotlight, scenarioId, tab]);
  useEffect(() => {
    if (spotlight && role !== 'moderator') requestAnimationFrame(() => scrollToRow(spotlight));
  }, [spotlight, role]);
  return null;
}
