'use client';

import { setBaselineOpen, setEditPresentedOnly } from '@/lib/board/meta';
import { isPresenting, useWorkshopDoc } from '@/lib/client/workshop';
import { useBoardContext, useSharedBoard } from '@/components/board/BoardContext';
import { useTranslations } from 'next-intl';

/**
 * The moderator's say over what the room may touch, shown above the levers: whether the baseline
 * is open for editing (on the baseline) and, while presenting, whether the room changes only the
 * presented scenario. The server enforces both (lib/board/validate.ts); this only sets them.
 */
export function ScenarioRules() {
  const t = useTranslations('rules');
  const { session, role, scenarioId } = useBoardContext();
  const board = useSharedBoard();
  const { focus } = useWorkshopDoc(session.doc);
  if (role !== 'moderator') return null;
  const { baselineScenarioId, baselineOpen, editPresentedOnly } = board.meta;
  const onBaseline = scenarioId === baselineScenarioId;
  const presenting = isPresenting(focus);
  if (!onBaseline && !presenting) return null;
  return (
    <div
      className="flex flex-col gap-2 rounded-xl border border-line bg-surface px-4 py-3 text-sm"
      data-testid="scenario-rules"
    >
      {onBaseline && (
        <Switch
          testId="baseline-open-toggle"
          on={baselineOpen}
          onToggle={() => setBaselineOpen(session.doc, !baselineOpen)}
          label={t('baselineOpen')}
          hint={baselineOpen ? t('baselineOpenOn') : t('baselineOpenOff')}
        />
      )}
      {presenting && (
        <Switch
          testId="presented-only-toggle"
          on={editPresentedOnly}
          onToggle={() => setEditPresentedOnly(session.doc, !editPresentedOnly)}
          label={t('presentedOnly')}
          hint={editPresentedOnly ? t('presentedOnlyOn') : t('presentedOnlyOff')}
        />
      )}
    </div>
  );
}

function Switch({
  testId,
  on,
  onToggle,
  label,
  hint,
}: {
  testId: string;
  on: boolean;
  onToggle: () => void;
  label: string;
  hint: string;
}) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={on}
      data-testid={testId}
      onClick={onToggle}
      className="flex w-full items-center gap-3 rounded-lg text-left focus-visible:outline-2 focus-visible:outline-accent"
    >
      <span
        aria-hidden="true"
        className={`relative inline-block h-5 w-9 shrink-0 rounded-full transition-colors ${on ? 'bg-accent' : 'bg-line'}`}
      >
        <span
          className={`absolute top-0.5 size-4 rounded-full bg-white shadow transition-[left] ${on ? 'left-4.5' : 'left-0.5'}`}
        />
      </span>
      <span className="min-w-0">
        <span className="block font-medium text-ink">{label}</span>
        <span className="block text-muted">{hint}</span>
      </span>
    </button>
  );
}
