import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { BoardLoader } from '@/components/board/BoardLoader';
import { lookupBoardOnServer } from './boardLookup';

interface BoardPageProps {
  params: Promise<{ id: string }>;
}

export async function generateMetadata({ params }: BoardPageProps): Promise<Metadata> {
  const { id } = await params;
  const board = await lookupBoardOnServer(id);
  const t = await getTranslations('titles');
  if (board.kind === 'not-found') return { title: t('boardNotFound') };
  return { title: board.kind === 'found' ? board.title : t('board') };
}

/**
 * The board page. The server only checks that the board exists (a real 404 otherwise); the board
 * itself is rendered in the browser only, because it holds the live Yjs document (PITFALLS).
 */
export default async function BoardPage({ params }: BoardPageProps) {
  const { id } = await params;
  const board = await lookupBoardOnServer(id);
  if (board.kind === 'not-found') notFound();
  return <BoardLoader boardId={id} initialTitle={board.kind === 'found' ? board.title : null} />;
}
