import { Logo } from '@/components/ui/Logo';
import { CreateBoardForm } from '@/components/landing/CreateBoardForm';
import { RecentBoards } from '@/components/landing/RecentBoards';
import { JoinCodeForm } from '@/components/landing/JoinCodeForm';

export default function LandingPage() {
  return (
    <div className="mx-auto flex min-h-dvh max-w-3xl flex-col px-5 sm:px-8">
      <header className="py-6">
        <Logo />
      </header>

      <main className="flex flex-1 flex-col gap-12 pt-6 pb-16 sm:pt-14">
        <section aria-labelledby="intro-heading" className="flex flex-col gap-4">
          <h1
            id="intro-heading"
            className="text-3xl font-semibold tracking-tight text-balance sm:text-5xl"
          >
            Test the numbers together, live.
          </h1>
          <p className="max-w-2xl text-lg text-pretty text-muted">
            Scenario Board is a shared workspace for policy workshops: everyone moves the same
            assumptions and watches Pakistan’s projected ICT exports, and the gap to the $5B–$18B
            targets, update on every screen at once.
          </p>
        </section>

        <div className="grid gap-4 md:grid-cols-[minmax(0,1.7fr)_minmax(0,1fr)]">
          <section
            aria-labelledby="create-heading"
            className="rounded-2xl border border-line bg-surface p-5 shadow-sm sm:p-7"
          >
            <h2 id="create-heading" className="text-lg font-semibold">
              Start a board
            </h2>
            <p className="mt-1 text-sm text-muted">
              Name it for the room. You’ll moderate it and get links to share. No accounts needed.
            </p>
            <CreateBoardForm />
          </section>
          <section
            aria-labelledby="join-heading"
            className="rounded-2xl border border-line bg-surface/60 p-5 sm:p-7"
          >
            <h2 id="join-heading" className="text-lg font-semibold">
              Join a workshop
            </h2>
            <p className="mt-1 mb-4 text-sm text-muted">Use the code shown on the screen.</p>
            <JoinCodeForm />
          </section>
        </div>

        <RecentBoards />
      </main>

      <footer className="border-t border-line py-6 text-sm text-muted">
        Figures from the 2023 IT-export policy debate (Profit): $2.6B ICT exports, about $400M of it
        by freelancers; 1.3% of registered freelancers on one platform ever completed a transaction;
        services take nearly 70% of the sector’s funding. Every assumption shows its source on the
        board.
      </footer>
    </div>
  );
}
