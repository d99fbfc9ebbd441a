'use client';

import { scenarioOrBaseline } from '@/lib/board/boardState';

import { useDocumentTitle } from '@/lib/client/useDocumentTitle';
import { useQrCodeSrc } from '@/lib/client/qr';

import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslations } from 'next-intl';
import type { BoardSession } from '@/lib/client/boardSession';
import type { BoardSessionState } from '@/lib/client/boardSession';
import type { BoardState } from '@/lib/board/boardState';
import type { ScenarioState } from '@/lib/board/scenarios';
import type { PresentPerson } from '@/lib/client/presence';
import { useAssumptionText } from '@/components/board/useAssumptionText';
import { Ltr } from '@/components/ui/Ltr';
import { BoardLanguage } from './BoardLanguage';
import { fetchBoardLinks, lookupBoard, type BoardLinks, type BoardLookup } from '@/lib/client/api';
import { takeBoardToken } from '@/lib/client/boardAccess';
import { useIdentity } from '@/lib/client/identity';
import { useBoardSession, useBoardState } from '@/lib/client/useBoardSession';
import { presentCount, presentPeople } from '@/lib/client/presence';
import { isPresenting, timerActive, useLiveSession, useWorkshopDoc } from '@/lib/client/workshop';
import {
  ASSUMPTIONS,
  ASSUMPTION_IDS,
  isAssumptionId,
  kpis,
  project,
  type AssumptionId,
  type Assumptions,
  type AssumptionSpec,
  type Kpis,
  type Projection,
} from '@/lib/model';
import type * as Y from 'yjs';
import { readLog } from '@/lib/board/decisionLog';
import { useDocValue } from '@/lib/client/history';
import type { Participant } from '@/lib/protocol';
import { ExportsChart } from '@/components/board/ExportsChart';
import { KpiCards } from '@/components/board/KpiCards';
import { NotFoundView } from '@/components/board/NotFoundView';
import { AccessView } from '@/components/board/AccessView';
import { Avatar } from '@/components/ui/Avatar';
import { TimerDisplay } from './TimerDisplay';
import { PollCard } from './PollCard';
import { QaCard } from './QaCard';
import { agendaLine } from './Agenda';
import { readAgenda } from '@/lib/board/agenda';
import { FloatingReactions } from './Reactions';
import { Hand } from 'lucide-react';
import { ScenarioSwatch } from '@/components/ui/ScenarioSwatch';

const PROJECTOR: Participant = { name: 'Projector', color: '#59636e' };

/** The projector view, client side: the same token handling as the board page. */
export function PresentApp({ boardId }: { boardId: string }) {
  const [access] = useState(() => ({ token: takeBoardToken(boardId) }));
  const [lookup, setLookup] = useState<BoardLookup | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    lookupBoard(boardId, access.token, controller.signal).then(setLookup, () => undefined);
    return () => controller.abort();
  }, [boardId, access.token]);
  if (lookup === null) return <div className="min-h-dvh bg-surface" />;
  if (lookup.kind === 'not-found') return <NotFoundView />;
  if (lookup.kind === 'denied')
    return <AccessView refusal={access.token ? lookup.code : undefined} />;
  if (!access.token) return <AccessView />;
  return <PresentView boardId={boardId} access={access} />;
}

function PresentView({ boardId, access }: { boardId: string; access: { token: string | null } }) {
  // The projector joins with the credential this browser holds for the link (the moderator's own
  // participant id), so the moderator is not counted twice.
  const identity = useIdentity() ?? PROJECTOR;
  const { session, snapshot } = useBoardSession(boardId, access, identity);
  const { board } = useBoardState(session.doc);
  const { focus } = useWorkshopDoc(session.doc);
  const links = useLinks(boardId, access.token, snapshot.role);

  const scenario = scenarioOrBaseline(board, isPresenting(focus) ? focus.scenarioId : null);
  const values = scenario?.values ?? null;
  const actuals = board.actuals;
  const projection = useMemo(() => (values ? project(values, actuals) : null), [values, actuals]);
  const headline = useMemo(() => (projection ? kpis(projection) : null), [projection]);
  const people = useMemo(
    () => presentPeople(snapshot.roster, snapshot.peers, null),
    [snapshot.roster, snapshot.peers],
  );

  return (
    <BoardLanguage locale={board.meta.defaultLocale}>
      <ProjectorScreen
        session={session}
        snapshot={snapshot}
        board={board}
        links={links}
        scenario={scenario}
        projection={projection}
        headline={headline}
        people={people}
      />
    </BoardLanguage>
  );
}

/** What the projector shows, in the board's language (BoardLanguage). */
function ProjectorScreen({
  session,
  snapshot,
  board,
  links,
  scenario,
  projection,
  headline,
  people,
}: {
  session: BoardSession;
  snapshot: BoardSessionState;
  board: BoardState;
  links: BoardLinks | null;
  scenario: ScenarioState | null;
  projection: Projection | null;
  headline: Kpis | null;
  people: readonly PresentPerson[];
}) {
  const t = useTranslations('projector');
  const text = useAssumptionText();
  const { spotlight } = useWorkshopDoc(session.doc);
  const live = useLiveSession(session);
  useDocumentTitle(t('pageTitle', { title: board.meta.title }));

  const spot = spotlight && scenario ? ASSUMPTIONS[spotlight] : null;
  // A headline lever in focus is marked in the levers card; any other gets a banner.
  const spotOverlay = spot !== null && spot.group !== 'levers';
  const tAgenda = useTranslations('agenda');
  const agenda = agendaLine(useDocValue(session.doc, readAgenda), tAgenda);
  // What the room is asked or doing right now takes the place of the last change and the join
  // card, below the levers (which shrink to one line each), so nothing covers anything.
  const crowded = spotOverlay || !!live.poll || !!live.qa || live.hands.length > 0;

  return (
    <div
      className="flex h-dvh flex-col overflow-hidden bg-surface text-ink"
      data-testid="projector"
    >
      {/* A fixed height: the timer appearing never pushes the chart down. */}
      <header className="flex h-32 shrink-0 items-center gap-6 border-b border-line px-10">
        <div className="min-w-0 flex-1">
          <h1
            className="truncate text-4xl font-semibold tracking-tight"
            data-testid="board-title"
            dir="auto"
          >
            {board.meta.title}
          </h1>
          {scenario && (
            <p className="mt-1 flex min-w-0 items-center gap-2 text-xl text-muted">
              <ScenarioSwatch color={scenario.color} size="lg" />
              <span className="shrink-0">{scenario.name}</span>
              {agenda && (
                <span className="min-w-0 truncate" data-testid="projector-agenda">
                  <span className="mx-2" aria-hidden="true">
                    ·
                  </span>
                  <span className="font-semibold text-ink">{agenda.now}</span>
                  {agenda.next && <span> · {t('next', { step: agenda.next })}</span>}
                </span>
              )}
            </p>
          )}
        </div>
        {crowded && <JoinCard links={links} compact header />}
        <div className="flex items-center gap-3" data-testid="projector-people">
          <div className="flex -space-x-2">
            {people.slice(0, 10).map((p) => (
              <Avatar key={p.key} name={p.name} color={p.color} size="md" />
            ))}
          </div>
          <p className="text-2xl font-semibold tabular-nums">
            {presentCount(people, snapshot.people)}{' '}
            <span className="font-normal text-muted">{t('here')}</span>
          </p>
        </div>
        {timerActive(live.timer) && (
          <TimerDisplay timer={live.timer} clockOffset={live.clockOffset} size="projector" />
        )}
      </header>
      {snapshot.connection.state === 'error' && (
        <p role="alert" className="bg-danger/5 px-10 py-3 text-xl text-danger">
          {t('disconnected', { reason: snapshot.connection.reason })}
        </p>
      )}
      {/* Two fixed columns: outcomes on the left; the levers behind them, the last change and
          how to join on the right. Spotlight, poll and hands are laid over the right column, so
          the chart never moves while the room works. */}
      <div className="grid min-h-0 flex-1 grid-cols-[minmax(0,1fr)_400px] gap-8 px-10 py-6 2xl:grid-cols-[minmax(0,1fr)_460px]">
        <main className="flex min-h-0 min-w-0 flex-col gap-5 overflow-hidden">
          {headline && projection && scenario ? (
            <>
              <h2 className="sr-only">{t('headlineNumbers')}</h2>
              <KpiCards kpis={headline} baseTotal={projection.years[0]?.total ?? 0} />
              <div className="min-h-0 flex-1">
                <ExportsChart projection={projection} scenarioName={scenario.name} fill />
              </div>
            </>
          ) : (
            <div className="h-96 animate-pulse rounded-2xl bg-canvas" />
          )}
        </main>
        <aside
          className="flex min-h-0 min-w-0 flex-col gap-3 overflow-hidden"
          data-testid="projector-aside"
        >
          {scenario && (
            <HeadlineLevers values={scenario.values} spotlight={spotlight} compact={crowded} />
          )}
          {!crowded && scenario && <LastChange doc={session.doc} scenarioId={scenario.id} />}
          {!crowded && <JoinCard links={links} compact />}
          {spotOverlay && spot && spotlight && scenario && (
            <p
              className="shrink-0 rounded-2xl border-2 border-accent bg-accent-soft px-5 py-2 text-xl"
              data-testid="projector-spotlight"
            >
              <span className="text-muted">{t('inFocus')} </span>
              <span className="font-semibold">{text.label(spot.id)}</span>{' '}
              <span className="font-semibold text-accent tabular-nums">
                <Ltr>{text.value(spot, scenario.values[spotlight])}</Ltr>
              </span>
            </p>
          )}
          {live.poll && (
            <PollCard poll={live.poll} session={session} people={live.people} mode="project" />
          )}
          {live.qa && (
            <QaCard
              qa={live.qa}
              session={session}
              people={live.people}
              upvoted={live.qaUpvoted}
              mode="project"
            />
          )}
          {live.hands.length > 0 && (
            <section
              className="shrink-0 rounded-2xl border border-amber-300 bg-amber-50 px-5 py-2 text-amber-950"
              data-testid="projector-hands"
            >
              <h2 className="flex min-w-0 items-center gap-2 text-xl">
                <Hand className="size-6 shrink-0" aria-hidden="true" />
                <span className="shrink-0 font-semibold">
                  {t('handsUp', { count: live.hands.length })}
                </span>
                <span className="min-w-0 truncate">
                  {live.hands
                    .slice(0, 4)
                    .map((h) => h.name)
                    .join(', ')}
                  {live.hands.length > 4 && ` +${live.hands.length - 4}`}
                </span>
              </h2>
            </section>
          )}
        </aside>
      </div>
      <FloatingReactions reactions={live.reactions} big />
    </div>
  );
}

/** The three headline levers of the shown scenario, large enough to read from the back. */
function HeadlineLevers({
  values,
  spotlight,
  compact,
}: {
  values: Assumptions;
  spotlight: AssumptionId | null;
  /** One line per lever, while a poll, a Q&A, a spotlight or hands share the column. */
  compact: boolean;
}) {
  const text = useAssumptionText();
  if (compact)
    return (
      <section
        className="shrink-0 rounded-2xl border border-line px-5 py-3"
        data-testid="projector-levers"
      >
        <h2 className="text-base font-semibold text-muted">{text.group('levers').label}</h2>
        <dl className="mt-1 flex flex-col gap-1">
          {HEADLINE_LEVERS.map((spec) => (
            <div
              key={spec.id}
              data-spotlight={spotlight === spec.id ? 'true' : undefined}
              className={`flex items-baseline justify-between gap-3 rounded-lg ${spotlight === spec.id ? 'bg-accent-soft px-2 ring-2 ring-accent' : ''}`}
            >
              <dt className="min-w-0 truncate text-lg text-muted" title={text.label(spec.id)}>
                {text.label(spec.id)}
              </dt>
              <dd className="shrink-0 text-2xl font-semibold tabular-nums">
                <Ltr>{text.value(spec, values[spec.id])}</Ltr>
              </dd>
            </div>
          ))}
        </dl>
      </section>
    );
  return (
    <section className="rounded-2xl border border-line p-5" data-testid="projector-levers">
      <h2 className="text-lg font-semibold text-muted">{text.group('levers').label}</h2>
      <dl className="mt-2 flex flex-col gap-3">
        {HEADLINE_LEVERS.map((spec) => (
          <div
            key={spec.id}
            data-spotlight={spotlight === spec.id ? 'true' : undefined}
            className={`rounded-lg ${spotlight === spec.id ? 'bg-accent-soft px-2 py-1 ring-2 ring-accent' : ''}`}
          >
            <dt className="truncate text-lg text-muted" title={text.label(spec.id)}>
              {text.label(spec.id)}
            </dt>
            <dd className="text-3xl font-semibold tabular-nums">
              <Ltr>{text.value(spec, values[spec.id])}</Ltr>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

const HEADLINE_LEVERS = ASSUMPTION_IDS.map((id) => ASSUMPTIONS[id]).filter(
  (spec) => spec.group === 'levers',
);

/** The newest accepted change to the shown scenario: who moved what, from and to. */
function LastChange({ doc, scenarioId }: { doc: Y.Doc; scenarioId: string }) {
  const log = useDocValue(doc, readLog);
  const last = log.findLast((e) => e.scenarioId === scenarioId && isAssumptionId(e.assumptionId));
  if (!last || !isAssumptionId(last.assumptionId)) return null;
  const spec = ASSUMPTIONS[last.assumptionId];
  return <LastChangeText name={last.by.name} spec={spec} from={last.from} to={last.to} />;
}

function LastChangeText({
  name,
  spec,
  from,
  to,
}: {
  name: string;
  spec: AssumptionSpec;
  from: number | null;
  to: number;
}) {
  const t = useTranslations('projector');
  const text = useAssumptionText();
  const strong = (chunks: ReactNode) => <span className="font-semibold">{chunks}</span>;
  const figure = (chunks: ReactNode) => (
    <span className="font-semibold text-accent tabular-nums">
      <Ltr>{chunks}</Ltr>
    </span>
  );
  return (
    <section
      className="rounded-2xl border border-line bg-canvas px-5 py-4 text-lg"
      data-testid="projector-last-change"
      aria-live="polite"
    >
      <h2 className="text-base font-semibold text-muted">{t('lastChange')}</h2>
      <p className="mt-1">
        {from === null
          ? t.rich('setTo', {
              name,
              label: text.label(spec.id),
              to: text.value(spec, to),
              strong,
              figure,
            })
          : t.rich('setFromTo', {
              name,
              label: text.label(spec.id),
              from: text.value(spec, from),
              to: text.value(spec, to),
              strong,
              figure,
            })}
      </p>
    </section>
  );
}

/** How often the projector re-reads the links: a replaced join code leaves the screen soon. */
const LINKS_REFRESH_MS = 15_000;

/** The role links (moderator only): the join code and URL for the room, kept current. */
function useLinks(boardId: string, token: string | null, role: string | null): BoardLinks | null {
  const [links, setLinks] = useState<BoardLinks | null>(null);
  useEffect(() => {
    if (!token || role !== 'moderator') return;
    const controller = new AbortController();
    const load = () =>
      fetchBoardLinks(boardId, token, controller.signal).then(setLinks, () => undefined);
    void load();
    const timer = setInterval(() => void load(), LINKS_REFRESH_MS);
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, [boardId, token, role]);
  return links;
}

function JoinCard({
  links,
  compact,
  header = false,
}: {
  links: BoardLinks | null;
  compact: boolean;
  /** In the header, small: while the room is asked something, the side column is theirs. */
  header?: boolean;
}) {
  const t = useTranslations('projector');
  const current = useQrCodeSrc(links?.joinUrl ?? null);
  if (!links) return null;
  const host = new URL(links.joinUrl).host;
  const qrImage = (
    <div
      className={`aspect-square shrink-0 rounded-xl border border-line bg-white ${header ? 'w-24 p-1' : compact ? 'w-36 p-2' : 'mx-auto mt-3 w-56 p-2'}`}
    >
      {current ? (
        <img
          src={current}
          alt={t('qrAlt', { url: links.joinUrl })}
          className="size-full"
          data-testid="projector-qr"
        />
      ) : (
        <div className="size-full animate-pulse rounded-lg bg-canvas" />
      )}
    </div>
  );
  const code = (
    <p
      className={`font-mono font-bold tracking-[0.16em] ${compact ? 'text-4xl' : 'mt-1 text-5xl'}`}
      data-testid="projector-join-code"
    >
      {links.joinCode}
    </p>
  );
  if (header) {
    return (
      <section className="flex shrink-0 items-center gap-3" data-testid="projector-join">
        {qrImage}
        <div>
          <p className="text-base text-muted" dir="ltr">
            {host}/join
          </p>
          <p
            className="font-mono text-3xl font-bold tracking-[0.16em]"
            data-testid="projector-join-code"
          >
            {links.joinCode}
          </p>
        </div>
      </section>
    );
  }
  if (compact) {
    return (
      <section
        className="flex items-center gap-5 rounded-2xl border border-line p-4"
        data-testid="projector-join"
      >
        {qrImage}
        <div className="min-w-0">
          <p className="text-lg text-muted">{t('joinAt')}</p>
          <p className="truncate text-lg font-semibold" dir="ltr">
            {host}/join
          </p>
          {code}
        </div>
      </section>
    );
  }
  return (
    <section
      className="rounded-2xl border border-line p-5 text-center"
      data-testid="projector-join"
    >
      <p className="text-xl text-muted">{t('joinOnPhone')}</p>
      {qrImage}
      <p className="mt-3 text-xl">
        {t.rich('orGoTo', {
          address: () => (
            <bdi dir="ltr" className="font-semibold">
              {host}/join
            </bdi>
          ),
        })}
      </p>
      {code}
    </section>
  );
}
