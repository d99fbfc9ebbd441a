'use client';

import { ASSUMPTIONS, isAssumptionId, type AssumptionSpec } from '@/lib/model';
import type { ClosedPoll } from '@/lib/board/polls';
import { roomBand, summarizeAnswers } from '@/lib/board/pollBand';
import { useFormatter, useTranslations } from 'next-intl';
import { useAssumptionText } from '@/components/board/useAssumptionText';

/** Closed polls saved on the board, newest first. */
export function PollResults({ polls }: { polls: readonly ClosedPoll[] }) {
  const t = useTranslations('pollResults');
  const format = useFormatter();
  return (
    <section
      data-testid="poll-results"
      aria-label={t('heading')}
      className="rounded-2xl border border-line bg-surface p-4 shadow-sm"
    >
      <h2 className="text-sm font-semibold">{t('heading')}</h2>
      {polls.length === 0 ? (
        <p className="mt-1 text-sm text-muted">{t('empty')}</p>
      ) : (
        <ol className="mt-2 flex flex-col divide-y divide-line">
          {polls.map((poll) => (
            <li key={poll.id} className="py-2.5 first:pt-1" data-testid="poll-result">
              <p className="text-sm font-medium" dir="auto">
                {poll.question}
              </p>
              <p className="text-xs text-muted">
                {poll.present !== undefined
                  ? t('answersOf', { count: poll.voters, present: poll.present })
                  : t('answers', { count: poll.voters })}
                {poll.anonymous && ` · ${t('anonymous')}`} ·{' '}
                {t('closed', {
                  time: format.dateTime(poll.closedAt, { hour: '2-digit', minute: '2-digit' }),
                })}
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
              className="absolute inset-y-0 start-0 rounded-full bg-accent/60"
              style={{ width: `${total ? (o.votes / total) * 100 : 0}%` }}
            />
          </span>
          <span className="w-6 shrink-0 text-end tabular-nums">{o.votes}</span>
        </li>
      ))}
    </ul>
  );
}

function ValueResult({ poll }: { poll: ClosedPoll }) {
  if (!poll.assumptionId || !isAssumptionId(poll.assumptionId)) return null;
  const spec = ASSUMPTIONS[poll.assumptionId];
  return <ValueSummary poll={poll} spec={spec} />;
}

function ValueSummary({ poll, spec }: { poll: ClosedPoll; spec: AssumptionSpec }) {
  const t = useTranslations('pollResults');
  const text = useAssumptionText();
  if (poll.values.length === 0) return <p className="mt-1 text-xs text-muted">{t('noAnswers')}</p>;
  const s = summarizeAnswers(poll.values);
  const band = roomBand(s);
  const f = (v: number) => text.value(spec, v);
  return (
    <p className="mt-1 text-xs tabular-nums">
      {t.rich('valueSummary', {
        label: text.label(spec.id),
        median: f(s.median),
        low: f(band.low),
        high: f(band.high),
        min: f(s.min),
        max: f(s.max),
        strong: (chunks) => <span className="font-semibold">{chunks}</span>,
      })}
    </p>
  );
}
