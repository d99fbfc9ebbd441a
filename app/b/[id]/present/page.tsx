import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { PresentLoader } from '@/components/workshop/PresentLoader';
import { lookupBoardOnServer } from '../boardLookup';

interface PresentPageProps {
  params: Promise<{ id: string }>;
}

export async function generateMetadata({ params }: PresentPageProps): Promise<Metadata> {
  const { id } = await params;
  const board = await lookupBoardOnServer(id);
  const t = await getTranslations('titles');
  if (board.kind === 'not-found') return { title: t('boardNotFound') };
  return { title: t('projector', { title: board.kind === 'found' ? board.title : t('board') }) };
}

/**
 * The projector view of a board: large chart and figures, the join code and QR code, who is here,
 * the timer, the open poll, hands and reactions. Client-only like the board page.
 */
export default async function PresentPage({ params }: PresentPageProps) {
  const { id } = await params;
  const board = await lookupBoardOnServer(id);
  if (board.kind === 'not-found') notFound();
  return <PresentLoader boardId={id} />;
}
