'use client';

import { useTranslations } from 'next-intl';
import { useId, type ReactNode } from 'react';
import { ANALYSIS_YEARS } from '@/lib/client/analysis';

/** A section card, matching the board's outcome cards. */
export function Section({
  title,
  description,
  actions,
  testId,
  children,
  busy,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  testId?: string;
  children: ReactNode;
  busy?: boolean;
}) {
  const titleId = useId();
  return (
    <section
      aria-labelledby={titleId}
      aria-busy={busy ? true : undefined}
      data-testid={testId}
      className="flex min-w-0 flex-col gap-4 rounded-2xl border border-line bg-surface p-4 shadow-sm sm:p-5"
    >
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2">
        <div className="min-w-0 flex-1 basis-64">
          <h2 id={titleId} className="font-semibold">
            {title}
          </h2>
          {description && <p className="mt-0.5 text-sm text-muted">{description}</p>}
        </div>
        {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

export const SELECT_CLASS =
  'h-9 rounded-lg border border-line bg-surface px-2 text-sm font-medium text-ink hover:bg-canvas';

/** A labelled year picker. */
export function YearSelect({
  value,
  onChange,
  label,
  testId,
  years = ANALYSIS_YEARS,
  stacked = false,
}: {
  value: number;
  onChange: (year: number) => void;
  label?: string;
  testId?: string;
  years?: readonly number[];
  /** Label above the picker (in forms) rather than beside it. */
  stacked?: boolean;
}) {
  const id = useId();
  const t = useTranslations('analysis');
  return (
    <span className={`flex gap-2 text-sm ${stacked ? 'flex-col gap-1' : 'items-center'}`}>
      <label htmlFor={id} className="text-muted">
        {label ?? t('year')}
      </label>
      <select
        id={id}
        value={value}
        data-testid={testId}
        onChange={(e) => onChange(Number(e.target.value))}
        className={`${SELECT_CLASS} ${stacked ? 'w-full' : ''}`}
      >
        {years.map((y) => (
          <option key={y} value={y}>
            {y}
          </option>
        ))}
      </select>
    </span>
  );
}

/** A small labelled figure (KPI) inside a section. */
export function Figure({
  label,
  value,
  note,
  testId,
}: {
  label: string;
  value: string;
  note?: string;
  testId?: string;
}) {
  return (
    <div className="flex min-w-0 flex-col gap-0.5 rounded-xl bg-canvas px-3 py-2.5">
      <span className="text-xs font-medium text-muted">{label}</span>
      <span className="text-xl font-semibold tracking-tight tabular-nums" data-testid={testId}>
        {value}
      </span>
      {note && <span className="text-xs text-muted">{note}</span>}
    </div>
  );
}
