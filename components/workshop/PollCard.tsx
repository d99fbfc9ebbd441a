'use client';

import { useState, type FormEvent } from 'react';
import { ASSUMPTIONS, isAssumptionId, type AssumptionSpec } from '@/lib/model';
import { parseAssumptionInput } from '@/lib/client/assumptionInput';
import type { PollState } from '@/lib/protocol';
import type { BoardSession } from '@/lib/client/boardSession';
import { setAssumption } from '@/lib/board/scenarios';
import { setBand } from '@/lib/board/bands';
import { roomBand } from '@/lib/board/pollBand';
import { useBoardContext, useSharedBoard } from '@/components/board/BoardContext';
import { useTranslations } from 'next-intl';
import { useRefusalText } from '@/lib/i18n/refusals';
import { useAssumptionText } from '@/components/board/useAssumptionText';

interface PollCardProps {
  poll: PollState;
  session: BoardSession;
  /** People on the board now, for "12 of 30 answered". */
  people: number;
  /** Voting and closing controls; the projector shows results only. */
  mode: 'vote' | 'moderate' | 'project';
}

/** The open poll: its question, a way to answer, and the live results. */
export function PollCard({ poll, session, people, mode }: PollCardProps) {
  const t = useTranslations('poll');
  const big = mode === 'project';
  // Hidden results stay hidden on the projector too: only the moderator's own view counts.
  const hidden = poll.resultsHidden && mode !== 'moderate';
  const spec =
    poll.assumptionId && isAssumptionId(poll.assumptionId) ? ASSUMPTIONS[poll.assumptionId] : null;
  return (
    <section
      data-testid="poll-card"
      aria-label={t('label')}
      className={`workshop-pop rounded-2xl border border-accent/25 bg-surface shadow-sm ${big ? 'p-5' : 'p-4'}`}
    >
      <div className="flex items-baseline justify-between gap-3">
        <p
          className={`font-semibold tracking-wide text-accent uppercase ${big ? 'text-base' : 'text-xs'}`}
        >
          {t('live')}
          {poll.anonymous && (
            <span
              data-testid="poll-anonymous"
              className="ms-2 rounded-full bg-canvas px-2 py-0.5 tracking-normal text-muted normal-case"
              title={t('anonymousTitle')}
            >
              {t('anonymous')}
            </span>
          )}
        </p>
        <p
          className={`text-muted tabular-nums ${big ? 'text-xl' : 'text-xs'}`}
          data-testid="poll-voters"
        >
          {people > 0
            ? t('answeredOf', { count: poll.voters, people: Math.max(people, poll.voters) })
            : t('answered', { count: poll.voters })}
        </p>
      </div>
      {/* The moderator's words, in whichever language they wrote them. */}
      <h2
        dir="auto"
        className={`mt-1 font-semibold text-balance ${big ? 'text-2xl leading-tight' : 'text-base'}`}
      >
        {poll.question}
      </h2>
      {poll.kind === 'choice' ? (
        <ChoiceOptions
          poll={poll}
          session={session}
          interactive={mode !== 'project'}
          big={big}
          hidden={hidden}
        />
      ) : spec ? (
        <>
          {mode !== 'project' && <ValueVote poll={poll} session={session} spec={spec} />}
          {!hidden && <Spread summary={poll.summary} spec={spec} big={big} />}
        </>
      ) : null}
      {hidden && (
        <p className={`mt-2 text-muted ${big ? 'text-base' : 'text-xs'}`} data-testid="poll-hidden">
          {t('hidden')}
        </p>
      )}
      {mode === 'moderate' && <CloseControls poll={poll} session={session} />}
    </section>
  );
}

function ChoiceOptions({
  poll,
  session,
  interactive,
  big,
  hidden,
}: {
  poll: PollState;
  session: BoardSession;
  interactive: boolean;
  big: boolean;
  /** Counts withheld until the poll closes: show the options without bars or numbers. */
  hidden: boolean;
}) {
  const refusalText = useRefusalText();
  const [error, setError] = useState<string | null>(null);
  const total = poll.options.reduce((n, o) => n + o.votes, 0);
  const top = Math.max(0, ...poll.options.map((o) => o.votes));
  return (
    <>
      <ul className={`mt-3 flex flex-col ${big ? 'gap-2' : 'gap-1.5'}`} role="list">
        {poll.options.map((option, i) => {
          const share = total > 0 ? option.votes / total : 0;
          const mine = poll.myVote === i;
          const leading = !hidden && option.votes > 0 && option.votes === top;
          const body = (
            <>
              {/* Scaled, not sized: a tally that moves several times a second then animates on
                  the compositor, without a layout and repaint of the card every frame (the
                  moderator's page stayed busy through a 300-person vote). The row clips it. */}
              <span
                aria-hidden="true"
                className={`absolute inset-0 origin-left transition-transform duration-500 rtl:origin-right ${
                  leading ? 'bg-accent/20' : 'bg-accent/10'
                }`}
                style={{ transform: `scaleX(${hidden ? 0 : Math.round(share * 100) / 100})` }}
              />
              <span className="relative flex min-w-0 items-center gap-2">
                {interactive && (
                  <span
                    aria-hidden="true"
                    className={`inline-flex size-4 shrink-0 items-center justify-center rounded-full border ${
                      mine ? 'border-accent bg-accent' : 'border-muted/60 bg-surface'
                    }`}
                  >
                    {mine && <span className="size-1.5 rounded-full bg-white" />}
                  </span>
                )}
                <span className="truncate" dir="auto">
                  {option.label}
                </span>
              </span>
              {!hidden && (
                // Flex items, not a margin: in Urdu the two numbers ran together ("267%").
                <span
                  className={`relative flex shrink-0 items-baseline tabular-nums text-muted ${big ? 'gap-2' : 'gap-1.5'}`}
                  data-testid={`poll-count-${i}`}
                >
                  {option.votes}
                  <span className={big ? 'text-base' : 'text-xs'}>{Math.round(share * 100)}%</span>
                </span>
              )}
            </>
          );
          const cls = `relative flex w-full items-center justify-between gap-3 overflow-hidden rounded-lg border text-start ${
            big ? 'px-4 py-1.5 text-xl' : 'px-3 py-2 text-sm'
          } ${mine ? 'border-accent' : 'border-line'}`;
          return (
            <li key={i}>
              {interactive ? (
                <button
                  type="button"
                  data-testid={`poll-option-${i}`}
                  aria-pressed={mine}
                  onClick={() =>
                    void session
                      .vote(poll.id, i)
                      .then((r) => setError(r.ok ? null : refusalText(r)))
                  }
                  className={`${cls} hover:border-accent/60 focus-visible:outline-2 focus-visible:outline-accent`}
                >
                  {body}
                </button>
              ) : (
                <div className={cls} data-testid={`poll-option-${i}`}>
                  {body}
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {error && (
        <p role="alert" className="mt-2 text-sm text-danger">
          {error}
        </p>
      )}
    </>
  );
}

function ValueVote({
  poll,
  session,
  spec,
}: {
  poll: PollState;
  session: BoardSession;
  spec: AssumptionSpec;
}) {
  const t = useTranslations('poll');
  const refusalText = useRefusalText();
  const text = useAssumptionText();
  const [typed, setTyped] = useState('');
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = parseAssumptionInput(spec, typed);
    if (!parsed.ok)
      return setMessage({
        error: true,
        text: t(`problem.${parsed.code}`, { text: typed.trim().slice(0, 20) }),
      });
    if (parsed.value < spec.min || parsed.value > spec.max)
      return setMessage({
        error: true,
        text: t('between', { min: text.value(spec, spec.min), max: text.value(spec, spec.max) }),
      });
    const result = await session.vote(poll.id, parsed.value);
    setMessage(
      result.ok
        ? { error: false, text: t('yourAnswer', { value: text.value(spec, parsed.value) }) }
        : { error: true, text: refusalText(result) },
    );
  }
  return (
    <form onSubmit={(e) => void submit(e)} className="mt-3 flex flex-col gap-1.5">
      <label className="text-xs font-medium text-muted" htmlFor={`poll-value-${poll.id}`}>
        {t('yourValue', { min: text.value(spec, spec.min), max: text.value(spec, spec.max) })}
      </label>
      <div className="flex gap-2">
        <input
          id={`poll-value-${poll.id}`}
          data-testid="poll-vote-value"
          inputMode="decimal"
          value={typed}
          onChange={(e) => {
            setTyped(e.target.value);
            setMessage(null);
          }}
          placeholder={poll.myVote !== null ? text.value(spec, poll.myVote) : text.unit(spec)}
          aria-invalid={message?.error ? true : undefined}
          className="h-9 min-w-0 flex-1 rounded-lg border border-line bg-surface px-3 text-sm tabular-nums"
        />
        <button
          type="submit"
          data-testid="poll-vote-submit"
          className="h-9 shrink-0 rounded-lg bg-accent px-3 text-sm font-medium text-white hover:bg-accent/90"
        >
          {poll.myVote !== null ? t('change') : t('answer')}
        </button>
      </div>
      {message && (
        <p
          role={message.error ? 'alert' : 'status'}
          className={`text-xs ${message.error ? 'text-danger' : 'text-muted'}`}
        >
          {message.text}
        </p>
      )}
      {!message && poll.myVote !== null && (
        <p className="text-xs text-muted">
          {t('yourAnswer', { value: text.value(spec, poll.myVote) })}
        </p>
      )}
    </form>
  );
}

/** Value poll answers: min, quartiles, median and max on the assumption's range. */
export function Spread({
  summary,
  spec,
  big,
}: {
  summary: PollState['summary'];
  spec: AssumptionSpec;
  big: boolean;
}) {
  const t = useTranslations('poll');
  const text = useAssumptionText();
  if (!summary || summary.count === 0)
    return <p className={`mt-3 text-muted ${big ? 'text-xl' : 'text-sm'}`}>{t('noAnswers')}</p>;
  const span = spec.max - spec.min || 1;
  const at = (v: number) => `${((v - spec.min) / span) * 100}%`;
  const rows: [string, number][] = [
    [t('lowest'), summary.min],
    ['25%', summary.p25],
    [t('median'), summary.median],
    ['75%', summary.p75],
    [t('highest'), summary.max],
  ];
  return (
    <div className="mt-4" data-testid="poll-spread">
      {/* The assumption's range is a number line: left to right in every language. */}
      <div className={`relative ${big ? 'h-10' : 'h-6'}`} aria-hidden="true" dir="ltr">
        <span className="absolute top-1/2 h-px w-full bg-line" />
        <span
          className="absolute top-1/2 h-0.5 -translate-y-px bg-ink/50"
          style={{ left: at(summary.min), width: `calc(${at(summary.max)} - ${at(summary.min)})` }}
        />
        <span
          className="absolute inset-y-0 rounded bg-accent/25 ring-1 ring-accent/50"
          style={{
            left: at(summary.p25),
            width: `max(3px, calc(${at(summary.p75)} - ${at(summary.p25)}))`,
          }}
        />
        <span className="absolute inset-y-0 w-0.5 bg-accent" style={{ left: at(summary.median) }} />
      </div>
      <dl className={`mt-2 grid grid-cols-5 gap-1 text-center ${big ? 'text-lg' : 'text-[11px]'}`}>
        {rows.map(([label, v]) => (
          <div key={label} className="min-w-0">
            <dt className="text-muted">{label}</dt>
            <dd
              className={`truncate font-semibold tabular-nums ${label === t('median') ? 'text-accent' : ''}`}
            >
              {text.value(spec, v)}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/**
 * Closing. For a value poll, one optional step with its preview: set the lever (in the scenario
 * on screen) to the room's median and the uncertainty band to the room's middle half (25%-75%),
 * exactly those answers: nothing is widened to include the lever's current value.
 */
function CloseControls({ poll, session }: { poll: PollState; session: BoardSession }) {
  const t = useTranslations('poll');
  const refusalText = useRefusalText();
  const text = useAssumptionText();
  const { scenarioId } = useBoardContext();
  const board = useSharedBoard();
  const [adopt, setAdopt] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const spec =
    poll.assumptionId && isAssumptionId(poll.assumptionId) ? ASSUMPTIONS[poll.assumptionId] : null;
  const summary = poll.summary && poll.summary.count > 0 ? poll.summary : null;
  const scenarioName = board.scenarios.find((s) => s.id === scenarioId)?.name ?? t('thisScenario');
  const adoptable = poll.kind === 'value' && spec !== null && summary !== null;
  return (
    <div className="mt-3 flex flex-wrap items-center justify-end gap-3 border-t border-line pt-3">
      {adoptable && (
        <label className="me-auto inline-flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            data-testid="poll-adopt"
            checked={adopt}
            onChange={(e) => setAdopt(e.target.checked)}
            className="mt-0.5 size-4 accent-accent"
          />
          <span data-testid="poll-adopt-preview">
            {t.rich('adopt', {
              label: text.label(spec.id),
              scenario: scenarioName,
              median: text.value(spec, summary.median),
              low: text.value(spec, roomBand(summary).low),
              high: text.value(spec, roomBand(summary).high),
              strong: (chunks) => <strong>{chunks}</strong>,
            })}
          </span>
        </label>
      )}
      {error && (
        <p role="alert" className="text-sm text-danger">
          {error}
        </p>
      )}
      <button
        type="button"
        data-testid="poll-close"
        onClick={() =>
          void session.closePoll(poll.id, false).then((r) => {
            setError(r.ok ? null : refusalText(r));
            if (!r.ok || !adopt || !adoptable || !isAssumptionId(spec.id)) return;
            // The moderator's own edits (the server checks and logs them like any other).
            setAssumption(session.doc, scenarioId, spec.id, summary.median);
            setBand(session.doc, spec.id, roomBand(summary));
          })
        }
        className="h-9 rounded-lg bg-ink px-3 text-sm font-medium text-white hover:bg-ink/85"
      >
        {t('close')}
      </button>
    </div>
  );
}
