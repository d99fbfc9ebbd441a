import { Logo } from '@/components/ui/Logo';
import { JoinCodeForm } from '@/components/landing/JoinCodeForm';
import Link from 'next/link';
import { LINK_REPLACED_MESSAGE } from '@/lib/protocol';

interface AccessViewProps {
  /** Why access was refused, from the server; null when this device has no link for the board. */
  reason: string | null;
}

/**
 * Shown when this device has no valid link for a board: plain words on how to get back. The join
 * code (editing rights) is offered only when there was no link at all, so a stakeholder whose
 * viewer link was replaced is never shown a way to more rights than they had.
 */
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
            ? 'The moderator made new links, so this one stopped working. Ask the person who sent it to you for the current link.'
            : reason
              ? 'This link is out of date or was copied incompletely. Ask the person who sent it to you for the current link.'
              : 'Boards open with the link the moderator shares. Open that link on this device.'}
        </p>
        <p className="max-w-xl text-pretty text-muted">
          Running this board? Open the moderator link you kept when you created it (the board card
          or the email you sent yourself).
        </p>
        {/* The join code gives editing rights: offered only to someone who had no link here
            (in the room, with the code on the screen), never after a link was refused. */}
        {!reason && (
          <div className="mt-2 rounded-2xl border border-line bg-surface p-5 shadow-sm">
            <p className="mb-3 text-sm text-muted">
              In the room? Join with the code on the screen.
            </p>
            <JoinCodeForm autoFocus />
          </div>
        )}
        <Link href="/" className="text-sm font-medium text-accent hover:underline">
          Go to the home page
        </Link>
      </main>
    </div>
  );
}
