import { useTranslations } from 'next-intl';
import { Logo } from '@/components/ui/Logo';

interface NotFoundViewProps {
  title?: string;
  message?: string;
}

/** Full-page "nothing here" view, used by the 404 routes and by the board when its id is unknown. */
export function NotFoundView({ title, message }: NotFoundViewProps) {
  const t = useTranslations('notFound');
  return (
    <div className="mx-auto flex min-h-dvh max-w-3xl flex-col px-5 sm:px-8" data-testid="not-found">
      <header className="py-6">
        <Logo />
      </header>
      <main className="flex flex-1 flex-col items-start justify-center gap-5 pb-24">
        <p className="font-mono text-sm text-muted">404</p>
        <h1 className="text-3xl font-semibold tracking-tight sm:text-4xl">
          {title ?? t('boardTitle')}
        </h1>
        <p className="max-w-xl text-lg text-pretty text-muted">{message ?? t('boardText')}</p>
        <div className="mt-2 flex flex-wrap gap-3">
          <a
            href="/"
            className="inline-flex h-11 items-center rounded-lg bg-accent px-5 font-medium text-white shadow-sm hover:bg-accent/90"
          >
            {t('home')}
          </a>
        </div>
      </main>
    </div>
  );
}
