'use client';

import { currentDecision, formatDateTime, pollResultText } from '@/lib/board/decision';
import { readClosedPolls } from '@/lib/board/polls';
import { readLog } from '@/lib/board/decisionLog';
import type { BoardState } from '@/lib/board/boardState';
import { ASSUMPTIONS, isAssumptionId } from '@/lib/model';
import { formatValue } from '@/lib/format';
import { useDocValue } from '@/lib/client/history';
import type * as Y from 'yjs';
import { DecisionDetails } from './Decision';

/** The report's opening: the decision on record, if there is one. */
export function ReportDecision({ doc }: { doc: Y.Doc }) {
  const decision = useDocValue(doc, currentDecision);
  if (!decision) return null;
  return (
    <section
      aria-labelledby="decision-h"
      className="sb-avoid-break rounded-xl border border-line p-4"
      data-testid="report-decision"
    >
      <h2 id="decision-h" className="text-lg font-semibold">
        Decision: {decision.scenarioName}
      </h2>
      <p className="mb-3 text-sm text-muted">
        Agreed {formatDateTime(decision.at)}, recorded by {decision.by.name}.
      </p>
      <DecisionDetails decision={decision} />
    </section>
  );
}

/** Every closed poll's result, then the decision log with absolute dates and times. */
export function ReportPollsAndLog({ doc, board }: { doc: Y.Doc; board: BoardState }) {
  const polls = useDocValue(doc, readClosedPolls);
  const log = useDocValue(doc, readLog);
  const names = new Map(board.scenarios.map((s) => [s.id, s.name]));
  const newest = [...log].reverse().slice(0, 300);
  return (
    <>
      <section aria-labelledby="polls-h" data-testid="report-polls">
        <h2 id="polls-h" className="mb-2 text-lg font-semibold">
          Poll results
        </h2>
        {polls.length === 0 ? (
          <p className="text-sm text-muted">No polls were closed on this board.</p>
        ) : (
          <ul className="flex flex-col gap-1.5 text-sm">
            {polls.map((p) => (
              <li key={p.id} className="sb-avoid-break">
                <span className="font-medium">{p.question}</span>: {pollResultText(p)}{' '}
                <span className="text-xs text-muted">(closed {formatDateTime(p.closedAt)})</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="log-h" data-testid="report-log">
        <h2 id="log-h" className="mb-2 text-lg font-semibold">
          Decision log
        </h2>
        {newest.length === 0 ? (
          <p className="text-sm text-muted">No assumption was changed.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-xs tabular-nums">
              <thead>
                <tr className="border-b border-line text-left text-muted">
                  <th className="py-1 pr-3 font-medium">When</th>
                  <th className="py-1 pr-3 font-medium">Who</th>
                  <th className="py-1 pr-3 font-medium">Scenario</th>
                  <th className="py-1 pr-3 font-medium">Assumption</th>
                  <th className="py-1 text-right font-medium">From → to</th>
                </tr>
              </thead>
              <tbody>
                {newest.map((e) => {
                  const spec = isAssumptionId(e.assumptionId) ? ASSUMPTIONS[e.assumptionId] : null;
                  const f = (v: number | null) =>
                    v === null ? '—' : spec ? formatValue(spec, v) : String(v);
                  return (
                    <tr key={e.id} className="border-b border-line/60">
                      <td className="py-1 pr-3 whitespace-nowrap">{formatDateTime(e.at)}</td>
                      <td className="py-1 pr-3">{e.by.name}</td>
                      <td className="py-1 pr-3">
                        {names.get(e.scenarioId) ?? 'a deleted scenario'}
                      </td>
                      <td className="py-1 pr-3">{spec?.label ?? e.assumptionId}</td>
                      <td className="py-1 text-right whitespace-nowrap">
                        {f(e.from)} → {f(e.to)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {log.length > newest.length && (
              <p className="mt-1 text-xs text-muted">
                The {newest.length} newest of {log.length} changes; the JSON export has the board.
              </p>
            )}
          </div>
        )}
      </section>
    </>
  );
}
