'use client';

import dynamic from 'next/dynamic';
import { ChangeAnnouncer } from './ChangeAnnouncer';
import { ServerNoticeToast } from './ServerNoticeToast';
import { useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { addScenario, setAssumption } from '@/lib/board/scenarios';
import { scenarioOrBaseline } from '@/lib/board/boardState';
import { kpis, modelOfBoard, plausibilityWarnings, project, type AssumptionId } from '@/lib/model';
import type { Participant, Role } from '@/lib/protocol';
import { useDocumentTitle } from '@/lib/client/useDocumentTitle';
import { LINK_REPLACED, type ConnectionState, type EditingTarget } from '@/lib/client/boardSession';
import { useBoardSession, useBoardState } from '@/lib/client/useBoardSession';
import { rememberBoard, renameRememberedBoard } from '@/lib/client/recentBoards';
import { BoardHeader } from './BoardHeader';
import { SCENARIO_PANEL_ID, ScenarioTabs, scenarioTabId } from './ScenarioTabs';
import { AssumptionsPanel, type AssumptionWriter } from './AssumptionsPanel';
import { KpiCards } from './KpiCards';
import { ExportsChart } from './ExportsChart';
import { ActualsPanel } from './ActualsPanel';
import { ScenarioComparison } from './ScenarioComparison';
import { MobileKpiBar } from './MobileKpiBar';
import { BoardSkeleton } from './BoardSkeleton';
import { CloseCode, closeReason } from '@/lib/protocol';
import {
  BoardContextProvider,
  OUTCOME_TABS,
  type BoardContextValue,
  type OutcomeTab,
} from './BoardContext';
import { currentDecision } from '@/lib/board/decisionRecord';
import { HeaderHistoryControls } from '@/components/history/HeaderHistoryControls';
import { AssumptionComments } from '@/components/history/AssumptionComments';
import { HeaderSessionControls } from '@/components/workshop/HeaderSessionControls';
import { SessionOverlay } from '@/components/workshop/SessionOverlay';
import { ScenarioRules } from '@/components/workshop/ScenarioRules';
import { scenarioHold } from '@/lib/board/facilitation';
import { isPresenting, useWorkshopDoc } from '@/lib/client/workshop';
import { useDocValue } from '@/lib/client/history';
import { useTranslations } from 'next-intl';
import { useCodedText } from '@/lib/i18n/apiErrors';

/**
 * The analysis and history tabs load when opened: they bring Recharts, the Monte Carlo worker and
 * the version tools, none of which a participant needs before the board is usable (bench/phone.ts).
 */
const AnalysisTab = dynamic(
  () => import('@/components/analysis/AnalysisTab').then((m) => m.AnalysisTab),
  { ssr: false, loading: TabLoading },
);
const HistoryTab = dynamic(
  () => import('@/components/history/HistoryTab').then((m) => m.HistoryTab),
  { ssr: false, loading: TabLoading },
);

/**
 * Parts only some people see, loaded when shown (issue 11's phone budget: a participant's first
 * visit ships none of them): the decision on record, and the moderator's own tools.
 */
const DecisionBanner = dynamic(
  () => import('@/components/history/Decision').then((m) => m.DecisionBanner),
  { ssr: false },
);
const OffPresentedToast = dynamic(
  () => import('@/components/history/Activity').then((m) => m.OffPresentedToast),
  { ssr: false },
);
// Shown only when edits could not be saved, or the board is gone.
const UnsentEditsNotice = dynamic(
  () => import('./UnsentEditsNotice').then((m) => m.UnsentEditsNotice),
  { ssr: false },
);
const NotFoundView = dynamic(() => import('./NotFoundView').then((m) => m.NotFoundView), {
  ssr: false,
});
const ModelUpgrade = dynamic(() => import('./ModelUpgrade').then((m) => m.ModelUpgrade), {
  ssr: false,
});
const AssumptionModeratorTools = dynamic(
  () =>
    import('@/components/workshop/AssumptionModeratorTools').then(
      (m) => m.AssumptionModeratorTools,
    ),
  { ssr: false },
);

function LoadingText() {
  return useTranslations('board')('loading');
}

function TabLoading() {
  return (
    <p className="py-16 text-center text-sm text-muted" role="status">
      <LoadingText />
    </p>
  );
}

/** Tools on every assumption row: moderator tools, then comments. Stable, so rows stay memoised. */
const ROW_TOOLS = [AssumptionComments];
const MODERATOR_ROW_TOOLS = [AssumptionModeratorTools, AssumptionComments];

const NO_LOCKS = Object.freeze({});

interface BoardViewProps {
  boardId: string;
  access: { token: string | null };
  /** The role the server reported for this device's link. */
  role: Role;
  initialTitle: string | null;
  identity: Participant | null;
  onChangeIdentity: () => void;
}

/** The live board: header, scenario tabs, assumptions on the left, outcomes on the right. */
export function BoardView({
  boardId,
  access,
  role: initialRole,
  initialTitle,
  identity,
  onChangeIdentity,
}: BoardViewProps) {
  const t = useTranslations('board');
  const stoppedMessage = useStoppedMessage();
  const { session, snapshot } = useBoardSession(boardId, access, identity);
  const { board, locks } = useBoardState(session.doc);
  // The board state follows the document in a transition (useBoardState): the session can know
  // the board is there a render before the state shows it.
  const loaded = snapshot.loaded && board.scenarios.length > 0;
  const role = snapshot.role ?? initialRole;
  const { me } = snapshot;
  const stopped = snapshot.connection.state === 'error';
  // Edits wait for the participant credential, so every one is attributed to this person.
  const readOnly: string | null =
    role === 'viewer'
      ? t('readOnly.viewer')
      : identity === null
        ? t('readOnly.noName')
        : me === null
          ? (snapshot.joinNotice ?? t('readOnly.joining'))
          : board.meta.frozen && role !== 'moderator'
            ? t('readOnly.frozen')
            : null;
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [tab, setTab] = useState<OutcomeTab>('outcomes');

  const scenario = scenarioOrBaseline(board, selectedId);
  const scenarioId = scenario?.id ?? null;
  const title = loaded ? board.meta.title : (initialTitle ?? board.meta.title);

  useEffect(() => session.setViewing(scenarioId), [session, scenarioId]);

  // Recent boards: on open, then whenever the shared title changes.
  useEffect(() => {
    rememberBoard({ id: boardId, title: initialTitle ?? 'Untitled board' });
  }, [boardId, initialTitle]);
  useEffect(() => {
    if (loaded) renameRememberedBoard(boardId, title);
  }, [boardId, title, loaded]);
  const appName = useTranslations('meta')('appName');
  useDocumentTitle(`${title} · ${appName}`);

  const values = scenario?.values ?? null;
  // R22: the board's reported actuals fix past years; the projection continues from the latest.
  const actuals = board.actuals;
  const projection = useMemo(() => (values ? project(values, actuals) : null), [values, actuals]);
  const headline = useMemo(() => (projection ? kpis(projection) : null), [projection]);
  // The chart may lag a frame behind a fast slider; the numbers never do. Not when the board
  // first arrives: a deferred value is still null then, and the chart would wait for a
  // background render that any socket message interrupts (bench/phone.ts, first chart).
  const deferredProjection = useDeferredValue(projection);
  const chartProjection = deferredProjection ?? projection;
  // The comparison re-projects every scenario: let it lag a slider drag like the chart does.
  const comparedScenarios = useDeferredValue(board.scenarios);

  const writer = useMemo<AssumptionWriter>(
    () => ({
      // The server records the decision log (who, from, to) for every edit it accepts.
      set: (id: AssumptionId, value: number) =>
        scenarioId
          ? setAssumption(session.doc, scenarioId, id, value)
          : { ok: false, error: 'No scenario' },
      setEditing: (id: AssumptionId | null) =>
        session.setEditing(
          id && scenarioId ? ({ scenarioId, assumptionId: id } satisfies EditingTarget) : null,
        ),
    }),
    [session, scenarioId],
  );

  const onAddScenario = useCallback(() => {
    if (!scenario) return;
    const n = board.scenarios.length + 1;
    const id = addScenario(session.doc, { name: t('newScenario', { n }), fromId: scenario.id });
    setSelectedId(id);
  }, [board.scenarios.length, scenario, session, t]);

  const editBlock = readOnly ?? (stopped ? t('readOnly.disconnected') : null);
  // What the moderator keeps from the room (the server refuses it too): the baseline unless
  // opened, other scenarios while the room edits only the presented one.
  const { focus, spotlight } = useWorkshopDoc(session.doc);
  const hasDecision = useDocValue(session.doc, currentDecision) !== null;
  // A moderator back after a reload while presenting lands on what the room sees, not on the
  // baseline (once per load, adjusted during render: afterwards their own navigation leads).
  const [landed, setLanded] = useState(false);
  if (!landed && loaded) {
    setLanded(true);
    // A viewer (the stakeholder a week later) lands on what was decided: the agreed scenario.
    const decided = role === 'viewer' ? currentDecision(session.doc) : null;
    if (decided && board.scenarios.some((s) => s.id === decided.scenarioId))
      setSelectedId(decided.scenarioId);
    if (role === 'moderator' && isPresenting(focus)) {
      if (board.scenarios.some((s) => s.id === focus.scenarioId)) setSelectedId(focus.scenarioId);
      const presentedTab = OUTCOME_TABS.find((t) => t.id === focus.tab);
      if (presentedTab) setTab(presentedTab.id);
    }
  }
  const presentedId = focus?.scenarioId ?? null;
  const hold =
    role === 'editor' && scenarioId
      ? scenarioHold(
          board.meta,
          presentedId,
          scenarioId,
          (id) => board.scenarios.find((s) => s.id === id)?.name,
        )
      : null;
  // While the room works on the presented scenario only, new scenarios would be refused.
  const addingHeld = role === 'editor' && board.meta.editPresentedOnly && isPresenting(focus);
  const canAdd = !(readOnly || stopped || addingHeld);
  const context = useMemo<BoardContextValue | null>(
    () =>
      scenarioId
        ? {
            boardId,
            access,
            role,
            identity,
            me,
            session,
            locks,
            scenarioId,
            selectScenario: setSelectedId,
            tab,
            setTab,
            readOnly: editBlock,
          }
        : null,
    [boardId, access, role, identity, me, session, locks, scenarioId, tab, editBlock],
  );

  // The header's session and history controls read the board context only (not the board or the
  // session state): the same element while the context is, so an edit does not re-render the header.
  const headerControls = useMemo(
    () =>
      context ? (
        <BoardContextProvider value={context}>
          <HeaderSessionControls />
          <HeaderHistoryControls />
        </BoardContextProvider>
      ) : null,
    [context],
  );

  if (snapshot.fatalCode === CloseCode.boardNotFound) return <NotFoundView />;

  const header = (
    <BoardHeader
      boardId={boardId}
      token={access.token}
      me={me}
      role={role}
      title={title}
      connection={snapshot.connection}
      roster={snapshot.roster}
      roomPeople={snapshot.people}
      peers={snapshot.peers}
      identity={identity}
      onChangeIdentity={onChangeIdentity}
      extras={headerControls}
    />
  );

  if (!loaded || !scenario || !projection || !headline || !chartProjection || !context) {
    return (
      <div className="flex min-h-dvh flex-col">
        {header}
        <div className="flex-1">
          <BoardSkeletonBody connection={snapshot.connection} />
        </div>
      </div>
    );
  }

  return (
    <BoardContextProvider value={context} board={board} snapshot={snapshot}>
      <div className="flex min-h-dvh flex-col">
        {header}
        {/* One main landmark for everything below the header (axe: all content in landmarks). */}
        <main className="flex flex-1 flex-col">
          <SessionOverlay />
          <ServerNoticeToast notice={snapshot.notice} />
          <ChangeAnnouncer doc={session.doc} selfId={me?.id ?? null} />
          {role === 'moderator' && <OffPresentedToast />}
          {role === 'moderator' && <ModelUpgrade />}
          {stopped && (
            <div
              role="alert"
              className="border-b border-danger/30 bg-danger/5 px-4 py-2.5 text-center text-sm text-danger sm:px-6"
            >
              {stoppedMessage(snapshot.connection)}
              {snapshot.fatalCode === CloseCode.clientOutdated && (
                <button
                  type="button"
                  onClick={() => window.location.reload()}
                  className="ms-3 rounded-md border border-danger/40 px-2.5 py-1 font-medium hover:bg-danger/10"
                  data-testid="reload-outdated"
                >
                  {t('reload')}
                </button>
              )}
            </div>
          )}
          {snapshot.unsentEdits && (
            <UnsentEditsNotice
              session={session}
              boardId={boardId}
              reason={snapshot.unsentEdits.reason}
            />
          )}
          {hasDecision && <DecisionBanner />}
          <ScenarioTabs
            scenarios={board.scenarios}
            selectedId={scenario.id}
            baselineId={board.meta.baselineScenarioId}
            peers={snapshot.peers}
            onSelect={setSelectedId}
            onAdd={canAdd ? onAddScenario : null}
          />
          <div
            id={SCENARIO_PANEL_ID}
            role="tabpanel"
            aria-labelledby={scenarioTabId(scenario.id)}
            className="mx-auto grid w-full max-w-[1600px] flex-1 items-start gap-6 px-4 pt-5 pb-28 sm:px-6 lg:pb-12 lg:grid-cols-[minmax(360px,440px)_minmax(0,1fr)] lg:gap-8"
          >
            <aside className="min-w-0" aria-label={t('assumptions')}>
              <AssumptionsPanel
                scenario={scenario}
                peers={snapshot.peers}
                writer={writer}
                readOnly={editBlock ?? hold}
                readOnlyNote={editBlock ? undefined : t('readOnly.holdNote')}
                rules={<ScenarioRules />}
                locks={role === 'moderator' ? NO_LOCKS : locks}
                rowTools={role === 'moderator' ? MODERATOR_ROW_TOOLS : ROW_TOOLS}
                model={modelOfBoard(board.meta)}
                spotlight={spotlight}
              />
            </aside>
            <section
              id="outcomes"
              className="flex min-w-0 scroll-mt-4 flex-col gap-5 lg:sticky lg:top-5"
              aria-label={t('outcomes')}
            >
              <KpiCards
                kpis={headline}
                baseTotal={projection.years[0]?.total ?? 0}
                warnings={plausibilityWarnings(projection)}
              />
              <OutcomeTabBar tab={tab} onSelect={setTab} />
              <div
                role="tabpanel"
                id={`tabpanel-${tab}`}
                aria-labelledby={`tab-${tab}`}
                className="flex flex-col gap-5"
              >
                {tab === 'outcomes' && (
                  <>
                    <ExportsChart
                      projection={chartProjection}
                      scenarioName={scenario.name}
                      showWithoutProgramme={modelOfBoard(board.meta).assumptionIds.includes(
                        'programmeYears',
                      )}
                    />
                    <ActualsPanel />
                    <ScenarioComparison
                      scenarios={comparedScenarios}
                      selectedId={scenario.id}
                      onSelect={setSelectedId}
                      onAdd={canAdd ? onAddScenario : null}
                    />
                  </>
                )}
                {tab === 'analysis' && <AnalysisTab />}
                {tab === 'history' && <HistoryTab />}
              </div>
            </section>
          </div>
          <MobileKpiBar kpis={headline} outcomesId="outcomes" />
        </main>
      </div>
    </BoardContextProvider>
  );
}

/** Tabs of the outcomes column (what the presenter view follows). */
function OutcomeTabBar({
  tab,
  onSelect,
}: {
  tab: OutcomeTab;
  onSelect: (tab: OutcomeTab) => void;
}) {
  const t = useTranslations('board');
  return (
    <div
      role="tablist"
      aria-label={t('outcomeViews')}
      className="flex gap-1 border-b border-line"
      data-testid="outcome-tabs"
    >
      {OUTCOME_TABS.map((o) => (
        <button
          key={o.id}
          id={`tab-${o.id}`}
          type="button"
          role="tab"
          aria-selected={tab === o.id}
          aria-controls={`tabpanel-${o.id}`}
          data-testid={`tab-${o.id}`}
          onClick={() => onSelect(o.id)}
          className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${
            tab === o.id ? 'border-accent text-ink' : 'border-transparent text-muted hover:text-ink'
          }`}
        >
          {t(`tab.${o.id}`)}
        </button>
      ))}
    </div>
  );
}

/** Why the board stopped syncing, in plain words and the reader's language, and what to do. */
function useStoppedMessage(): (connection: ConnectionState) => string {
  const t = useTranslations('board');
  const codedText = useCodedText();
  return (connection) => {
    if (connection.state !== 'error') return '';
    if (connection.reason === LINK_REPLACED) return t('stopped.linkReplaced');
    // CloseCode.clientOutdated: this tab's code is older than the server's; the IndexedDB copy
    // keeps anything not yet sent, and the reloaded page sends it.
    if (connection.reason === closeReason[CloseCode.clientOutdated]) return t('stopped.outdated');
    // A refusal the server named (an expired credential, another board's link...); the frame
    // adds its own full stop.
    const reason = connection.code
      ? codedText(connection.code, connection.reason).replace(/[.۔]$/, '')
      : connection.reason;
    return t('stopped.other', { reason });
  };
}

function BoardSkeletonBody({ connection }: { connection: ConnectionState }) {
  const t = useTranslations('board');
  const stoppedMessage = useStoppedMessage();
  if (connection.state === 'error') {
    return (
      <p role="alert" className="mx-auto max-w-xl px-6 py-16 text-center text-danger">
        {stoppedMessage(connection)}
      </p>
    );
  }
  if (connection.state === 'offline' || connection.state === 'paused') {
    return (
      <div className="mx-auto max-w-xl px-6 py-16 text-center">
        <h2 className="text-lg font-semibold">{t('waiting.title')}</h2>
        <p className="mt-2 text-muted">{t('waiting.text')}</p>
      </div>
    );
  }
  return <BoardSkeleton header={false} />;
}
