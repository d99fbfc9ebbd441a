import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { Logo } from '@/components/ui/Logo';
import { LanguageSwitch } from '@/components/ui/LanguageSwitch';
import { JoinCodeForm } from '@/components/landing/JoinCodeForm';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('join');
  return { title: t('heading') };
}

interface JoinPageProps {
  searchParams: Promise<{ code?: string | string[] }>;
}

/** `/join?code=ABC234`: the short address shown on the projector next to the join code. */
export default async function JoinPage({ searchParams }: JoinPageProps) {
  const { code } = await searchParams;
  const t = await getTranslations('join');
  const initial = (Array.isArray(code) ? code[0] : code)?.slice(0, 12).toUpperCase() ?? '';
  return (
    <div className="mx-auto flex min-h-dvh max-w-3xl flex-col px-5 sm:px-8">
      <header className="flex items-center justify-between gap-3 py-6">
        <Logo />
        <LanguageSwitch />
      </header>
      <main className="flex flex-1 flex-col items-start justify-center gap-5 pb-24">
        <h1 className="text-3xl font-semibold tracking-tight sm:text-4xl">{t('heading')}</h1>
        <p className="max-w-xl text-lg text-pretty text-muted">{t('intro')}</p>
        <div className="rounded-2xl border border-line bg-surface p-5 shadow-sm">
          <JoinCodeForm initialCode={initial} autoFocus />
        </div>
      </main>
    </div>
  );
}
