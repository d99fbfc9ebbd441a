'use client';

import { useState, type FormEvent } from 'react';
import type * as Y from 'yjs';
import { setBand, type Band } from '@/lib/board/bands';
import { ASSUMPTIONS, effectiveBands, type AssumptionId, type Assumptions } from '@/lib/model';
import { formatValue } from '@/lib/format';
import { formatInputValue } from '@/lib/client/assumptionInput';
import { BANDABLE } from '@/lib/client/analysis';

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
  const effective = effectiveBands(values, overrides);
  const count = Object.keys(overrides).length;
  return (
    <details className="group rounded-xl border border-line" data-testid="analysis-bands">
      <summary className="flex cursor-pointer list-none items-center justify-between gap-3 px-3 py-2.5 text-sm font-medium hover:bg-canvas">
        <span>
          Uncertainty bands{' '}
          <span className="font-normal text-muted">
            {count === 0 ? '(model defaults)' : `(${count} set by the moderator)`}
            {canEdit ? '' : ' · read-only'}
          </span>
        </span>
        <span aria-hidden="true" className="text-muted transition-transform group-open:rotate-180">
          ▾
        </span>
      </summary>
      <div className="max-h-96 overflow-y-auto border-t border-line">
        <table className="w-full text-sm">
          <caption className="sr-only">
            Uncertainty band (low to high) of each assumption for this scenario
          </caption>
          <thead className="sticky top-0 bg-surface text-left text-muted">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">
                Assumption
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Band (low – high)
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
  const spec = ASSUMPTIONS[id];
  const [error, setError] = useState<string | null>(null);
  const fromPoll = override?.origin === 'poll';
  const roomLabel = fromPoll && (
    <span className="text-xs font-medium text-accent" data-testid={`band-origin-${id}`}>
      the room&apos;s estimate
    </span>
  );
  const shown = band
    ? `${formatValue(spec, band.low)} – ${formatValue(spec, band.high)}`
    : 'fixed (no band)';
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
      setError('Enter two numbers.');
      return;
    }
    if (low < spec.min || high > spec.max || low > high) {
      setError(`Use ${formatValue(spec, spec.min)} to ${formatValue(spec, spec.max)}, low ≤ high.`);
      return;
    }
    setError(null);
    setBand(doc, id, { low, high });
  };
  return (
    <tr className="border-t border-line align-top" data-testid={`band-${id}`}>
      <th scope="row" className="px-3 py-2 text-left font-normal">
        <span className="block">{spec.label}</span>
        <span className="text-xs text-muted">value {formatValue(spec, value)}</span>
      </th>
      <td className="px-3 py-2">
        {canEdit ? (
          <form
            key={`${band?.low}:${band?.high}`}
            onSubmit={onSubmit}
            className="flex flex-wrap items-center gap-1.5"
            aria-label={`Band for ${spec.label}`}
          >
            <input
              name="low"
              inputMode="decimal"
              defaultValue={band ? formatInputValue(spec, band.low) : ''}
              aria-label={`${spec.label}: low (${spec.unit})`}
              className="h-8 w-20 rounded-md border border-line px-2 tabular-nums"
            />
            <span aria-hidden="true">–</span>
            <input
              name="high"
              inputMode="decimal"
              defaultValue={band ? formatInputValue(spec, band.high) : ''}
              aria-label={`${spec.label}: high (${spec.unit})`}
              className="h-8 w-20 rounded-md border border-line px-2 tabular-nums"
            />
            <button
              type="submit"
              className="h-8 rounded-md border border-line px-2 text-xs font-medium hover:bg-canvas"
            >
              Set
            </button>
            {override && (
              <button
                type="button"
                onClick={() => setBand(doc, id, null)}
                className="h-8 rounded-md px-2 text-xs text-muted hover:bg-canvas hover:text-ink"
              >
                Reset
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
              <span className="ml-1.5 text-xs text-muted">(moderator)</span>
            )}
            {roomLabel && <span className="ml-1.5">{roomLabel}</span>}
          </span>
        )}
      </td>
    </tr>
  );
}
