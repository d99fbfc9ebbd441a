'use client';

import { useTranslations } from 'next-intl';
import { currentDecision, pollResultText } from '@/lib/board/decision';
import { readClosedPolls } from '@/lib/board/polls';
import { readLog } from '@/lib/board/decisionLog';
import type { BoardState } from '@/lib/board/boardState';
import { ASSUMPTIONS, isAssumptionId } from '@/lib/model';
import { useDocValue } from '@/lib/client/history';
import type * as Y from 'yjs';
import { useAssumptionText } from '@/components/board/useAssumptionText';
import { DecisionDetails } from './Decision';
import { useTimeWords } from './useTimeWords';

/** The report's opening: the decision on record, if there is one. */
export function ReportDecision({ doc }: { doc: Y.Doc }) {
  const t = useTranslations('report');
  const time = useTimeWords();
  const decision = useDocValue(doc, currentDecision);
  if (!decision) return null;
  return (
    <section
      aria-labelledby="decision-h"
      className="sb-avoid-break rounded-xl border border-line p-4"
      data-testid="report-decision"
    >
      <h2 id="decision-h" className="text-lg font-semibold">
        {t('decision', { name: decision.scenarioName })}
      </h2>
      <p className="mb-3 text-sm text-muted">
        {t('agreed', { when: time.dateTime(decision.at), name: decision.by.name })}
      </p>
      <DecisionDetails decision={decision} />
    </section>
  );
}

/** Every closed poll's result, then the decision log with absolute dates and times. */
export function ReportPollsAndLog({ doc, board }: { doc: Y.Doc; board: BoardState }) {
  const t = useTranslations('report');
  const time = useTimeWords();
  const text = useAssumptionText();
  const polls = useDocValue(doc, readClosedPolls);
  const log = useDocValue(doc, readLog);
  const names = new Map(board.scenarios.map((s) => [s.id, s.name]));
  const newest = [...log].reverse().slice(0, 300);
  return (
    <>
      <section aria-labelledby="polls-h" data-testid="report-polls">
        <h2 id="polls-h" className="mb-2 text-lg font-semibold">
          {t('polls')}
        </h2>
        {polls.length === 0 ? (
          <p className="text-sm text-muted">{t('noPolls')}</p>
        ) : (
          <ul className="flex flex-col gap-1.5 text-sm">
            {polls.map((p) => (
              <li key={p.id} className="sb-avoid-break">
                <span className="font-medium">{p.question}</span>: {pollResultText(p)}{' '}
                <span className="text-xs text-muted">
                  {t('closed', { when: time.dateTime(p.closedAt) })}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="log-h" data-testid="report-log">
        <h2 id="log-h" className="mb-2 text-lg font-semibold">
          {t('log')}
        </h2>
        {newest.length === 0 ? (
          <p className="text-sm text-muted">{t('noChanges')}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-xs tabular-nums">
              <thead>
                <tr className="border-b border-line text-start text-muted">
                  <th className="py-1 pe-3 font-medium">{t('when')}</th>
                  <th className="py-1 pe-3 font-medium">{t('who')}</th>
                  <th className="py-1 pe-3 font-medium">{t('scenario')}</th>
                  <th className="py-1 pe-3 font-medium">{t('assumption')}</th>
                  <th className="py-1 text-end font-medium">{t('fromTo')}</th>
                </tr>
              </thead>
              <tbody>
                {newest.map((e) => {
                  const id = isAssumptionId(e.assumptionId) ? e.assumptionId : null;
                  const f = (v: number | null) =>
                    v === null ? '—' : id ? text.value(ASSUMPTIONS[id], v) : String(v);
                  return (
                    <tr key={e.id} className="border-b border-line/60">
                      <td className="py-1 pe-3 whitespace-nowrap">{time.dateTime(e.at)}</td>
                      <td className="py-1 pe-3">{e.by.name}</td>
                      <td className="py-1 pe-3">
                        {names.get(e.scenarioId) ?? t('deletedScenario')}
                      </td>
                      <td className="py-1 pe-3">{id ? text.label(id) : e.assumptionId}</td>
                      <td className="py-1 text-end whitespace-nowrap">
                        {t('fromToValue', { from: f(e.from), to: f(e.to) })}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {log.length > newest.length && (
              <p className="mt-1 text-xs text-muted">
                {t('newest', { count: newest.length, total: log.length })}
              </p>
            )}
          </div>
        )}
      </section>
    </>
  );
}
