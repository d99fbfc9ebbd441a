import type { Metadata } from 'next';
import { Logo } from '@/components/ui/Logo';
import { JoinCodeForm } from '@/components/landing/JoinCodeForm';

export const metadata: Metadata = { title: 'Join a board' };

interface JoinPageProps {
  searchParams: Promise<{ code?: string | string[] }>;
}

/** `/join?code=ABC234`: the short address shown on the projector next to the join code. */
export default async function JoinPage({ searchParams }: JoinPageProps) {
  const { code } = await searchParams;
  const initial = (Array.isArray(code) ? code[0] : code)?.slice(0, 12).toUpperCase() ?? '';
  return (
    <div className="mx-auto flex min-h-dvh max-w-3xl flex-col px-5 sm:px-8">
      <header className="py-6">
        <Logo />
      </header>
      <main className="flex flex-1 flex-col items-start justify-center gap-5 pb-24">
        <h1 className="text-3xl font-semibold tracking-tight sm:text-4xl">Join a board</h1>
        <p className="max-w-xl text-lg text-pretty text-muted">
          Type the code shown on the screen. You’ll be able to move the assumptions with everyone
          else.
        </p>
        <div className="rounded-2xl border border-line bg-surface p-5 shadow-sm">
          <JoinCodeForm initialCode={initial} autoFocus />
        </div>
      </main>
    </div>
  );
}
