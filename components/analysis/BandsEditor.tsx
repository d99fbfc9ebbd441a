'use client';

import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import type * as Y from 'yjs';
import { setBand, type Band } from '@/lib/board/bands';
import { ASSUMPTIONS, effectiveBands, type AssumptionId, type Assumptions } from '@/lib/model';
import { formatInputValue } from '@/lib/client/assumptionInput';
import { BANDABLE } from '@/lib/client/analysis';
import { useAssumptionText } from '@/components/board/useAssumptionText';

/**
 * The uncertainty band of every assumption for this scenario. Moderators can set a band (low/high,
 * in the assumption's own units) for the whole board, or reset it to the model's default; everyone
 * else sees them read-only. A band set from a value poll is labelled "the room's estimate" until
 * someone sets it by hand.
 */
export function BandsEditor({
  doc,
  values,
  overrides,
  canEdit,
}: {
  doc: Y.Doc;
  values: Assumptions;
  overrides: Partial<Record<AssumptionId, Band>>;
  canEdit: boolean;
}) {
  const t = useTranslations('analysis.bands');
  const effective = effectiveBands(values, overrides);
  const count = Object.keys(overrides).length;
  return (
    <details className="group rounded-xl border border-line" data-testid="analysis-bands">
      <summary className="flex cursor-pointer list-none items-center justify-between gap-3 px-3 py-2.5 text-sm font-medium hover:bg-canvas">
        <span>
          {t('title')}{' '}
          <span className="font-normal text-muted">
            {count === 0 ? t('defaults') : t('setCount', { count })}
            {canEdit ? '' : ` ${t('readOnly')}`}
          </span>
        </span>
        <span aria-hidden="true" className="text-muted transition-transform group-open:rotate-180">
          ▾
        </span>
      </summary>
      <div className="max-h-96 overflow-y-auto border-t border-line">
        <table className="w-full text-sm">
          <caption className="sr-only">{t('caption')}</caption>
          <thead className="sticky top-0 bg-surface text-start text-muted">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">
                {t('assumption')}
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                {t('band')}
              </th>
            </tr>
          </thead>
          <tbody>
            {BANDABLE.map((id) => (
              <BandRow
                key={id}
                id={id}
                doc={doc}
                value={values[id]}
                band={effective[id]}
                override={overrides[id]}
                canEdit={canEdit}
              />
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

function BandRow({
  id,
  doc,
  value,
  band,
  override,
  canEdit,
}: {
  id: AssumptionId;
  doc: Y.Doc;
  value: number;
  band: { low: number; high: number } | undefined;
  override: Band | undefined;
  canEdit: boolean;
}) {
  const t = useTranslations('analysis.bands');
  const { label: labelOf, unit, value: formatValue } = useAssumptionText();
  const spec = ASSUMPTIONS[id];
  const label = labelOf(id);
  const [error, setError] = useState<string | null>(null);
  const fromPoll = override?.origin === 'poll';
  const roomLabel = fromPoll && (
    <span className="text-xs font-medium text-accent" data-testid={`band-origin-${id}`}>
      {t('roomEstimate')}
    </span>
  );
  const shown = band
    ? `${formatValue(spec, band.low)} – ${formatValue(spec, band.high)}`
    : t('fixed');
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const text = (name: string) => {
      const v = data.get(name);
      return typeof v === 'string' ? v.replace(/,/g, '').trim() : '';
    };
    const low = Number(text('low'));
    const high = Number(text('high'));
    if (
      text('low') === '' ||
      text('high') === '' ||
      !Number.isFinite(low) ||
      !Number.isFinite(high)
    ) {
      setError(t('enterTwo'));
      return;
    }
    if (low < spec.min || high > spec.max || low > high) {
      setError(
        t('useRange', { min: formatValue(spec, spec.min), max: formatValue(spec, spec.max) }),
      );
      return;
    }
    setError(null);
    setBand(doc, id, { low, high });
  };
  return (
    <tr className="border-t border-line align-top" data-testid={`band-${id}`}>
      <th scope="row" className="px-3 py-2 text-start font-normal">
        <span className="block">{label}</span>
        <span className="text-xs text-muted">
          {t('value', { value: formatValue(spec, value) })}
        </span>
      </th>
      <td className="px-3 py-2">
        {canEdit ? (
          <form
            key={`${band?.low}:${band?.high}`}
            onSubmit={onSubmit}
            className="flex flex-wrap items-center gap-1.5"
            aria-label={t('form', { label })}
          >
            <input
              name="low"
              inputMode="decimal"
              defaultValue={band ? formatInputValue(spec, band.low) : ''}
              aria-label={t('low', { label, unit: unit(spec) })}
              className="h-8 w-20 rounded-md border border-line px-2 tabular-nums"
            />
            <span aria-hidden="true">–</span>
            <input
              name="high"
              inputMode="decimal"
              defaultValue={band ? formatInputValue(spec, band.high) : ''}
              aria-label={t('high', { label, unit: unit(spec) })}
              className="h-8 w-20 rounded-md border border-line px-2 tabular-nums"
            />
            <button
              type="submit"
              className="h-8 rounded-md border border-line px-2 text-xs font-medium hover:bg-canvas"
            >
              {t('set')}
            </button>
            {override && (
              <button
                type="button"
                onClick={() => setBand(doc, id, null)}
                className="h-8 rounded-md px-2 text-xs text-muted hover:bg-canvas hover:text-ink"
              >
                {t('reset')}
              </button>
            )}
            {roomLabel && <span className="w-full">{roomLabel}</span>}
            {error && (
              <span role="alert" className="w-full text-xs text-danger">
                {error}
              </span>
            )}
          </form>
        ) : (
          <span className="tabular-nums">
            {shown}
            {override && !fromPoll && (
              <span className="ms-1.5 text-xs text-muted">{t('moderator')}</span>
            )}
            {roomLabel && <span className="ms-1.5">{roomLabel}</span>}
          </span>
        )}
      </td>
    </tr>
  );
}
