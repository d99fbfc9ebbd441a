import Link from 'next/link';
import { useTranslations } from 'next-intl';
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
 * deviates from the spec. Server-rendered from the pure model: no board data. The page's words
 * and the assumptions' labels and descriptions are in the reader's language; the model's own
 * documentation (changes, equations, properties, deviations) and the sources stay as written.
 */
export function ModelReference({ model }: { model: ModelDefinition }) {
  const t = useTranslations('models');
  const tAssumption = useTranslations('assumption');
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
          {t('heading', { label: model.label })}
        </h1>
        <p className="text-muted">{model.description}</p>
        <p className="text-sm" data-testid="model-reference-version">
          {t.rich('version', {
            id: model.id,
            version: model.version,
            code: (c) => <code>{c}</code>,
          })}{' '}
          {versions.length > 1 &&
            versions.map((m) => (
              <Link
                key={m.version}
                href={`/models/${encodeURIComponent(m.id)}/v/${m.version}`}
                className={`me-2 underline ${m.version === model.version ? 'font-semibold' : ''}`}
              >
                v{m.version}
              </Link>
            ))}
        </p>
        <ul className="list-disc ps-5 text-sm text-muted">
          {model.changes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      </header>

      <section aria-labelledby="assumptions-heading" className="flex flex-col gap-3">
        <h2 id="assumptions-heading" className="text-lg font-semibold">
          {t('assumptions')}
        </h2>
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="model-reference-assumptions">
            <thead className="text-start text-muted">
              <tr>
                <th className="py-1.5 pe-3 font-medium">{t('assumption')}</th>
                <th className="py-1.5 pe-3 font-medium">{t('range')}</th>
                <th className="py-1.5 pe-3 font-medium">{t('default')}</th>
                <th className="py-1.5 pe-3 font-medium">{t('band')}</th>
                <th className="py-1.5 font-medium">{t('source')}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-line align-top">
              {model.assumptionIds.map((id) => {
                const spec = model.assumptions[id];
                return (
                  <tr key={id} id={id}>
                    <th scope="row" className="py-2 pe-3 text-start font-medium">
                      {tAssumption(`${id}.label`)}
                      <span className="block text-xs font-normal text-muted">
                        {tAssumption(`${id}.description`)}
                      </span>
                    </th>
                    <td className="py-2 pe-3 whitespace-nowrap tabular-nums">
                      {formatValue(spec, spec.min)} – {formatValue(spec, spec.max)}
                    </td>
                    <td className="py-2 pe-3 whitespace-nowrap tabular-nums">
                      {formatValue(spec, spec.default)}
                    </td>
                    <td className="py-2 pe-3 whitespace-nowrap tabular-nums">
                      {spec.band.low === spec.band.high
                        ? t('notSampled')
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
          {t('equations')}
        </h2>
        {entries(EQUATIONS)}
      </section>
      <section aria-labelledby="properties-heading" className="flex flex-col gap-3">
        <h2 id="properties-heading" className="text-lg font-semibold">
          {t('properties')}
        </h2>
        {entries(PROPERTIES)}
      </section>
      <section aria-labelledby="deviations-heading" className="flex flex-col gap-3 pb-10">
        <h2 id="deviations-heading" className="text-lg font-semibold">
          {t('deviations')}
        </h2>
        {entries(DEVIATIONS)}
      </section>
    </div>
  );
}
