'use client';

import { ASSUMPTIONS, isAssumptionId } from '@/lib/model';
import { formatValue } from '@/lib/format';
import type { ClosedPoll } from '@/lib/board/polls';
import { roomBand, summarizeAnswers } from '@/lib/board/pollBand';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** Closed polls saved on the board, newest first. */
export function PollResults({ polls }: { polls: readonly ClosedPoll[] }) {
  return (
    <section
      data-testid="poll-results"
      aria-label="Poll results"
      className="rounded-2xl border border-line bg-surface p-4 shadow-sm"
    >
      <h2 className="text-sm font-semibold">Poll results</h2>
      {polls.length === 0 ? (
        <p className="mt-1 text-sm text-muted">Closed polls are kept here.</p>
      ) : (
        <ol className="mt-2 flex flex-col divide-y divide-line">
          {polls.map((poll) => (
            <li key={poll.id} className="py-2.5 first:pt-1" data-testid="poll-result">
              <p className="text-sm font-medium">{poll.question}</p>
              <p className="text-xs text-muted">
                {poll.voters} {poll.voters === 1 ? 'answer' : 'answers'}
                {poll.present !== undefined && ` of ${poll.present} present`}
                {poll.anonymous && ' · Anonymous'} · closed {timeFormat.format(poll.closedAt)}
              </p>
              {poll.kind === 'choice' ? <ChoiceResult poll={poll} /> : <ValueResult poll={poll} />}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function ChoiceResult({ poll }: { poll: ClosedPoll }) {
  const total = poll.options.reduce((n, o) => n + o.votes, 0);
  const top = Math.max(0, ...poll.options.map((o) => o.votes));
  return (
    <ul className="mt-1.5 flex flex-col gap-1 text-xs">
      {poll.options.map((o, i) => (
        <li key={i} className="flex items-center gap-2">
          <span
            className={`w-28 shrink-0 truncate ${o.votes === top && top > 0 ? 'font-semibold' : ''}`}
          >
            {o.label}
          </span>
          <span className="relative h-2 flex-1 overflow-hidden rounded-full bg-canvas">
            <span
              className="absolute inset-y-0 left-0 rounded-full bg-accent/60"
              style={{ width: `${total ? (o.votes / total) * 100 : 0}%` }}
            />
          </span>
          <span className="w-6 shrink-0 text-right tabular-nums">{o.votes}</span>
        </li>
      ))}
    </ul>
  );
}

function ValueResult({ poll }: { poll: ClosedPoll }) {
  if (!poll.assumptionId || !isAssumptionId(poll.assumptionId)) return null;
  const spec = ASSUMPTIONS[poll.assumptionId];
  if (poll.values.length === 0) return <p className="mt-1 text-xs text-muted">No answers.</p>;
  const s = summarizeAnswers(poll.values);
  const band = roomBand(s);
  const f = (v: number) => formatValue(spec, v);
  return (
    <p className="mt-1 text-xs tabular-nums">
      {spec.label}: median <span className="font-semibold">{f(s.median)}</span>, middle half{' '}
      {f(band.low)} – {f(band.high)}, range {f(s.min)} – {f(s.max)}
    </p>
  );
}
