'use client';

import { useTranslations } from 'next-intl';
import { useCallback, useDeferredValue, useMemo } from 'react';
import { setAssumption } from '@/lib/board/scenarios';
import { defaultAssumptions, modelOfBoard, project, type AssumptionId } from '@/lib/model';
import { analysisSeed } from '@/lib/client/analysis';
import { useBoardContext, useSharedBoard } from '@/components/board/BoardContext';
import { useAssumptionText } from '@/components/board/useAssumptionText';
import { useActuals, useDocBands, useMonteCarlo } from './hooks';
import { UncertaintySection } from './UncertaintySection';
import { BandsEditor } from './BandsEditor';
import { SensitivitySection } from './SensitivitySection';
import { GoalSeekSection } from './GoalSeekSection';
import { AttributionSection } from './AttributionSection';
import { MoreOutputsSection } from './MoreOutputsSection';

/**
 * The Analysis tab: uncertainty (Monte Carlo in a worker), sensitivity (tornado), goal seek and
 * the two-lever frontier, attribution against the baseline (waterfall), and further outputs, all
 * for the scenario being shown, live as anyone moves a lever.
 */
export function AnalysisTab() {
  const { boardId, scenarioId, session, role, locks, readOnly, selectScenario } = useBoardContext();
  const board = useSharedBoard();
  const t = useTranslations('analysis');
  const { label } = useAssumptionText();
  const scenario = board.scenarios.find((s) => s.id === scenarioId) ?? board.scenarios[0];
  const bands = useDocBands(session.doc);
  // Sliders stay responsive: the synchronous analyses follow one render behind a fast drag.
  const liveValues = scenario?.values;
  const values = useDeferredValue(liveValues);
  const deferredScenarios = useDeferredValue(board.scenarios);
  const actuals = useActuals();
  const projection = useMemo(() => (values ? project(values, actuals) : null), [values, actuals]);
  const seed = analysisSeed(boardId, scenario?.id ?? '');
  const modelVersion = board.meta.modelVersion;
  const specsModel = modelOfBoard(board.meta);
  const mc = useMonteCarlo(liveValues ?? ASSUMPTION_FALLBACK, bands, seed, modelVersion, actuals);

  const onApply = useCallback(
    (id: AssumptionId, value: number) => {
      if (!scenario) return;
      setAssumption(session.doc, scenario.id, id, value);
    },
    [session, scenario],
  );
  const applyBlock = useCallback(
    (id: AssumptionId): string | null => {
      if (readOnly) return readOnly;
      if (role !== 'moderator' && locks[id]) return t('lockedBy', { label: label(id) });
      return null;
    },
    [readOnly, role, locks, t, label],
  );

  if (!scenario || !values || !projection) return null;
  const deferredScenario = deferredScenarios.find((s) => s.id === scenario.id) ?? scenario;
  const bandCount = Object.keys(bands).length;

  return (
    <div
      className="@container flex flex-col gap-5"
      data-testid="analysis-tab"
      data-scenario={scenario.id}
    >
      <UncertaintySection
        mc={mc}
        projection={projection}
        scenarioName={scenario.name}
        bandsNote={bandCount === 0 ? t('bandsDefault') : t('bandsSet', { count: bandCount })}
      >
        <BandsEditor
          doc={session.doc}
          values={values}
          overrides={bands}
          canEdit={role === 'moderator' && !readOnly}
        />
      </UncertaintySection>
      <GoalSeekSection
        values={values}
        onApply={onApply}
        applyBlock={applyBlock}
        assumptionIds={specsModel.assumptionIds}
      />
      <SensitivitySection values={values} bands={bands} modelVersion={modelVersion} />
      <AttributionSection
        scenarios={deferredScenarios}
        scenario={deferredScenario}
        baselineId={board.meta.baselineScenarioId}
        onSelectScenario={selectScenario}
      />
      <MoreOutputsSection
        projection={projection}
        countsAddedOnly={specsModel.assumptionIds.includes('programmeYears')}
      />
    </div>
  );
}

const ASSUMPTION_FALLBACK = defaultAssumptions();
