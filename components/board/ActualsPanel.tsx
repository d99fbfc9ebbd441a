'use client';

import { useId, useState, type FormEvent } from 'react';
import * as v from 'valibot';
import { actualSchema, lastReportableYear, setActuals } from '@/lib/board/actuals';
import { FIRST_ACTUAL_YEAR, MAX_ACTUALS, MAX_ACTUAL_SOURCE, type Actual } from '@/lib/model';
import { formatUsd } from '@/lib/format';
import { useBoardContext, useSharedBoard } from './BoardContext';
import { useTranslations } from 'next-intl';

const FIELD =
  'h-9 w-full min-w-0 rounded-lg border border-line bg-surface px-2.5 text-sm focus:border-accent focus:outline-none';
const B = 1e9;

/**
 * Reported actuals for past years (model rule R22): everyone sees them with their source; the
 * moderator adds, replaces and removes them (the server refuses anyone else). Shown to others
 * only when there are some.
 */
export function ActualsPanel() {
  const t = useTranslations('actuals');
  const { session, role, readOnly } = useBoardContext();
  const board = useSharedBoard();
  const actuals = board.actuals;
  const canEdit = role === 'moderator' && !readOnly;
  if (!canEdit && actuals.length === 0) return null;
  const write = (next: Actual[]) => setActuals(session.doc, next);

  return (
    <section
      className="rounded-2xl border border-line bg-surface p-4 shadow-sm sm:p-5"
      aria-labelledby="actuals-title"
      data-testid="actuals-panel"
    >
      <h2 id="actuals-title" className="font-semibold">
        {t('heading')}
      </h2>
      <p className="mt-1 text-sm text-muted">{t('text')}</p>
      {actuals.length > 0 ? (
        <ul className="mt-3 divide-y divide-line text-sm" data-testid="actuals-list">
          {actuals.map((a) => (
            <li
              key={a.year}
              className="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2"
              data-testid={`actual-${a.year}`}
            >
              <span className="font-semibold tabular-nums">{a.year}</span>
              <span className="tabular-nums">{formatUsd(a.totalUsd)}</span>
              {a.freelanceUsd !== undefined && (
                <span className="text-muted tabular-nums">
                  {t('freelancers', { amount: formatUsd(a.freelanceUsd) })}
                </span>
              )}
              <span className="min-w-0 flex-1 basis-40 break-words text-muted">
                {t('source', { source: a.source })}
              </span>
              {canEdit && (
                <button
                  type="button"
                  className="h-8 rounded-lg px-2 text-sm font-medium text-accent hover:bg-accent/10"
                  onClick={() => write(actuals.filter((x) => x.year !== a.year))}
                  aria-label={t('removeLabel', { year: a.year })}
                >
                  {t('remove')}
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-3 text-sm text-muted">{t('none')}</p>
      )}
      {canEdit && <ActualForm actuals={actuals} onSave={write} />}
    </section>
  );
}

/** The moderator's form: one year at a time; a year already reported is replaced. */
function ActualForm({
  actuals,
  onSave,
}: {
  actuals: readonly Actual[];
  onSave: (next: Actual[]) => void;
}) {
  const id = useId();
  const tf = useTranslations('actualsForm');
  const last = lastReportableYear();
  const years: number[] = [];
  for (let y = last; y >= FIRST_ACTUAL_YEAR; y--) years.push(y);
  const [year, setYear] = useState(String(years[0] ?? FIRST_ACTUAL_YEAR));
  const [total, setTotal] = useState('');
  const [freelance, setFreelance] = useState('');
  const [source, setSource] = useState('');
  const [error, setError] = useState<string | null>(null);

  function submit(e: FormEvent) {
    e.preventDefault();
    const billions = (text: string) => (text.trim() === '' ? NaN : Number(text.trim()));
    const t = billions(total);
    if (!Number.isFinite(t)) return setError(tf('totalInvalid'));
    const f = freelance.trim() === '' ? undefined : billions(freelance);
    if (f !== undefined && !Number.isFinite(f)) return setError(tf('freelanceInvalid'));
    const parsed = v.safeParse(actualSchema, {
      year: Number(year),
      totalUsd: Math.round(t * B),
      ...(f === undefined ? {} : { freelanceUsd: Math.round(f * B) }),
      source,
    });
    if (!parsed.success) return setError(parsed.issues[0]?.message ?? tf('check'));
    const others = actuals.filter((a) => a.year !== parsed.output.year);
    if (others.length >= MAX_ACTUALS) return setError(tf('tooMany', { max: MAX_ACTUALS }));
    setError(null);
    onSave([...others, parsed.output]);
    setTotal('');
    setFreelance('');
    setSource('');
  }

  return (
    <form
      className="mt-3 grid grid-cols-2 gap-2 border-t border-line pt-3 sm:grid-cols-[6rem_1fr_1fr]"
      onSubmit={submit}
      noValidate
      data-testid="actual-form"
    >
      <label className="flex flex-col gap-1 text-xs text-muted">
        {tf('year')}
        <select
          className={FIELD}
          value={year}
          onChange={(e) => setYear(e.target.value)}
          data-testid="actual-year"
        >
          {years.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-xs text-muted">
        {tf('total')}
        <input
          className={FIELD}
          inputMode="decimal"
          value={total}
          onChange={(e) => setTotal(e.target.value)}
          placeholder="3.2"
          data-testid="actual-total"
        />
      </label>
      <label className="col-span-2 flex flex-col gap-1 text-xs text-muted sm:col-span-1">
        {tf('freelance')}
        <input
          className={FIELD}
          inputMode="decimal"
          value={freelance}
          onChange={(e) => setFreelance(e.target.value)}
          placeholder="0.5"
          data-testid="actual-freelance"
        />
      </label>
      <label className="col-span-2 flex flex-col gap-1 text-xs text-muted sm:col-span-3">
        {tf('source')}
        <input
          className={FIELD}
          value={source}
          maxLength={MAX_ACTUAL_SOURCE}
          onChange={(e) => setSource(e.target.value)}
          placeholder={tf('sourcePlaceholder')}
          data-testid="actual-source"
          aria-describedby={error ? `${id}-error` : undefined}
        />
      </label>
      <div className="col-span-2 flex flex-wrap items-center gap-3 sm:col-span-3">
        <button
          type="submit"
          className="h-9 rounded-lg bg-accent px-4 text-sm font-medium text-white hover:bg-accent/90"
          data-testid="actual-save"
        >
          {actuals.some((a) => String(a.year) === year) ? tf('replace', { year }) : tf('add')}
        </button>
        {error && (
          <p
            id={`${id}-error`}
            role="alert"
            className="text-sm text-red-700"
            data-testid="actual-error"
          >
            {error}
          </p>
        )}
      </div>
    </form>
  );
}
