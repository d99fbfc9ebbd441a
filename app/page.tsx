import type { Metadata } from 'next';
import { useTranslations } from 'next-intl';
import { getTranslations } from 'next-intl/server';
import { Logo } from '@/components/ui/Logo';
import { LanguageSwitch } from '@/components/ui/LanguageSwitch';
import { CreateBoardForm } from '@/components/landing/CreateBoardForm';
import { RecentBoards } from '@/components/landing/RecentBoards';
import { JoinCodeForm } from '@/components/landing/JoinCodeForm';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('titles');
  // The app's name alone, in the reader's language (no "· app" suffix from the template).
  return { title: { absolute: t('home') } };
}

export default function LandingPage() {
  const t = useTranslations('landing');
  return (
    <div className="mx-auto flex min-h-dvh max-w-3xl flex-col px-5 sm:px-8">
      <header className="flex items-center justify-between gap-3 py-6">
        <Logo />
        <LanguageSwitch />
      </header>

      <main className="flex flex-1 flex-col gap-12 pt-6 pb-16 sm:pt-14">
        <section aria-labelledby="intro-heading" className="flex flex-col gap-4">
          <h1
            id="intro-heading"
            className="text-3xl font-semibold tracking-tight text-balance sm:text-5xl"
          >
            {t('headline')}
          </h1>
          <p className="max-w-2xl text-lg text-pretty text-muted">{t('intro')}</p>
        </section>

        <div className="grid gap-4 md:grid-cols-[minmax(0,1.7fr)_minmax(0,1fr)]">
          <section
            aria-labelledby="create-heading"
            className="rounded-2xl border border-line bg-surface p-5 shadow-sm sm:p-7"
          >
            <h2 id="create-heading" className="text-lg font-semibold">
              {t('createHeading')}
            </h2>
            <p className="mt-1 text-sm text-muted">{t('createHint')}</p>
            <CreateBoardForm />
          </section>
          <section
            aria-labelledby="join-heading"
            className="rounded-2xl border border-line bg-surface/60 p-5 sm:p-7"
          >
            <h2 id="join-heading" className="text-lg font-semibold">
              {t('joinHeading')}
            </h2>
            <p className="mt-1 mb-4 text-sm text-muted">{t('joinHint')}</p>
            <JoinCodeForm />
          </section>
        </div>

        <RecentBoards />
      </main>

      <footer className="border-t border-line py-6 text-sm text-muted">{t('footer')}</footer>
    </div>
  );
}
