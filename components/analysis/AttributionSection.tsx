'use client';

import { useTranslations } from 'next-intl';
import { useId, useMemo, useState } from 'react';
import { ASSUMPTIONS, TARGET_YEAR, attribution, isAssumptionId } from '@/lib/model';
import type { ScenarioState } from '@/lib/board/scenarios';
import { formatUsd } from '@/lib/format';
import { placeBar, waterfallSteps } from '@/lib/client/analysis';
import { SELECT_CLASS, Section, YearSelect } from './ui';
import { useActuals } from './hooks';
import { ScenarioSwatch } from '@/components/ui/ScenarioSwatch';
import { useAssumptionText } from '@/components/board/useAssumptionText';

const UP = '#009e73';
const DOWN = '#d55e00';
const TOTAL = '#59636e';

/**
 * Waterfall from the baseline scenario's total to this scenario's in a chosen year: one bar per
 * changed assumption (Shapley attribution), the bars sum to the difference.
 */
export function AttributionSection({
  scenarios,
  scenario,
  baselineId,
  onSelectScenario,
}: {
  scenarios: readonly ScenarioState[];
  scenario: ScenarioState;
  baselineId: string | null;
  onSelectScenario: (id: string) => void;
}) {
  const t = useTranslations('analysis.attribution');
  const actuals = useActuals();
  const selectId = useId();
  const [year, setYear] = useState(TARGET_YEAR);
  const [compareWith, setCompareWith] = useState<string | null>(null);
  const base =
    scenarios.find((s) => s.id === compareWith) ??
    scenarios.find((s) => s.id === baselineId) ??
    scenarios[0] ??
    scenario;
  const same = base.id === scenario.id;
  const result = useMemo(
    () => (same ? null : attribution(base.values, scenario.values, { year, actuals })),
    [same, base.values, scenario.values, year, actuals],
  );
  const others = scenarios.filter((s) => s.id !== scenario.id);

  const compareControl = others.length > 0 && (
    <span className="flex items-center gap-2 text-sm">
      <label htmlFor={selectId} className="text-muted">
        {t('from')}
      </label>
      <select
        id={selectId}
        value={base.id}
        onChange={(e) => setCompareWith(e.target.value)}
        className={`${SELECT_CLASS} max-w-44`}
        data-testid="waterfall-compare"
      >
        {scenarios.map((s) => (
          <option key={s.id} value={s.id}>
            {s.id === baselineId ? t('baselineOption', { name: s.name }) : s.name}
          </option>
        ))}
      </select>
    </span>
  );

  return (
    <Section
      title={t('title')}
      description={t('description', { base: base.name, scenario: scenario.name, year })}
      actions={
        <>
          {compareControl}
          <YearSelect value={year} onChange={setYear} testId="waterfall-year" />
        </>
      }
    >
      <div
        data-testid="analysis-waterfall"
        data-state={same ? 'same' : 'ready'}
        data-bars={result?.bars.map((b) => b.id).join(',') ?? ''}
      >
        {same || !result ? (
          <div className="flex flex-col gap-3 rounded-xl bg-canvas px-4 py-3 text-sm">
            <p>
              {t.rich(base.id === baselineId ? 'sameBaseline' : 'sameComparison', {
                name: scenario.name,
                strong: (chunks) => <strong>{chunks}</strong>,
              })}{' '}
              {others.length === 0 ? t('addScenario') : t('openAnother')}
            </p>
            {others.length > 0 && (
              <div className="flex flex-wrap gap-2">
                {others.map((s) => (
                  <button
                    key={s.id}
                    type="button"
                    onClick={() => onSelectScenario(s.id)}
                    className="inline-flex h-9 items-center gap-1.5 rounded-lg border border-line bg-surface px-3 text-sm font-medium hover:bg-canvas"
                  >
                    <ScenarioSwatch color={s.color} />
                    {s.name}
                  </button>
                ))}
              </div>
            )}
          </div>
        ) : (
          <Waterfall result={result} baseName={base.name} scenarioName={scenario.name} />
        )}
      </div>
    </Section>
  );
}

function Waterfall({
  result,
  baseName,
  scenarioName,
}: {
  result: NonNullable<ReturnType<typeof attribution>>;
  baseName: string;
  scenarioName: string;
}) {
  const t = useTranslations('analysis.attribution');
  const { label, value: formatValue } = useAssumptionText();
  // The model's English words for the bars and the two totals, in the page's language.
  const steps = waterfallSteps(
    result,
    { baseline: baseName, scenario: scenarioName },
    (id, from, to) => {
      const spec = ASSUMPTIONS[id];
      return `${formatValue(spec, from)} → ${formatValue(spec, to)}`;
    },
  ).map((step) =>
    step.key === 'baseline'
      ? { ...step, detail: t('baselineDetail') }
      : step.key === 'scenario'
        ? { ...step, detail: t('scenarioDetail') }
        : isAssumptionId(step.key)
          ? { ...step, label: label(step.key) }
          : step,
  );
  const max = Math.max(...steps.map((s) => Math.max(s.start, s.end))) * 1.02 || 1;
  const diff = result.scenarioTotal - result.baselineTotal;
  const summary =
    result.bars.length === 0
      ? t('summarySame', {
          scenario: scenarioName,
          base: baseName,
          total: formatUsd(result.scenarioTotal),
          year: result.year,
        })
      : t('summary', {
          base: baseName,
          baseTotal: formatUsd(result.baselineTotal),
          scenario: scenarioName,
          scenarioTotal: formatUsd(result.scenarioTotal),
          year: result.year,
          diff: `${diff >= 0 ? '+' : '-'}${formatUsd(Math.abs(diff))}`,
          bars: result.bars
            .map(
              (b) =>
                `${label(b.id)}: ${b.contribution >= 0 ? '+' : '-'}${formatUsd(Math.abs(b.contribution))}`,
            )
            .join(t('barSeparator')),
        });
  return (
    <figure aria-label={t('chart', { summary })} className="flex flex-col gap-2.5">
      {result.bars.length === 0 && <p className="text-sm text-muted">{t('noDiff')}</p>}
      <ol className="flex flex-col gap-2">
        {steps.map((s, i) => {
          const g = placeBar(s.start, s.end, 0, max);
          const color = s.kind === 'total' ? TOTAL : s.kind === 'up' ? UP : DOWN;
          const amount =
            s.kind === 'total'
              ? formatUsd(s.amount)
              : `${s.amount >= 0 ? '+' : '-'}${formatUsd(Math.abs(s.amount))}`;
          return (
            <li
              key={s.key}
              data-testid={`waterfall-step-${s.key}`}
              className="grid gap-1 @xl:grid-cols-[minmax(0,14rem)_minmax(0,1fr)] @xl:items-center @xl:gap-3"
            >
              <div className="min-w-0 text-sm leading-tight">
                <span className={`block ${s.kind === 'total' ? 'font-semibold' : 'font-medium'}`}>
                  {s.label}
                </span>
                <span className="text-xs text-muted tabular-nums">{s.detail}</span>
              </div>
              <div className="flex items-center gap-2">
                <div className="relative h-6 flex-1" aria-hidden="true">
                  {i > 0 && i < steps.length - 1 && (
                    <span
                      className="absolute -top-2 h-2 border-l border-dashed border-muted/60"
                      style={{ left: `${placeBar(0, s.start, 0, max).width}%` }}
                    />
                  )}
                  <span
                    className="absolute inset-y-0 rounded-sm"
                    style={{
                      left: `${g.left}%`,
                      width: `${Math.max(g.width, 0.4)}%`,
                      backgroundColor: color,
                    }}
                  />
                </div>
                <span
                  className={`w-20 shrink-0 text-end text-sm font-semibold tabular-nums ${
                    s.kind === 'up' ? 'text-emerald-700' : s.kind === 'down' ? 'text-danger' : ''
                  }`}
                >
                  {amount}
                </span>
              </div>
            </li>
          );
        })}
      </ol>
      <figcaption className="text-xs text-muted">
        {result.method === 'exact'
          ? t('exact')
          : t('estimated', { n: result.permutations.toLocaleString('en-US') })}
      </figcaption>
    </figure>
  );
}
