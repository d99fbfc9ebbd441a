import { Logo } from '@/components/ui/Logo';
import { JoinCodeForm } from '@/components/landing/JoinCodeForm';
import Link from 'next/link';
import { LINK_REPLACED_MESSAGE } from '@/lib/protocol';

interface AccessViewProps {
  /** Why access was refused, from the server; null when this device has no link for the board. */
  reason: string | null;
}

/** Shown when this device has no valid link for a board: explain, and offer the join code. */
export function AccessView({ reason }: AccessViewProps) {
  const replaced = reason === LINK_REPLACED_MESSAGE;
  return (
    <div
      className="mx-auto flex min-h-dvh max-w-3xl flex-col px-5 sm:px-8"
      data-testid="access-needed"
    >
      <header className="py-6">
        <Logo />
      </header>
      <main className="flex flex-1 flex-col items-start justify-center gap-5 pb-24">
        <h1 className="text-3xl font-semibold tracking-tight sm:text-4xl">
          {replaced
            ? 'Your link was replaced by the moderator'
            : reason
              ? 'This link no longer works'
              : 'You need an invitation link'}
        </h1>
        <p className="max-w-xl text-lg text-pretty text-muted">
          {replaced
            ? 'The old links stopped working. Ask the moderator for the new link, or join with the code on the screen.'
            : reason
              ? `The server said: ${reason}. Ask the moderator for a current link, or join with the code on the screen.`
              : 'Boards are opened with the link the moderator shares. Open that link on this device, or join with the code shown on the screen.'}
        </p>
        <div className="mt-2 rounded-2xl border border-line bg-surface p-5 shadow-sm">
          <JoinCodeForm autoFocus />
        </div>
        <Link href="/" className="text-sm font-medium text-accent hover:underline">
          Go to the home page
        </Link>
      </main>
    </div>
  );
}
