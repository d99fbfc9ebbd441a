/**
 * The workshop's agenda: a short list of steps ("10 min: explore Skills-first"), each with a title,
 * minutes and optionally a scenario to present, plus which step is running. Stored in the board
 * document (root `agenda`), so it is prepared before the workshop, survives reloads and travels
 * with the board; only a moderator writes it (validate.ts refuses everyone else, the server too:
 * it is the moderator's plan). Kept as two plain values (`steps`, `currentId`): a whole-list
 * write is a few hundred bytes and one moderator edits it, so no finer merge is needed.
 *
 * Starting a step is the moderator's client doing three things the server authorises one by one:
 * marking it current here, starting the live session's timer at its minutes, and presenting its
 * scenario (the presenter focus).
 */
import type * as Y from 'yjs';
import * as v from 'valibot';
import { ID_MAX, KEY_MAX } from './limits';
import { ROOT } from './layout';
import { randomHex } from '../randomHex';

export const AGENDA_STEPS_MAX = 20;
export const AGENDA_TITLE_MAX = 80;
/** Minutes a step may last (the timer's own limit is 4 hours). */
export const AGENDA_MINUTES_MAX = 240;

export const agendaStepSchema = v.strictObject({
  id: v.pipe(v.string(), v.regex(/^[a-z0-9]{1,16}$/)),
  title: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(AGENDA_TITLE_MAX)),
  minutes: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(AGENDA_MINUTES_MAX)),
  /** The scenario to present when the step starts (null: leave the view as it is). */
  scenarioId: v.nullable(v.pipe(v.string(), v.maxLength(ID_MAX))),
  done: v.boolean(),
});
export type AgendaStep = v.InferOutput<typeof agendaStepSchema>;

export const agendaStepsSchema = v.pipe(v.array(agendaStepSchema), v.maxLength(AGENDA_STEPS_MAX));
export const agendaCurrentSchema = v.nullable(v.pipe(v.string(), v.maxLength(KEY_MAX)));

export interface Agenda {
  steps: AgendaStep[];
  /** The running step's id (null: none started, or the last one finished). */
  currentId: string | null;
}

const agendaOf = (doc: Y.Doc) => doc.getMap<unknown>(ROOT.agenda);

/** The agenda; a malformed value reads as empty (the server never lets one in). */
export function readAgenda(doc: Y.Doc): Agenda {
  const map = agendaOf(doc);
  const steps = v.safeParse(agendaStepsSchema, map.get('steps'));
  const current = v.safeParse(agendaCurrentSchema, map.get('currentId') ?? null);
  const list = steps.success ? steps.output : [];
  const currentId =
    current.success && list.some((s) => s.id === current.output) ? current.output : null;
  return { steps: list, currentId };
}

/** The running step and the one after it (the next not yet done). */
export function agendaNow(agenda: Agenda): {
  current: AgendaStep | null;
  next: AgendaStep | null;
  index: number;
} {
  const index = agenda.steps.findIndex((s) => s.id === agenda.currentId);
  const current = index >= 0 ? agenda.steps[index]! : null;
  const next = agenda.steps.find((s, i) => i > index && !s.done) ?? null;
  return { current, next, index };
}

/** Replace the steps (moderators; the server refuses it from anyone else). */
export function setAgendaSteps(doc: Y.Doc, steps: readonly AgendaStep[]): void {
  agendaOf(doc).set(
    'steps',
    steps.map((s) => ({ ...s })),
  );
}

/**
 * Make `stepId` the running step (null: none); the step that was running is marked done, so
 * "start the next step" is one action.
 */
export function startAgendaStep(doc: Y.Doc, stepId: string | null): void {
  const { steps, currentId } = readAgenda(doc);
  doc.transact(() => {
    if (currentId && currentId !== stepId)
      setAgendaSteps(
        doc,
        steps.map((s) => (s.id === currentId ? { ...s, done: true } : s)),
      );
    agendaOf(doc).set('currentId', stepId);
  });
}

/** A new step id (short, random). */
export const newStepId = (): string => randomHex(5);
