import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { ReportLoader } from '@/components/history/ReportLoader';
import { lookupBoardOnServer } from '../boardLookup';

interface PageProps {
  params: Promise<{ id: string }>;
}

export async function generateMetadata({ params }: PageProps): Promise<Metadata> {
  const { id } = await params;
  const board = await lookupBoardOnServer(id);
  const t = await getTranslations('titles');
  if (board.kind === 'not-found') return { title: t('boardNotFound') };
  return { title: t('embed', { title: board.kind === 'found' ? board.title : t('board') }) };
}

/** The board's read-only chart for iframes, rendered in the browser with this device's (or the link's) token. */
export default async function Page({ params }: PageProps) {
  const { id } = await params;
  const board = await lookupBoardOnServer(id);
  if (board.kind === 'not-found') notFound();
  return <ReportLoader boardId={id} kind="embed" />;
}
