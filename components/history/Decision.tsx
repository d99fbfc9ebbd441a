'use client';

import { useState, type FormEvent } from 'react';
import { useTranslations } from 'next-intl';
import {
  DECISION_POLL_TEXT_MAX,
  DECISION_REASONS_MAX,
  currentDecision,
  pollResultText,
  type DecisionRecord,
  type Participation,
} from '@/lib/board/decision';
import { ASSUMPTIONS, isAssumptionId, type AssumptionId } from '@/lib/model';
import { readPresenter } from '@/lib/board/presenter';
import { recordDecision, useDocValue } from '@/lib/client/history';
import { useWorkshopDoc } from '@/lib/client/workshop';
import { useBoardContext, useSharedBoard } from '@/components/board/BoardContext';
import { useAssumptionText } from '@/components/board/useAssumptionText';
import { useTimeWords } from './useTimeWords';
import { Card } from './Card';
import { ScenarioSwatch } from '@/components/ui/ScenarioSwatch';
import { useApiErrorText } from '@/lib/i18n/apiErrors';

/**
 * The decision on record, at the top of the board: for viewers (the stakeholder opening the link
 * a week later) the whole record, open; for everyone else one line they can open.
 */
export function DecisionBanner() {
  const { session, role, selectScenario, setTab } = useBoardContext();
  const board = useSharedBoard();
  const t = useTranslations('decision');
  const decision = useDocValue(session.doc, currentDecision);
  const [open, setOpen] = useState(role === 'viewer');
  if (!decision) return null;
  const scenario = board.scenarios.find((s) => s.id === decision.scenarioId);
  return (
    <section
      aria-label={t('heading')}
      data-testid="decision-banner"
      className="border-b border-line bg-accent/5 px-4 py-3 sm:px-6"
    >
      <div className="mx-auto flex max-w-[1600px] flex-col gap-2">
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
          <p className="min-w-0 text-sm">
            <span className="font-semibold">{t('onRecord')}</span>{' '}
            <span className="inline-flex items-center gap-1.5 font-semibold">
              <ScenarioSwatch color={scenario?.color ?? '#64748b'} />
              {decision.scenarioName}
            </span>{' '}
            <span className="text-muted">
              · <DecisionTime at={decision.at} /> · {t('by', { name: decision.by.name })}
            </span>
          </p>
          <div className="ms-auto flex gap-2">
            {scenario && (
              <button
                type="button"
                onClick={() => {
                  selectScenario(scenario.id);
                  setTab('outcomes');
                }}
                className="h-8 rounded-lg border border-line bg-surface px-3 text-sm font-medium hover:bg-canvas"
              >
                {t('showIt')}
              </button>
            )}
            <button
              type="button"
              aria-expanded={open}
              onClick={() => setOpen((o) => !o)}
              data-testid="decision-toggle"
              className="h-8 rounded-lg px-3 text-sm font-medium text-accent hover:bg-accent/10"
            >
              {open ? t('hideDetails') : t('whyWho')}
            </button>
          </div>
        </div>
        {open && <DecisionDetails decision={decision} />}
      </div>
    </section>
  );
}

/** "2 Dec 2026, 14:05 (3 days ago)": the absolute time first, the relative one secondary. */
export function DecisionTime({ at }: { at: number }) {
  const time = useTimeWords();
  return (
    <time dateTime={new Date(at).toISOString()}>
      {time.dateTime(at)} <span className="text-muted">({time.ago(at)})</span>
    </time>
  );
}

/** The reasons, the evidence, the agreed values and who took part. */
export function DecisionDetails({ decision }: { decision: DecisionRecord }) {
  const t = useTranslations('decision');
  const text = useAssumptionText();
  // lib/board/decision's decisionValueLines, in the page's language.
  const values = Object.entries(decision.values)
    .filter((e): e is [AssumptionId, number] => isAssumptionId(e[0]))
    .map(([id, v]) => ({ id, label: text.label(id), value: text.value(ASSUMPTIONS[id], v) }));
  return (
    <div className="grid gap-3 text-sm sm:grid-cols-2" data-testid="decision-details">
      <div className="flex min-w-0 flex-col gap-2">
        <div>
          <h3 className="text-xs font-semibold tracking-wide text-muted uppercase">{t('why')}</h3>
          <p className="break-words whitespace-pre-line" data-testid="decision-reasons">
            {decision.reasons}
          </p>
        </div>
        {decision.polls.length > 0 && (
          <div>
            <h3 className="text-xs font-semibold tracking-wide text-muted uppercase">
              {t('roomSaid')}
            </h3>
            <ul className="flex flex-col gap-1" data-testid="decision-polls">
              {decision.polls.map((p, i) => (
                <li key={i} className="break-words">
                  {p.question && <span className="font-medium">{p.question}: </span>}
                  {p.result}
                </li>
              ))}
            </ul>
          </div>
        )}
        <p className="text-muted" data-testid="decision-participation">
          {participation(decision.participation, t)}
        </p>
      </div>
      <div className="min-w-0">
        <h3 className="text-xs font-semibold tracking-wide text-muted uppercase">
          {t('whenAgreed', { name: decision.scenarioName })}
        </h3>
        <dl className="grid grid-cols-[minmax(0,1fr)_auto] gap-x-3 text-xs tabular-nums">
          {values.slice(0, 8).map((v) => (
            <div key={v.id} className="contents">
              <dt className="truncate text-muted">{v.label}</dt>
              <dd className="text-end">{v.value}</dd>
            </div>
          ))}
        </dl>
        {values.length > 8 && (
          <p className="mt-1 text-xs text-muted">{t('moreValues', { count: values.length - 8 })}</p>
        )}
      </div>
    </div>
  );
}

/** The History tab's card: the record, and for the moderator the form to put one on record. */
export function DecisionPanel() {
  const { session, role } = useBoardContext();
  const t = useTranslations('decision');
  const decision = useDocValue(session.doc, currentDecision);
  const [editing, setEditing] = useState(false);
  const isModerator = role === 'moderator';
  return (
    <Card
      title={t('heading')}
      testId="decision-panel"
      actions={
        isModerator && !editing ? (
          <button
            type="button"
            onClick={() => setEditing(true)}
            data-testid="decision-record"
            className="h-8 rounded-lg bg-accent px-3 text-sm font-medium text-white hover:bg-accent/90"
          >
            {decision ? t('recordNew') : t('record')}
          </button>
        ) : null
      }
    >
      {editing ? (
        <DecisionForm onDone={() => setEditing(false)} />
      ) : decision ? (
        <div className="flex flex-col gap-3">
          <p className="text-sm">
            {t.rich('agreed', {
              scenario: decision.scenarioName,
              name: decision.by.name,
              strong: (c) => <span className="font-semibold">{c}</span>,
              when: () => <DecisionTime at={decision.at} />,
            })}
          </p>
          <DecisionDetails decision={decision} />
        </div>
      ) : (
        <p className="text-sm text-muted">{isModerator ? t('emptyModerator') : t('empty')}</p>
      )}
    </Card>
  );
}

function DecisionForm({ onDone }: { onDone: () => void }) {
  const { boardId, session, scenarioId, me } = useBoardContext();
  const board = useSharedBoard();
  const t = useTranslations('decision');
  const apiErrorText = useApiErrorText();
  const { closedPolls } = useWorkshopDoc(session.doc);
  const presented = readPresenter(session.doc).focus?.scenarioId;
  const [agreed, setAgreed] = useState(
    board.scenarios.some((s) => s.id === presented) ? presented! : scenarioId,
  );
  const [reasons, setReasons] = useState('');
  const [pollIds, setPollIds] = useState<string[]>([]);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await recordDecision(boardId, session.signedToken(), {
        scenarioId: agreed,
        reasons,
        pollIds,
        typedPolls: typed.trim() ? [{ question: '', result: typed.trim() }] : [],
      });
      onDone();
    } catch (err) {
      setError(apiErrorText(err, t('notRecorded')));
    } finally {
      setBusy(false);
    }
  }

  const field = 'w-full rounded-lg border border-line bg-surface px-3 py-2 text-sm';
  return (
    <form onSubmit={submit} className="flex flex-col gap-3" data-testid="decision-form">
      <label className="flex flex-col gap-1 text-sm font-medium">
        {t('agreedScenario')}
        <select
          value={agreed}
          onChange={(e) => setAgreed(e.target.value)}
          className={`${field} h-10`}
          data-testid="decision-scenario"
        >
          {board.scenarios.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        {t('reasons')}
        <textarea
          value={reasons}
          onChange={(e) => setReasons(e.target.value)}
          maxLength={DECISION_REASONS_MAX}
          rows={3}
          required
          className={field}
          data-testid="decision-reasons-input"
        />
      </label>
      <fieldset className="flex flex-col gap-1.5 text-sm">
        <legend className="mb-1 font-medium">{t('polls')}</legend>
        {closedPolls.length === 0 && <p className="text-muted">{t('noPolls')}</p>}
        {closedPolls.map((p) => (
          <label key={p.id} className="flex items-start gap-2">
            <input
              type="checkbox"
              className="mt-1"
              checked={pollIds.includes(p.id)}
              onChange={(e) =>
                setPollIds((ids) =>
                  e.target.checked ? [...ids, p.id] : ids.filter((id) => id !== p.id),
                )
              }
            />
            <span className="min-w-0 break-words">
              <span className="font-medium">{p.question}</span>{' '}
              <span className="text-muted">{pollResultText(p)}</span>
            </span>
          </label>
        ))}
        <input
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          maxLength={DECISION_POLL_TEXT_MAX}
          placeholder={t('typedPlaceholder')}
          className={`${field} mt-1`}
          data-testid="decision-typed-poll"
        />
      </fieldset>
      <p className="text-xs text-muted">
        {me ? t('recordedAs', { name: me.name }) : t('recordedAsYou')}
      </p>
      {error && (
        <p role="alert" className="text-sm text-danger">
          {error}
        </p>
      )}
      <div className="flex gap-2">
        <button
          type="submit"
          disabled={busy || !reasons.trim() || !me}
          data-testid="decision-submit"
          className="h-10 rounded-lg bg-accent px-4 text-sm font-medium text-white disabled:opacity-50"
        >
          {t('submit')}
        </button>
        <button type="button" onClick={onDone} className="h-10 rounded-lg px-4 text-sm">
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

/** lib/board/decision's participationText, in the page's language. */
function participation(p: Participation, t: ReturnType<typeof useTranslations<'decision'>>) {
  const parts = [
    t('present', { moderators: p.moderators, editors: p.editors, viewers: p.viewers }),
    t('contributors', { count: p.contributors }),
  ];
  if (p.voters > 0) parts.push(t('voters', { count: p.voters }));
  return parts.join(' · ');
}
