'use client';

import type * as Y from 'yjs';
import { useTranslations } from 'next-intl';
import { currentDecision } from '@/lib/board/decision';
import type { BoardState } from '@/lib/board/boardState';
import { TARGETS, TARGET_YEAR, isAssumptionId, type Assumptions } from '@/lib/model';
import { ANALYSIS_SAMPLES, analysisSeed, formatProbability } from '@/lib/client/analysis';
import { targetAmount } from '@/lib/client/targets';
import { useDocValue } from '@/lib/client/history';
import { useDocBands, useMonteCarlo, type DocBands } from '@/components/analysis/hooks';
import { ScenarioSwatch } from '@/components/ui/ScenarioSwatch';

/** A target's name in the page's language (lib/client/targets' targetName, from the catalog). */
function useTargetName() {
  const t = useTranslations('chart.target');
  return (target: { id: string; value: number }) => {
    const amount = targetAmount(target);
    if (target.id === 't5') return t('policy', { amount });
    if (target.id === 't10') return t('aspirationLow', { amount });
    if (target.id === 't18') return t('aspirationHigh', { amount });
    return t('other', { amount });
  };
}

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
  const t = useTranslations('report');
  const targetName = useTargetName();
  const decision = useDocValue(doc, currentDecision);
  const bands = useDocBands(doc);
  const bandCount = Object.keys(bands).length;
  const rows: OddsRow[] = decision
    ? [
        {
          key: `decision-${decision.id}`,
          scenarioId: decision.scenarioId,
          name: t('agreedName', { name: decision.scenarioName }),
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
        {t('oddsHeading', { year: TARGET_YEAR })}
      </h2>
      <p className="mb-2 max-w-prose text-sm text-muted" data-testid="report-targets-method">
        {t('oddsMethod', {
          samples: ANALYSIS_SAMPLES.toLocaleString('en-US'),
          bands: bandCount === 0 ? t('bandsDefault') : t('bandsSet', { count: bandCount }),
        })}
        {decision
          ? ` ${t('oddsAgreed')}`
          : board.scenarios.length > SCENARIOS_SIMULATED
            ? ` ${t('oddsFirst', { count: SCENARIOS_SIMULATED })}`
            : ''}
      </p>
      <div className="overflow-x-auto" tabIndex={0} aria-labelledby="targets-h">
        <table className="w-full text-sm tabular-nums">
          <thead>
            <tr className="border-b border-line text-start text-muted">
              <th className="py-2 pe-3 font-medium">{t('scenario')}</th>
              {TARGETS.map((target) => (
                <th key={target.id} className="py-2 pe-3 text-end font-medium">
                  {targetName(target)}
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
  const t = useTranslations('report');
  const result = mc.pending ? null : mc.result;
  return (
    <tr data-testid="report-targets-row" data-state={result ? 'ready' : 'pending'}>
      <th scope="row" className="py-2 pe-3 text-start font-medium">
        <span className="inline-flex items-center gap-1.5">
          <ScenarioSwatch color={row.color} />
          {row.name}
        </span>
      </th>
      {TARGETS.map((target) => (
        <td key={target.id} className="py-2 pe-3 text-end" data-testid={`report-odds-${target.id}`}>
          {mc.error && !mc.pending
            ? t('notAvailable')
            : result
              ? formatProbability(result.probabilityMet[target.id])
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
