import { Logo } from '@/components/ui/Logo';
import { useTranslations } from 'next-intl';

/** Shown while the board's code and document load: the page's shape, without content. */
export function BoardSkeleton({
  title,
  message,
  header = true,
}: {
  title?: string | null;
  message?: string;
  header?: boolean;
}) {
  return (
    <div className={`flex flex-col ${header ? 'min-h-dvh' : ''}`} aria-busy="true">
      {header && (
        <header className="border-b border-line bg-surface">
          <div className="mx-auto flex h-16 max-w-[1600px] items-center gap-4 px-4 sm:px-6">
            <Logo compact />
            <span className="truncate text-lg font-semibold">{title ?? ''}</span>
          </div>
        </header>
      )}
      <div className="mx-auto grid w-full max-w-[1600px] flex-1 gap-6 px-4 py-6 sm:px-6 lg:grid-cols-[minmax(360px,440px)_minmax(0,1fr)]">
        <div className="h-96 animate-pulse rounded-2xl bg-line/40" />
        <div className="flex flex-col gap-6">
          <div className="grid grid-cols-2 gap-4 xl:grid-cols-4">
            {[0, 1, 2, 3].map((i) => (
              <div key={i} className="h-28 animate-pulse rounded-2xl bg-line/40" />
            ))}
          </div>
          <div className="h-80 animate-pulse rounded-2xl bg-line/40" />
        </div>
      </div>
      <p role="status" className="sr-only">
        {message ?? <LoadingBoard />}
      </p>
    </div>
  );
}

function LoadingBoard() {
  return useTranslations('board')('loadingBoard');
}
