'use client';

import {
  memo,
  startTransition,
  useEffect,
  useRef,
  useId,
  useState,
  type ComponentType,
  type CSSProperties,
  type KeyboardEvent,
} from 'react';
import { MODEL_ID, type AssumptionId, type AssumptionSpec } from '@/lib/model';
import type { SetAssumptionResult } from '@/lib/board/scenarios';
import { useTranslations } from 'next-intl';
import { useAssumptionText } from './useAssumptionText';
import type { Participant } from '@/lib/protocol';
import {
  adjustmentKind,
  formatInputValue,
  parseAssumptionInput,
} from '@/lib/client/assumptionInput';
import { Avatar } from '@/components/ui/Avatar';
import { Lock } from 'lucide-react';

/** How a row writes to the board and announces what it is editing. */
export interface AssumptionWriter {
  set: (id: AssumptionId, value: number) => SetAssumptionResult;
  setEditing: (id: AssumptionId | null) => void;
}

interface AssumptionRowProps {
  spec: AssumptionSpec;
  value: number;
  /** Other people editing this assumption right now. */
  editors: readonly Participant[];
  writer: AssumptionWriter;
  /** Why this person cannot change it (lock, view-only, frozen), or null. */
  locked?: string | null;
  /** Show the lock badge (a moderator's lock, as opposed to a read-only board). */
  showLock?: boolean;
  prominent?: boolean;
  /** Feature tools shown beside the label (comments, moderator tools); stable components. */
  tools?: readonly ComponentType<{ assumptionId: AssumptionId }>[];
}

/** Under the row: a correction, an error, or why it cannot be changed now. */
type Message = { kind: 'info' | 'error' | 'why'; text: string };

const NO_TOOLS: readonly ComponentType<{ assumptionId: AssumptionId }>[] = [];

/**
 * One assumption: label, exact number box, slider, range, unit and source. Slider moves are
 * written on every input event; typed values on each valid keystroke, and clamped (with a note)
 * or refused when the box is left or Enter is pressed. NaN never reaches the document.
 */

export const AssumptionRow = memo(function AssumptionRow({
  spec,
  value,
  editors,
  writer,
  locked = null,
  showLock = false,
  prominent = false,
  tools = NO_TOOLS,
}: AssumptionRowProps) {
  const { id } = spec;
  const t = useTranslations('assumptionRow');
  const text = useAssumptionText();
  const label = text.label(id);
  const inputId = useId();
  const sourceId = useId();
  const messageId = useId();
  const [draft, setDraft] = useState<string | null>(null);
  // Whether this person typed since focusing: only then does leaving the box commit, so a
  // focused-but-untouched box never writes its stale text over someone else's newer value.
  const typed = useRef(false);
  /** The value when the box was focused: Escape puts it back (typing is written live). */
  const valueAtFocus = useRef<number | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [showSource, setShowSource] = useState(false);
  // While the slider moves it shows where the hand is: the board's value follows in a transition
  // (useBoardState), a frame or so later, and a controlled range would snap back to it meanwhile.
  const [sliding, setSliding] = useState<number | null>(null);
  if (sliding !== null && sliding === value) setSliding(null); // the board caught up
  const shown = sliding ?? value;
  const endSlide = () => startTransition(() => setSliding(null));

  // A lock or freeze that arrives while this box is being typed in ends the edit here.
  useEffect(() => {
    if (locked === null || draft === null) return;
    typed.current = false;
    setDraft(null);
    writer.setEditing(null);
  }, [locked, draft, writer]);
  // Once it can be changed again, "why not" no longer applies.
  useEffect(() => {
    if (locked === null) setMessage((m) => (m?.kind === 'why' ? null : m));
  }, [locked]);
  /**
   * Tapping, clicking or focusing something that cannot be changed says why. When the lock line
   * above already gives the reason, the note under the box says what to do instead of repeating it.
   */
  const explain = () => {
    if (locked === null) return;
    setMessage({ kind: 'why', text: showLock ? t('lockedHint') : locked });
  };

  const fill = spec.max > spec.min ? ((shown - spec.min) / (spec.max - spec.min)) * 100 : 0;
  const changed = value !== spec.default;

  function commit(typedText: string): number | null {
    const parsed = parseAssumptionInput(spec, typedText);
    if (!parsed.ok) {
      setMessage({
        kind: 'error',
        text: t(`problem.${parsed.code}`, {
          text: typedText.trim().slice(0, 20),
          kept: text.value(spec, value),
        }),
      });
      return null;
    }
    const result = writer.set(id, parsed.value);
    if (!result.ok) {
      setMessage({ kind: 'error', text: result.error });
      return null;
    }
    const kind = adjustmentKind(spec, parsed.value, result.value);
    setMessage(
      kind
        ? { kind: 'info', text: t(`adjusted.${kind}`, { value: text.value(spec, result.value) }) }
        : null,
    );
    return result.value;
  }

  function onInputChange(typedText: string) {
    typed.current = true;
    setDraft(typedText);
    setMessage(null);
    // Live while typing, but only values that need no correction; the rest wait for commit.
    const parsed = parseAssumptionInput(spec, typedText);
    if (
      parsed.ok &&
      parsed.value >= spec.min &&
      parsed.value <= spec.max &&
      parsed.value !== value
    ) {
      writer.set(id, parsed.value);
    }
  }

  function onInputKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'Enter') {
      e.preventDefault();
      const stored = commit(e.currentTarget.value);
      typed.current = false;
      setDraft(formatInputValue(spec, stored ?? value));
    } else if (e.key === 'Escape') {
      const before = valueAtFocus.current;
      if (typed.current && before !== null && before !== value) writer.set(id, before);
      typed.current = false;
      setDraft(formatInputValue(spec, before ?? value));
      setMessage(null);
    }
  }

  const rangeText = `${text.value(spec, spec.min)} – ${text.value(spec, spec.max)}`;
  const describedBy =
    [message ? messageId : null, showSource ? sourceId : null].filter(Boolean).join(' ') ||
    undefined;

  const lockIcon = <Lock className="size-3.5 shrink-0" aria-hidden="true" />;

  return (
    <div
      data-testid={`assumption-${id}`}
      data-editing={editors.length > 0 ? 'true' : undefined}
      className={`relative flex flex-col gap-2 rounded-xl transition-colors ${
        editors.length > 0 ? 'bg-accent-soft/60 ring-1 ring-accent/20' : ''
      } ${prominent ? 'px-4 py-4' : 'px-3 py-3'}`}
    >
      <div className="flex items-start gap-1.5">
        <label
          htmlFor={inputId}
          className={`min-w-0 leading-snug font-medium ${prominent ? 'text-[15px]' : 'text-sm'}`}
        >
          {label}
        </label>
        <button
          type="button"
          onClick={() => setShowSource((v) => !v)}
          aria-expanded={showSource}
          aria-controls={sourceId}
          aria-label={t('about', { label })}
          title={t('aboutTitle')}
          className={`mt-px inline-flex size-5 shrink-0 items-center justify-center rounded-full border text-[11px] font-semibold italic ${
            showSource
              ? 'border-accent bg-accent text-white'
              : 'border-line text-muted hover:border-accent hover:text-accent'
          }`}
        >
          i
        </button>
        <span className="flex-1" />
        {editors.length > 0 && (
          <span className="flex shrink-0 -space-x-1" data-testid={`editors-${id}`}>
            {editors.slice(0, 3).map((p) => (
              <Avatar
                key={`${p.name}-${p.color}`}
                name={p.name}
                color={p.color}
                size="xs"
                note={t('isEditing')}
              />
            ))}
          </span>
        )}
        {tools.map((Tool, i) => (
          <Tool key={i} assumptionId={id} />
        ))}
      </div>

      {showLock && locked && (
        <p
          className="-mt-1 inline-flex items-center gap-1 text-xs font-medium text-muted"
          data-testid={`lock-${id}`}
        >
          {lockIcon}
          {locked}
        </p>
      )}
      {prominent && <p className="-mt-1 text-sm text-pretty text-muted">{text.description(id)}</p>}

      <div className="flex items-center justify-between gap-3">
        <div
          data-locked={locked !== null ? 'true' : undefined}
          className={`flex items-center rounded-lg border focus-within:border-accent focus-within:ring-2 focus-within:ring-accent/25 ${
            message?.kind === 'error' ? 'border-danger' : 'border-line'
          } ${locked !== null ? 'border-dashed bg-canvas text-muted' : 'bg-surface'}`}
        >
          {locked !== null && <span className="ps-2.5 text-muted">{lockIcon}</span>}
          <input
            id={inputId}
            type="text"
            inputMode="decimal"
            autoComplete="off"
            spellCheck={false}
            data-testid={`input-${id}`}
            readOnly={locked !== null}
            title={locked ?? undefined}
            value={draft ?? formatInputValue(spec, shown)}
            onChange={(e) => onInputChange(e.target.value)}
            onClick={explain}
            onFocus={(e) => {
              if (locked !== null) {
                explain();
                return;
              }
              typed.current = false;
              valueAtFocus.current = value;
              setDraft(formatInputValue(spec, value));
              writer.setEditing(id);
              e.target.select();
            }}
            onBlur={(e) => {
              // Locked while typing (a lock or freeze arrived): drop the draft, commit nothing.
              if (
                locked === null &&
                typed.current &&
                e.target.value !== formatInputValue(spec, value)
              ) {
                commit(e.target.value);
              }
              typed.current = false;
              setDraft(null);
              writer.setEditing(null);
            }}
            onKeyDown={onInputKeyDown}
            aria-invalid={message?.kind === 'error' ? true : undefined}
            aria-describedby={describedBy}
            // Sized to its content where supported; `size` is the fallback width elsewhere.
            size={7}
            className={`field-sizing-content max-w-40 min-w-10 bg-transparent py-1.5 font-semibold tabular-nums outline-none ${
              locked !== null ? 'cursor-not-allowed ps-1.5' : 'ps-2.5'
            } ${prominent ? 'text-xl' : 'text-sm'}`}
          />
          <span
            className={`ps-1 pe-2.5 whitespace-nowrap text-muted ${prominent ? 'text-sm' : 'text-xs'}`}
          >
            {text.unit(spec)}
          </span>
        </div>

        {changed && locked === null && (
          <button
            type="button"
            onClick={() => {
              writer.set(id, spec.default);
              setMessage(null);
            }}
            className="rounded px-1.5 py-0.5 text-xs text-muted hover:bg-canvas hover:text-accent"
            title={t('resetTitle', { value: text.value(spec, spec.default) })}
          >
            {t('reset', { value: text.value(spec, spec.default) })}
          </button>
        )}
      </div>

      {/* A number line runs left to right in Urdu too, like the charts: not mirrored. */}
      <div className="relative" dir="ltr">
        <input
          type="range"
          data-testid={`slider-${id}`}
          min={spec.min}
          max={spec.max}
          step={spec.step}
          value={shown}
          aria-label={label}
          aria-valuetext={text.value(spec, shown)}
          disabled={locked !== null}
          title={locked ?? undefined}
          onChange={(e) => {
            setMessage(null);
            const result = writer.set(id, Number(e.target.value));
            setSliding(result.ok ? result.value : null);
          }}
          onPointerDown={() => writer.setEditing(id)}
          onPointerUp={() => {
            writer.setEditing(null);
            endSlide();
          }}
          onPointerCancel={() => {
            writer.setEditing(null);
            endSlide();
          }}
          onFocus={() => writer.setEditing(id)}
          onBlur={() => {
            writer.setEditing(null);
            endSlide();
          }}
          onKeyDown={() => writer.setEditing(id)}
          className="sb-range w-full"
          style={{ '--fill': `${Math.min(100, Math.max(0, fill))}%` } as CSSProperties}
        />
        {/* A disabled slider hears no taps: a cover over it does, and says why. */}
        {locked !== null && (
          <div
            aria-hidden="true"
            data-testid={`slider-cover-${id}`}
            onPointerDown={explain}
            className="absolute inset-0 cursor-not-allowed"
          />
        )}
      </div>
      <div
        className="-mt-1 flex items-center justify-between gap-2 text-xs text-muted tabular-nums"
        dir="ltr"
      >
        <span aria-label={t('range', { range: rangeText })}>{text.value(spec, spec.min)}</span>
        <span>{text.value(spec, spec.max)}</span>
      </div>

      {message && (
        <p
          id={messageId}
          role={message.kind === 'error' ? 'alert' : 'status'}
          data-testid={`assumption-message-${id}`}
          className={`text-sm ${
            message.kind === 'error'
              ? 'text-danger'
              : message.kind === 'why'
                ? 'inline-flex items-center gap-1.5 text-muted'
                : 'text-amber-800'
          }`}
        >
          {message.kind === 'why' && lockIcon}
          {message.text}
        </p>
      )}

      <div
        id={sourceId}
        hidden={!showSource}
        className="rounded-lg bg-canvas px-3 py-2.5 text-sm text-pretty"
      >
        {!prominent && <p className="text-muted">{text.description(id)}</p>}
        <p className={prominent ? '' : 'mt-1.5'}>
          <span className="font-medium">{t('source')} </span>
          <span lang="en" dir="ltr">
            {spec.source}
          </span>
        </p>
        <p className="mt-1.5 text-xs text-muted">
          {t('rangeDefault', { range: rangeText, value: text.value(spec, spec.default) })} ·{' '}
          <a href={`/models/${MODEL_ID}#${spec.id}`} target="_blank" className="underline">
            {t('guide')}
          </a>
        </p>
      </div>
    </div>
  );
});
