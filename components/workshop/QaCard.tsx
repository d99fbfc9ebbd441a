'use client';

import { useState, type FormEvent } from 'react';
import { QA_ANSWER_MAX, type AckResult, type QaState } from '@/lib/protocol';
import type { BoardSession } from '@/lib/client/boardSession';
import { Avatar } from '@/components/ui/Avatar';
import { useTranslations } from 'next-intl';
import { useRefusalText } from '@/lib/i18n/refusals';

/** Answers the projector shows: the top ones, readable from the back of the room. */
const PROJECTED_ANSWERS = 4;

interface QaCardProps {
  qa: QaState;
  session: BoardSession;
  /** People on the board now, for "4 of 30 answered". */
  people: number;
  /** Answers this person upvoted. */
  upvoted: ReadonlySet<string>;
  /** Answer and upvote; hide and close (moderator); or the top answers only (projector). */
  mode: 'vote' | 'moderate' | 'project';
}

/** The open Q&A: the question, a short answer box, the answers top first with their upvotes. */
export function QaCard({ qa, session, people, upvoted, mode }: QaCardProps) {
  const t = useTranslations('qa');
  const refusalText = useRefusalText();
  const big = mode === 'project';
  const answers = big ? qa.answers.slice(0, PROJECTED_ANSWERS) : qa.answers;
  const [error, setError] = useState<string | null>(null);
  const report = (p: Promise<AckResult>) =>
    void p.then((r) => setError(r.ok ? null : refusalText(r)));
  return (
    <section
      data-testid="qa-card"
      aria-label={t('label')}
      className={`workshop-pop rounded-2xl border border-accent/25 bg-surface shadow-sm ${big ? 'p-5' : 'p-4'}`}
    >
      <div className="flex items-baseline justify-between gap-3">
        <p
          className={`font-semibold tracking-wide text-accent uppercase ${big ? 'text-base' : 'text-xs'}`}
        >
          {t('live')}
          {qa.anonymous && (
            <span
              data-testid="qa-anonymous"
              className="ms-2 rounded-full bg-canvas px-2 py-0.5 tracking-normal text-muted normal-case"
              title={t('anonymousTitle')}
            >
              {t('anonymous')}
            </span>
          )}
        </p>
        <p
          className={`text-muted tabular-nums ${big ? 'text-xl' : 'text-xs'}`}
          data-testid="qa-answered"
        >
          {people > 0
            ? t('answeredOf', { count: qa.answered, people: Math.max(people, qa.answered) })
            : t('answered', { count: qa.answered })}
        </p>
      </div>
      <h2
        dir="auto"
        className={`mt-1 font-semibold text-balance ${big ? 'text-2xl leading-tight' : 'text-base'}`}
      >
        {qa.question}
      </h2>
      {mode === 'vote' && <AnswerBox qa={qa} session={session} />}
      {answers.length === 0 ? (
        <p className={`mt-3 text-muted ${big ? 'text-xl' : 'text-sm'}`}>{t('noAnswers')}</p>
      ) : (
        <ol
          className={`mt-3 flex flex-col ${big ? 'gap-2' : 'max-h-80 gap-1.5 overflow-y-auto'}`}
          data-testid="qa-answers"
        >
          {answers.map((a) => {
            const mine = upvoted.has(a.id);
            return (
              <li
                key={a.id}
                data-testid="qa-answer"
                className={`flex items-start gap-3 rounded-lg border border-line ${big ? 'px-4 py-2 text-xl' : 'px-3 py-2 text-sm'}`}
              >
                <div className="min-w-0 flex-1">
                  <p
                    className={`break-words ${big ? 'line-clamp-2' : ''}`}
                    data-testid="qa-text"
                    dir="auto"
                  >
                    {a.text}
                  </p>
                  {a.author && (
                    <p
                      className={`mt-0.5 flex items-center gap-1.5 text-muted ${big ? 'text-base' : 'text-xs'}`}
                    >
                      <Avatar name={a.author.name} color={a.author.color} size="xs" />
                      <span className="truncate">{a.author.name}</span>
                    </p>
                  )}
                </div>
                {mode === 'project' ? (
                  <span
                    className="shrink-0 font-semibold text-accent tabular-nums"
                    data-testid="qa-votes"
                  >
                    ▲ {a.votes}
                  </span>
                ) : (
                  <button
                    type="button"
                    data-testid="qa-upvote"
                    aria-pressed={mine}
                    aria-label={`${mine ? t('unvote') : t('upvote')}: ${a.text}`}
                    onClick={() => report(session.upvoteQa(qa.id, a.id, !mine))}
                    className={`inline-flex h-8 shrink-0 items-center gap-1 rounded-lg border px-2 text-sm font-semibold tabular-nums ${
                      mine
                        ? 'border-accent bg-accent-soft text-accent'
                        : 'border-line text-ink hover:bg-canvas'
                    }`}
                  >
                    ▲ <span data-testid="qa-votes">{a.votes}</span>
                  </button>
                )}
                {mode === 'moderate' && (
                  <button
                    type="button"
                    data-testid="qa-hide"
                    onClick={() => report(session.hideQaAnswer(qa.id, a.id))}
                    className="inline-flex h-8 shrink-0 items-center rounded-lg px-2 text-xs text-muted hover:bg-canvas hover:text-ink"
                    title={t('hideTitle')}
                  >
                    {t('hide')}
                  </button>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {error && (
        <p role="alert" className="mt-2 text-sm text-danger">
          {error}
        </p>
      )}
      {mode === 'moderate' && (
        <div className="mt-3 flex justify-end border-t border-line pt-3">
          <button
            type="button"
            data-testid="qa-close"
            onClick={() => report(session.closeQa(qa.id))}
            className="h-9 rounded-lg bg-ink px-3 text-sm font-medium text-white hover:bg-ink/85"
          >
            {t('close')}
          </button>
        </div>
      )}
    </section>
  );
}

function AnswerBox({ qa, session }: { qa: QaState; session: BoardSession }) {
  const [text, setText] = useState('');
  const t = useTranslations('qa');
  const refusalText = useRefusalText();
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const answer = text.trim();
    if (!answer) return setMessage({ error: true, text: t('empty') });
    const result = await session.answerQa(qa.id, answer);
    if (result.ok) {
      setText('');
      setMessage({ error: false, text: t('sent') });
    } else setMessage({ error: true, text: refusalText(result) });
  }
  return (
    <form onSubmit={(e) => void submit(e)} className="mt-3 flex flex-col gap-1.5">
      <label className="sr-only" htmlFor={`qa-answer-${qa.id}`}>
        {t('yourAnswer')}
      </label>
      <div className="flex gap-2">
        <input
          id={`qa-answer-${qa.id}`}
          data-testid="qa-answer-input"
          value={text}
          maxLength={QA_ANSWER_MAX}
          placeholder={t('yourAnswer')}
          onChange={(e) => {
            setText(e.target.value);
            setMessage(null);
          }}
          className="h-9 min-w-0 flex-1 rounded-lg border border-line bg-surface px-3 text-sm"
        />
        <button
          type="submit"
          data-testid="qa-answer-submit"
          className="h-9 shrink-0 rounded-lg bg-accent px-3 text-sm font-medium text-white hover:bg-accent/90"
        >
          {t('send')}
        </button>
      </div>
      {message ? (
        <p
          role={message.error ? 'alert' : 'status'}
          className={`text-xs ${message.error ? 'text-danger' : 'text-muted'}`}
        >
          {message.text}
        </p>
      ) : (
        text.length > QA_ANSWER_MAX - 40 && (
          <p className="text-xs text-muted tabular-nums">
            {t('left', { count: QA_ANSWER_MAX - text.length })}
          </p>
        )
      )}
    </form>
  );
}
