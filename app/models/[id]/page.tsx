import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { getModel } from '@/lib/model';
import { ModelReference } from '@/components/models/ModelReference';

/** /models/<id>: the newest version's reference guide. */
export default async function ModelPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const model = getModel(decodeURIComponent(id));
  if (!model) notFound();
  return <ModelReference model={model} />;
}

export async function generateMetadata({
  params,
}: {
  params: Promise<{ id: string }>;
}): Promise<Metadata> {
  const model = getModel(decodeURIComponent((await params).id));
  const t = await getTranslations('titles');
  // The layout's template adds the app's name.
  return {
    title: model ? t('model', { label: model.label, version: model.version }) : t('modelNotFound'),
  };
}
