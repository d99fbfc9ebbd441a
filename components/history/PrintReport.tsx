'use client';

import { useMemo } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { readThreads } from '@/lib/board/comments';
import { scenarioOrBaseline } from '@/lib/board/boardState';
import {
  ASSUMPTIONS,
  ASSUMPTION_GROUPS,
  modelOfBoard,
  TARGETS,
  TARGET_YEAR,
  isAssumptionId,
  kpis,
  project,
} from '@/lib/model';
import { formatPercent, formatUsd } from '@/lib/format';
import { useIntlLocale } from '@/lib/i18n/format';
import { useDocumentTitle } from '@/lib/client/useDocumentTitle';
import { GOAL_TARGET, targetAmount } from '@/lib/client/targets';
import { useDocValue } from '@/lib/client/history';
import { ExportsChart } from '@/components/board/ExportsChart';
import { Logo } from '@/components/ui/Logo';
import { useAssumptionText } from '@/components/board/useAssumptionText';
import { OverlayChart } from '@/components/charts/OverlayChart';
import { useReadOnlyBoard } from './useReadOnlyBoard';
import { ReportDecision, ReportPollsAndLog } from './ReportRecord';
import { ReportTargetOdds } from './ReportTargets';
import { ScenarioSwatch } from '@/components/ui/ScenarioSwatch';

/** A printable report of the whole board: KPIs, charts, every scenario's assumptions, comments, sources. */
export function PrintReport({ boardId }: { boardId: string }) {
  const { session, snapshot, board } = useReadOnlyBoard(boardId);
  const t = useTranslations('report');
  const tTitle = useTranslations('titles');
  const tMeta = useTranslations('meta');
  const text = useAssumptionText();
  const locale = useLocale();
  const intlLocale = useIntlLocale();
  // English keeps the browser's own date format, as before the catalog.
  const dateLocale = locale === 'en' ? undefined : intlLocale;
  const threads = useDocValue(session.doc, readThreads);
  const loaded = snapshot.loaded && board.scenarios.length > 0;
  const baseline = scenarioOrBaseline(board) ?? undefined;
  const rows = useMemo(
    () =>
      board.scenarios.map((s) => {
        const p = project(s.values, board.actuals);
        return { s, p, k: kpis(p) };
      }),
    [board.scenarios, board.actuals],
  );
  const baselineProjection = useMemo(
    () => (baseline ? project(baseline.values, board.actuals) : null),
    [baseline, board.actuals],
  );

  useDocumentTitle(
    loaded ? `${tTitle('report', { title: board.meta.title })} · ${tMeta('appName')}` : null,
  );

  if (snapshot.fatalCode !== null || snapshot.connection.state === 'error') {
    return (
      <main className="mx-auto max-w-xl px-6 py-16 text-center" data-testid="report-error">
        <h1 className="text-lg font-semibold">{t('cannotOpen')}</h1>
        <p className="mt-2 text-muted">
          {snapshot.connection.state === 'error' ? snapshot.connection.reason : t('unavailable')}{' '}
          {t('openFirst')}
        </p>
      </main>
    );
  }
  if (!loaded || !baseline || !baselineProjection) {
    return (
      <p className="p-8 text-center text-sm text-muted" role="status">
        {t('loading')}
      </p>
    );
  }

  const names = new Map(board.scenarios.map((s) => [s.id, s.name]));
  const targetLabel = (target: { kind: string; id: string }) =>
    target.kind === 'assumption' && isAssumptionId(target.id)
      ? text.label(target.id)
      : t('commentScenario', { name: names.get(target.id) ?? t('deleted') });

  return (
    <main
      className="sb-report mx-auto flex max-w-[1100px] flex-col gap-6 bg-surface px-5 py-6 sm:px-10 sm:py-10"
      data-testid="print-report"
    >
      <header className="flex flex-wrap items-start justify-between gap-4 border-b border-line pb-4">
        <div>
          <div className="sb-no-print mb-3">
            <Logo compact />
          </div>
          <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">{board.meta.title}</h1>
          {board.meta.description && (
            <p className="mt-1 max-w-prose text-muted">{board.meta.description}</p>
          )}
          <p className="mt-1 text-sm text-muted">
            {t('subtitle', { count: board.scenarios.length })}{' '}
            <a
              data-testid="print-model"
              href={`/models/${encodeURIComponent(board.meta.modelId)}/v/${board.meta.modelVersion}`}
              className="underline"
            >
              {board.meta.modelId} v{board.meta.modelVersion}
            </a>{' '}
            ·{' '}
            {t('generated', {
              when: new Date().toLocaleString(dateLocale, {
                dateStyle: 'long',
                timeStyle: 'short',
              }),
            })}
          </p>
        </div>
        <div className="sb-no-print flex gap-2">
          <a
            href={`/b/${encodeURIComponent(boardId)}`}
            className="inline-flex h-10 items-center rounded-lg border border-line px-3 text-sm font-medium hover:bg-canvas"
          >
            {t('back')}
          </a>
          <button
            type="button"
            onClick={() => window.print()}
            data-testid="print-button"
            className="inline-flex h-10 items-center rounded-lg bg-accent px-4 text-sm font-medium text-white"
          >
            {t('print')}
          </button>
        </div>
      </header>

      <ReportDecision doc={session.doc} />

      <section aria-labelledby="kpi-h" className="sb-avoid-break">
        <h2 id="kpi-h" className="mb-2 text-lg font-semibold">
          {t('kpis')}
        </h2>
        {/* Focusable: a table that scrolls sideways on a phone must scroll by keyboard too. */}
        <div className="overflow-x-auto" tabIndex={0} aria-labelledby="kpi-h">
          <table className="w-full text-sm tabular-nums" data-testid="report-kpis">
            <thead>
              <tr className="border-b border-line text-start text-muted">
                <th className="py-2 pe-3 font-medium">{t('scenario')}</th>
                <th className="py-2 pe-3 text-end font-medium">
                  {t('exports', { year: TARGET_YEAR })}
                </th>
                <th className="py-2 pe-3 text-end font-medium">
                  {t('gap', { target: targetAmount(GOAL_TARGET) })}
                </th>
                <th className="py-2 pe-3 text-end font-medium">{t('growth')}</th>
                {TARGETS.map((target) => (
                  <th key={target.id} className="py-2 pe-3 text-end font-medium">
                    {t('met', { target: targetAmount(target) })}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-line">
              {rows.map(({ s, k }) => {
                const gap = k.gapTo[GOAL_TARGET.id];
                return (
                  <tr key={s.id}>
                    <th scope="row" className="py-2 pe-3 text-start font-medium">
                      <span className="inline-flex items-center gap-1.5">
                        <ScenarioSwatch color={s.color} />
                        {s.name}
                        {s.id === board.meta.baselineScenarioId && (
                          <span className="text-xs font-normal text-muted">{t('baseline')}</span>
                        )}
                      </span>
                    </th>
                    <td className="py-2 pe-3 text-end font-semibold">
                      {k.total2028 === null ? '—' : formatUsd(k.total2028)}
                    </td>
                    <td
                      className={`py-2 pe-3 text-end ${gap !== null && gap > 0 ? 'text-danger' : 'text-emerald-700'}`}
                    >
                      {gap === null
                        ? '—'
                        : gap > 0
                          ? t('short', { amount: formatUsd(gap) })
                          : `+${formatUsd(-gap)}`}
                    </td>
                    <td className="py-2 pe-3 text-end">{formatPercent(k.cagr)}</td>
                    {TARGETS.map((target) => (
                      <td key={target.id} className="py-2 pe-3 text-end">
                        {k.firstYearMet[target.id] ?? (
                          <span className="text-muted">{t('notBy', { year: k.horizonYear })}</span>
                        )}
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>

      <ReportTargetOdds boardId={boardId} doc={session.doc} board={board} />

      <section aria-labelledby="chart-h" className="sb-avoid-break" data-testid="report-chart">
        <h2 id="chart-h" className="mb-2 text-lg font-semibold">
          {t('totalByScenario')}
        </h2>
        <OverlayChart scenarios={board.scenarios} height={300} actuals={board.actuals} />
      </section>

      {board.actuals.length > 0 && (
        <section
          aria-labelledby="actuals-h"
          className="sb-avoid-break"
          data-testid="report-actuals"
        >
          <h2 id="actuals-h" className="mb-1 text-lg font-semibold">
            {t('actuals')}
          </h2>
          <p className="mb-2 text-sm text-muted">{t('actualsText')}</p>
          <ul className="text-sm">
            {board.actuals.map((a) => (
              <li key={a.year}>
                <span className="font-semibold">{a.year}</span>: {formatUsd(a.totalUsd)}
                {a.freelanceUsd === undefined
                  ? ''
                  : ` ${t('freelancers', { amount: formatUsd(a.freelanceUsd) })}`}
                {' · '}
                <span className="text-muted">{t('source', { source: a.source })}</span>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-label={t('baselineBySource')} className="sb-avoid-break">
        <ExportsChart projection={baselineProjection} scenarioName={baseline.name} />
      </section>

      <section aria-labelledby="assumptions-h" data-testid="report-assumptions">
        <h2 id="assumptions-h" className="mb-1 text-lg font-semibold">
          {t('assumptions')}
        </h2>
        <p className="mb-2 text-sm text-muted">{t('boldNote')}</p>
        <div className="overflow-x-auto" tabIndex={0} aria-labelledby="assumptions-h">
          <table className="w-full text-sm">
            <thead>
              <tr className="border-b border-line text-start text-muted">
                <th className="py-2 pe-3 font-medium">{t('assumption')}</th>
                {board.scenarios.map((s) => (
                  <th key={s.id} className="py-2 pe-3 text-end font-medium whitespace-nowrap">
                    <span className="inline-flex items-center gap-1.5">
                      <ScenarioSwatch color={s.color} size="sm" />
                      {s.name}
                    </span>
                  </th>
                ))}
                <th className="py-2 font-medium">{t('defaultSource')}</th>
              </tr>
            </thead>
            {ASSUMPTION_GROUPS.map((g) => {
              // Only the assumptions of the board's model version (a v1 board has no programme).
              const ids = modelOfBoard(board.meta).assumptionIds.filter(
                (id) => ASSUMPTIONS[id].group === g.id,
              );
              if (ids.length === 0) return null;
              return (
                <tbody key={g.id} className="divide-y divide-line">
                  <tr>
                    <th
                      colSpan={board.scenarios.length + 2}
                      className="bg-canvas px-2 py-1.5 text-start text-xs font-semibold tracking-wide text-muted uppercase"
                    >
                      {text.group(g.id).label}
                    </th>
                  </tr>
                  {ids.map((id) => {
                    const spec = ASSUMPTIONS[id];
                    return (
                      <tr key={id} className="align-top">
                        <th scope="row" className="py-1.5 pe-3 text-start font-medium">
                          {text.label(id)}
                        </th>
                        {board.scenarios.map((s) => (
                          <td
                            key={s.id}
                            className={`py-1.5 pe-3 text-end whitespace-nowrap tabular-nums ${s.id !== baseline.id && s.values[id] !== baseline.values[id] ? 'font-bold' : ''}`}
                          >
                            {text.value(spec, s.values[id])}
                          </td>
                        ))}
                        <td className="py-1.5 text-xs text-muted">{spec.source}</td>
                      </tr>
                    );
                  })}
                </tbody>
              );
            })}
          </table>
        </div>
      </section>

      {board.scenarios.some((s) => s.notes.trim()) && (
        <section aria-labelledby="notes-h">
          <h2 id="notes-h" className="mb-2 text-lg font-semibold">
            {t('notes')}
          </h2>
          {board.scenarios
            .filter((s) => s.notes.trim())
            .map((s) => (
              <div key={s.id} className="mb-2">
                <p className="text-sm font-semibold">{s.name}</p>
                <p className="text-sm whitespace-pre-wrap">{s.notes}</p>
              </div>
            ))}
        </section>
      )}

      <ReportPollsAndLog doc={session.doc} board={board} />

      <section aria-labelledby="comments-h" data-testid="report-comments">
        <h2 id="comments-h" className="mb-2 text-lg font-semibold">
          {t('comments')}
        </h2>
        {threads.length === 0 ? (
          <p className="text-sm text-muted">{t('noComments')}</p>
        ) : (
          <ul className="flex flex-col gap-3">
            {threads.map((thread) => (
              <li
                key={thread.root.id}
                className="sb-avoid-break rounded-lg border border-line p-3 text-sm"
              >
                <p className="mb-1 text-xs font-semibold text-muted">
                  {targetLabel(thread.root.target)}
                  {thread.root.resolved && ` · ${t('resolved')}`}
                </p>
                {[thread.root, ...thread.replies].map((c) => (
                  <p key={c.id} className={c.parentId ? 'mt-1 border-s-2 border-line ps-3' : ''}>
                    <span className="font-semibold">{c.by.name}</span>{' '}
                    <span className="text-xs text-muted">
                      {new Date(c.at).toLocaleDateString(dateLocale)}
                    </span>
                    : {c.text}
                  </p>
                ))}
              </li>
            ))}
          </ul>
        )}
      </section>

      <footer className="border-t border-line pt-3 text-xs text-muted">
        {t('footer', {
          model: board.meta.modelId,
          version: board.meta.modelVersion,
          targets: t('targets'),
        })}
      </footer>
    </main>
  );
}
