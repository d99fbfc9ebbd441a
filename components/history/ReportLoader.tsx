'use client';

import dynamic from 'next/dynamic';
import { useTranslations } from 'next-intl';

function Loading() {
  const t = useTranslations('report');
  return (
    <p className="p-8 text-center text-sm text-muted" role="status">
      {t('loading')}
    </p>
  );
}
const loading = () => <Loading />;

/** The printable report, rendered in the browser only (it holds a live Yjs document). */
const PrintReport = dynamic(() => import('./PrintReport').then((m) => m.PrintReport), {
  ssr: false,
  loading,
});
/** The embeddable chart, rendered in the browser only. */
const EmbedView = dynamic(() => import('./EmbedView').then((m) => m.EmbedView), {
  ssr: false,
  loading,
});

export function ReportLoader({ boardId, kind }: { boardId: string; kind: 'print' | 'embed' }) {
  return kind === 'print' ? (
    <PrintReport key={boardId} boardId={boardId} />
  ) : (
    <EmbedView key={boardId} boardId={boardId} />
  );
}
