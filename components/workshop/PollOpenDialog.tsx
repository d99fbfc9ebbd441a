'use client';

import { useState, type FormEvent } from 'react';
import { ModalDialog } from '@/components/ui/ModalDialog';
import { useLocale, useTranslations } from 'next-intl';
import { useRefusalText } from '@/lib/i18n/refusals';
import { ASSUMPTION_IDS, type AssumptionId } from '@/lib/model';
import { POLL_OPTIONS_MAX, QA_ANSWER_MAX } from '@/lib/protocol';
import { POLL_OPTION_MAX, POLL_QUESTION_MAX } from '@/lib/board/limits';
import { useBoardContext, useSharedBoard } from '@/components/board/BoardContext';
import { useAssumptionText } from '@/components/board/useAssumptionText';
import { choicePollQuestion, qaQuestion, valuePollQuestion } from './pollText';

/**
 * The moderator's form to ask the room: a poll (one choice among options, or a value for an
 * assumption) or an open question whose answers the room upvotes (Q&A). Any of them anonymous.
 */
export function PollOpenDialog({ onClose }: { onClose: () => void }) {
  const { session } = useBoardContext();
  const board = useSharedBoard();
  const t = useTranslations('pollDialog');
  const refusalText = useRefusalText();
  const locale = useLocale();
  const text = useAssumptionText();
  const valueQuestion = (id: AssumptionId) => valuePollQuestion(t, text.label(id), locale);
  const [kind, setKind] = useState<'choice' | 'value' | 'qa'>('choice');
  const names = board.scenarios.map((s) => s.name);
  const [question, setQuestion] = useState(() => choicePollQuestion(t));
  const [options, setOptions] = useState(
    (names.length >= 2 ? names : [...names, t('somethingElse')])
      .slice(0, POLL_OPTIONS_MAX)
      .join('\n'),
  );
  const [assumptionId, setAssumptionId] = useState<AssumptionId>('conversionRate');
  // Hidden by default for choice polls (early answers would steer later ones), shown for values.
  const [hideResults, setHideResults] = useState(true);
  const [anonymous, setAnonymous] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function switchKind(next: 'choice' | 'value' | 'qa') {
    setKind(next);
    setHideResults(next === 'choice');
    setQuestion(
      next === 'choice'
        ? choicePollQuestion(t)
        : next === 'qa'
          ? qaQuestion(t)
          : valueQuestion(assumptionId),
    );
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const list = options
      .split('\n')
      .map((o) => o.trim())
      .filter(Boolean);
    if (kind === 'choice' && (list.length < 2 || list.length > POLL_OPTIONS_MAX))
      return setError(t('optionsCount', { max: POLL_OPTIONS_MAX }));
    if (!question.trim()) return setError(t('questionMissing'));
    setBusy(true);
    const result =
      kind === 'qa'
        ? await session.openQa({ question: question.trim(), anonymous })
        : await session.openPoll(
            kind === 'choice'
              ? {
                  kind,
                  question: question.trim(),
                  options: list.map((o) => o.slice(0, POLL_OPTION_MAX)),
                  hideResults,
                  anonymous,
                }
              : { kind, question: question.trim(), assumptionId, hideResults, anonymous },
          );
    setBusy(false);
    if (result.ok) onClose();
    else setError(refusalText(result));
  }

  return (
    <ModalDialog labelledBy="poll-open-title" testId="poll-open-dialog" onDismiss={onClose} wide>
      <form onSubmit={(e) => void submit(e)} className="flex flex-col gap-4 p-6">
        <h2 id="poll-open-title" className="text-lg font-semibold">
          {t('title')}
        </h2>
        <div
          role="radiogroup"
          aria-label={t('kind')}
          className="grid grid-cols-3 gap-1 rounded-lg bg-canvas p-1 text-sm"
        >
          {(
            [
              ['choice', t('kindChoice')],
              ['value', t('kindValue')],
              ['qa', t('kindQa')],
            ] as const
          ).map(([k, label]) => (
            <button
              key={k}
              type="button"
              role="radio"
              aria-checked={kind === k}
              data-testid={`poll-kind-${k}`}
              onClick={() => switchKind(k)}
              className={`rounded-md px-3 py-1.5 font-medium ${kind === k ? 'bg-surface shadow-sm' : 'text-muted hover:text-ink'}`}
            >
              {label}
            </button>
          ))}
        </div>
        {kind === 'value' && (
          <label className="flex flex-col gap-1 text-sm">
            <span className="font-medium">{t('assumption')}</span>
            <select
              value={assumptionId}
              data-testid="poll-assumption"
              onChange={(e) => {
                const id = e.target.value as AssumptionId;
                setAssumptionId(id);
                setQuestion(valueQuestion(id));
              }}
              className="min-h-9 rounded-lg border border-line bg-surface px-2 py-1"
            >
              {ASSUMPTION_IDS.map((id) => (
                <option key={id} value={id}>
                  {text.label(id)}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">{t('question')}</span>
          <input
            value={question}
            maxLength={POLL_QUESTION_MAX}
            data-testid="poll-question"
            onChange={(e) => setQuestion(e.target.value)}
            className="h-9 rounded-lg border border-line bg-surface px-3"
          />
        </label>
        {kind === 'choice' && (
          <label className="flex flex-col gap-1 text-sm">
            <span className="font-medium">{t('options')}</span>
            <textarea
              value={options}
              rows={4}
              data-testid="poll-options"
              onChange={(e) => setOptions(e.target.value)}
              className="rounded-lg border border-line bg-surface px-3 py-2"
            />
          </label>
        )}
        {kind === 'qa' && (
          <p className="text-sm text-muted">{t('qaHint', { max: QA_ANSWER_MAX })}</p>
        )}
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={anonymous}
            data-testid="poll-anonymous-toggle"
            onChange={(e) => setAnonymous(e.target.checked)}
            className="size-4 accent-accent"
          />
          <span>{kind === 'qa' ? t('anonymousQa') : t('anonymousPoll')}</span>
        </label>
        <label className={`flex items-center gap-2 text-sm ${kind === 'qa' ? 'hidden' : ''}`}>
          <input
            type="checkbox"
            checked={hideResults}
            data-testid="poll-hide-results"
            onChange={(e) => setHideResults(e.target.checked)}
            className="size-4 accent-accent"
          />
          <span>{t('hideResults')}</span>
        </label>
        {error && (
          <p role="alert" className="text-sm text-danger">
            {error}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <button
            type="button"
            onClick={onClose}
            className="h-9 rounded-lg border border-line px-3 text-sm font-medium hover:bg-canvas"
          >
            {t('cancel')}
          </button>
          <button
            type="submit"
            disabled={busy}
            data-testid="poll-open-submit"
            className="h-9 rounded-lg bg-accent px-4 text-sm font-medium text-white hover:bg-accent/90 disabled:opacity-60"
          >
            {kind === 'qa' ? t('openQa') : t('openPoll')}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
