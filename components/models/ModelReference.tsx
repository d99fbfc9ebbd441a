import Link from 'next/link';
import {
  DEVIATIONS,
  EQUATIONS,
  PROPERTIES,
  forVersion,
  listModels,
  type ModelDefinition,
} from '@/lib/model';
import { formatValue } from '@/lib/format';
import { Logo } from '@/components/ui/Logo';

/**
 * A model version's reference guide (MODEL.md v2, item 6): every assumption with its unit, range,
 * default, band and source, the equations in words, what the tests prove, and where the code
 * deviates from the spec. Server-rendered from the pure model: no board data.
 */
export function ModelReference({ model }: { model: ModelDefinition }) {
  const versions = listModels().filter((m) => m.id === model.id);
  const entries = (list: typeof EQUATIONS) => (
    <ul className="flex flex-col gap-2">
      {forVersion(list, model.version).map((e) => (
        <li key={`${e.id}-${e.text}`} className="flex gap-3">
          <span className="w-14 shrink-0 font-mono text-xs text-muted">{e.id}</span>
          <span>{e.text}</span>
        </li>
      ))}
    </ul>
  );
  return (
    <div className="mx-auto flex min-h-dvh max-w-5xl flex-col gap-8 px-5 py-6 sm:px-8">
      <header className="flex flex-col gap-3">
        <Logo />
        <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">
          {model.label}: reference guide
        </h1>
        <p className="text-muted">{model.description}</p>
        <p className="text-sm" data-testid="model-reference-version">
          Model <code>{model.id}</code>, version {model.version}.{' '}
          {versions.length > 1 &&
            versions.map((m) => (
              <Link
                key={m.version}
                href={`/models/${encodeURIComponent(m.id)}/v/${m.version}`}
                className={`mr-2 underline ${m.version === model.version ? 'font-semibold' : ''}`}
              >
                v{m.version}
              </Link>
            ))}
        </p>
        <ul className="list-disc pl-5 text-sm text-muted">
          {model.changes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      </header>

      <section aria-labelledby="assumptions-heading" className="flex flex-col gap-3">
        <h2 id="assumptions-heading" className="text-lg font-semibold">
          Assumptions
        </h2>
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="model-reference-assumptions">
            <thead className="text-left text-muted">
              <tr>
                <th className="py-1.5 pr-3 font-medium">Assumption</th>
                <th className="py-1.5 pr-3 font-medium">Range</th>
                <th className="py-1.5 pr-3 font-medium">Default</th>
                <th className="py-1.5 pr-3 font-medium">Uncertainty band</th>
                <th className="py-1.5 font-medium">Source</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-line align-top">
              {model.assumptionIds.map((id) => {
                const spec = model.assumptions[id];
                return (
                  <tr key={id} id={id}>
                    <th scope="row" className="py-2 pr-3 text-left font-medium">
                      {spec.label}
                      <span className="block text-xs font-normal text-muted">
                        {spec.description}
                      </span>
                    </th>
                    <td className="py-2 pr-3 whitespace-nowrap tabular-nums">
                      {formatValue(spec, spec.min)} – {formatValue(spec, spec.max)}
                    </td>
                    <td className="py-2 pr-3 whitespace-nowrap tabular-nums">
                      {formatValue(spec, spec.default)}
                    </td>
                    <td className="py-2 pr-3 whitespace-nowrap tabular-nums">
                      {spec.band.low === spec.band.high
                        ? 'not sampled'
                        : `${formatValue(spec, spec.band.low)} – ${formatValue(spec, spec.band.high)}`}
                    </td>
                    <td className="py-2">{spec.source}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="equations-heading" className="flex flex-col gap-3">
        <h2 id="equations-heading" className="text-lg font-semibold">
          The equations in words
        </h2>
        {entries(EQUATIONS)}
      </section>
      <section aria-labelledby="properties-heading" className="flex flex-col gap-3">
        <h2 id="properties-heading" className="text-lg font-semibold">
          What the tests prove
        </h2>
        {entries(PROPERTIES)}
      </section>
      <section aria-labelledby="deviations-heading" className="flex flex-col gap-3 pb-10">
        <h2 id="deviations-heading" className="text-lg font-semibold">
          Deviations from the specification
        </h2>
        {entries(DEVIATIONS)}
      </section>
    </div>
  );
}
