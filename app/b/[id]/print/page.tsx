import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ReportLoader } from '@/components/history/ReportLoader';
import { lookupBoardOnServer } from '../boardLookup';

interface PageProps {
  params: Promise<{ id: string }>;
}

export async function generateMetadata({ params }: PageProps): Promise<Metadata> {
  const { id } = await params;
  const board = await lookupBoardOnServer(id);
  if (board.kind === 'not-found') return { title: 'Board not found' };
  return { title: `${board.kind === 'found' ? board.title : 'Board'} · Report` };
}

/** The board's printable report, rendered in the browser with this device's (or the link's) token. */
export default async function Page({ params }: PageProps) {
  const { id } = await params;
  const board = await lookupBoardOnServer(id);
  if (board.kind === 'not-found') notFound();
  return <ReportLoader boardId={id} kind="print" />;
}
