'use client';

import type * as Y from 'yjs';
import { currentDecision } from '@/lib/board/decision';
import type { BoardState } from '@/lib/board/boardState';
import { TARGETS, TARGET_YEAR, isAssumptionId, type Assumptions } from '@/lib/model';
import { ANALYSIS_SAMPLES, analysisSeed, formatProbability } from '@/lib/client/analysis';
import { targetName } from '@/lib/client/targets';
import { useDocValue } from '@/lib/client/history';
import { useDocBands, useMonteCarlo, type DocBands } from '@/components/analysis/hooks';
import { ScenarioSwatch } from '@/components/ui/ScenarioSwatch';

/** At most this many scenarios get a simulation in the report (each runs 10,000 draws). */
const SCENARIOS_SIMULATED = 8;

interface OddsRow {
  key: string;
  scenarioId: string;
  name: string;
  color: string;
  values: Assumptions;
}

/**
 * The chance of reaching the $5B policy target and the $10B-$18B aspiration by 2028, for the
 * decision's agreed scenario (as recorded) or else each scenario compared. The Analysis tab's own
 * Monte Carlo (same worker, same seed per scenario, same number of draws, the board's bands), so
 * the report and the tab agree.
 */
export function ReportTargetOdds({
  boardId,
  doc,
  board,
}: {
  boardId: string;
  doc: Y.Doc;
  board: BoardState;
}) {
  const decision = useDocValue(doc, currentDecision);
  const bands = useDocBands(doc);
  const bandCount = Object.keys(bands).length;
  const rows: OddsRow[] = decision
    ? [
        {
          key: `decision-${decision.id}`,
          scenarioId: decision.scenarioId,
          name: `${decision.scenarioName} (agreed)`,
          color: board.scenarios.find((s) => s.id === decision.scenarioId)?.color ?? '#64748b',
          values: recordedValues(board, decision.scenarioId, decision.values),
        },
      ]
    : board.scenarios.slice(0, SCENARIOS_SIMULATED).map((s) => ({
        key: s.id,
        scenarioId: s.id,
        name: s.name,
        color: s.color,
        values: s.values,
      }));
  return (
    <section aria-labelledby="targets-h" className="sb-avoid-break" data-testid="report-targets">
      <h2 id="targets-h" className="text-lg font-semibold">
        Chance of reaching the targets by {TARGET_YEAR}
      </h2>
      <p className="mb-2 max-w-prose text-sm text-muted" data-testid="report-targets-method">
        {ANALYSIS_SAMPLES.toLocaleString('en-US')} simulated futures per scenario, drawn within the
        board&apos;s uncertainty bands (
        {bandCount === 0
          ? 'the model’s defaults'
          : `${bandCount} set on this board, the model’s defaults for the rest`}
        ), the same draws as the Analysis tab. The chances depend on those bands: narrower or wider
        bands give other numbers.
        {decision
          ? ' Shown for the agreed scenario, with its values as recorded.'
          : board.scenarios.length > SCENARIOS_SIMULATED
            ? ` Shown for the first ${SCENARIOS_SIMULATED} scenarios.`
            : ''}
      </p>
      <div className="overflow-x-auto" tabIndex={0} aria-labelledby="targets-h">
        <table className="w-full text-sm tabular-nums">
          <thead>
            <tr className="border-b border-line text-left text-muted">
              <th className="py-2 pr-3 font-medium">Scenario</th>
              {TARGETS.map((t) => (
                <th key={t.id} className="py-2 pr-3 text-right font-medium">
                  {targetName(t)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-line">
            {rows.map((row) => (
              <OddsRowView key={row.key} row={row} boardId={boardId} board={board} bands={bands} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function OddsRowView({
  row,
  boardId,
  board,
  bands,
}: {
  row: OddsRow;
  boardId: string;
  board: BoardState;
  bands: DocBands;
}) {
  const mc = useMonteCarlo(
    row.values,
    bands,
    analysisSeed(boardId, row.scenarioId),
    board.meta.modelVersion,
  );
  const result = mc.pending ? null : mc.result;
  return (
    <tr data-testid="report-targets-row" data-state={result ? 'ready' : 'pending'}>
      <th scope="row" className="py-2 pr-3 text-left font-medium">
        <span className="inline-flex items-center gap-1.5">
          <ScenarioSwatch color={row.color} />
          {row.name}
        </span>
      </th>
      {TARGETS.map((t) => (
        <td key={t.id} className="py-2 pr-3 text-right" data-testid={`report-odds-${t.id}`}>
          {mc.error && !mc.pending
            ? 'not available'
            : result
              ? formatProbability(result.probabilityMet[t.id])
              : '…'}
        </td>
      ))}
    </tr>
  );
}

/** The agreed scenario's values as recorded, on top of its current ones (or the first scenario's). */
function recordedValues(
  board: BoardState,
  scenarioId: string,
  recorded: Record<string, number>,
): Assumptions {
  const base = (board.scenarios.find((s) => s.id === scenarioId) ?? board.scenarios[0])!.values;
  const out = { ...base };
  for (const [id, v] of Object.entries(recorded)) if (isAssumptionId(id)) out[id] = v;
  return out;
}
