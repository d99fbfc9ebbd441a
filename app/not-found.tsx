import { useTranslations } from 'next-intl';
import { NotFoundView } from '@/components/board/NotFoundView';

export default function NotFound() {
  const t = useTranslations('notFound');
  return <NotFoundView title={t('pageTitle')} message={t('pageText')} />;
}
