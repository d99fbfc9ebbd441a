import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { getModel } from '@/lib/model';
import { ModelReference } from '@/components/models/ModelReference';

type Params = Promise<{ id: string; n: string }>;

/** /models/<id>/v/<n>: one version's reference guide (boards keep their version). */
export default async function ModelVersionPage({ params }: { params: Params }) {
  const { id, n } = await params;
  const version = /^\d{1,4}$/.test(n) ? Number(n) : NaN;
  const model = Number.isInteger(version) ? getModel(decodeURIComponent(id), version) : null;
  if (!model) notFound();
  return <ModelReference model={model} />;
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { id, n } = await params;
  const model = getModel(decodeURIComponent(id), Number(n));
  const t = await getTranslations('titles');
  // The layout's template adds the app's name.
  return {
    title: model ? t('model', { label: model.label, version: model.version }) : t('modelNotFound'),
  };
}
