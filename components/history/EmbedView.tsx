'use client';

import { scenarioOrBaseline } from '@/lib/board/boardState';

import { useMemo, useState } from 'react';
import { useTranslations } from 'next-intl';
import { kpis, project } from '@/lib/model';
import { ExportsChart } from '@/components/board/ExportsChart';
import { KpiCards } from '@/components/board/KpiCards';
import { useReadOnlyBoard } from './useReadOnlyBoard';
import { ScenarioSwatch } from '@/components/ui/ScenarioSwatch';

/** Read-only chart and key figures for an iframe: minimal chrome, live, a scenario switcher. */
export function EmbedView({ boardId }: { boardId: string }) {
  const { snapshot, board } = useReadOnlyBoard(boardId);
  const t = useTranslations('embed');
  const [picked, setPicked] = useState<string | null>(() =>
    typeof window === 'undefined'
      ? null
      : new URLSearchParams(window.location.search).get('scenario'),
  );
  const scenario = scenarioOrBaseline(board, picked) ?? undefined;
  const values = scenario?.values;
  const actuals = board.actuals;
  const projection = useMemo(() => (values ? project(values, actuals) : null), [values, actuals]);
  const headline = useMemo(() => (projection ? kpis(projection) : null), [projection]);

  if (snapshot.connection.state === 'error') {
    return (
      <p className="p-6 text-center text-sm text-muted" data-testid="embed-error">
        {t('unavailable', { reason: snapshot.connection.reason })}
      </p>
    );
  }
  if (!snapshot.loaded || !scenario || !projection || !headline) {
    return (
      <p className="p-6 text-center text-sm text-muted" role="status">
        {t('loading')}
      </p>
    );
  }

  return (
    <main className="flex flex-col gap-3 p-3 sm:p-4" data-testid="embed-view">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
        <h1 className="min-w-0 flex-1 truncate font-semibold">{board.meta.title}</h1>
        {board.scenarios.length > 1 && (
          <div className="flex flex-wrap gap-1" role="group" aria-label={t('scenario')}>
            {board.scenarios.map((s) => (
              <button
                key={s.id}
                type="button"
                aria-pressed={s.id === scenario.id}
                onClick={() => setPicked(s.id)}
                className={`inline-flex h-7 items-center gap-1.5 rounded-full border px-2.5 text-xs font-medium ${
                  s.id === scenario.id
                    ? 'border-ink bg-ink text-white'
                    : 'border-line bg-surface hover:bg-canvas'
                }`}
              >
                <ScenarioSwatch color={s.color} size="sm" />
                {s.name}
              </button>
            ))}
          </div>
        )}
      </div>
      <h2 className="sr-only">{t('headline')}</h2>
      <KpiCards kpis={headline} baseTotal={projection.years[0]?.total ?? 0} />
      <ExportsChart projection={projection} scenarioName={scenario.name} />
      <p className="text-end text-xs text-muted">
        {t.rich('liveFrom', {
          link: (c) => (
            <a
              href="/"
              target="_blank"
              rel="noopener"
              className="font-medium text-accent hover:underline"
            >
              {c}
            </a>
          ),
        })}
      </p>
    </main>
  );
}
