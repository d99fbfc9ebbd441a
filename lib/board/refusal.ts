/** The words of the write check (validate.ts): who writes, what changed, why it was refused. */
import type { ParticipantIdentity, Role } from '../protocol';
import type { AssumptionId } from '../model';

/** Who is writing: a connection's role and participant, or the server itself. */
export interface Actor {
  role: Role | 'server';
  participant: ParticipantIdentity | null;
}

export const SERVER_ACTOR: Actor = { role: 'server', participant: null };

/** A map key that is not there (as opposed to one holding `undefined`). */
export const ABSENT: unique symbol = Symbol('absent');

/**
 * Why a write was refused. `kind` lets the UI pick its words; `message` is already plain
 * words a participant can read.
 */
export const REFUSAL_KINDS = [
  'malformed',
  'invalid',
  'viewOnly',
  'frozen',
  'locked',
  'forbidden',
  'limit',
] as const;
export type RefusalKind = (typeof REFUSAL_KINDS)[number];
export interface Refusal {
  kind: RefusalKind;
  /** Where in the board, e.g. "scenarios.ab12cd34ef56.values.conversionRate". */
  path: string;
  message: string;
}

/** An assumption value the write changed (the server logs these). */
export interface AssumptionChange {
  scenarioId: string;
  id: AssumptionId;
  from: number | null;
  to: number;
}

export interface CheckResult {
  refusal: Refusal | null;
  assumptionChanges: AssumptionChange[];
}

/** One key whose value differs between the board before and after the write. */
export interface Change {
  path: string[];
  before: unknown;
  after: unknown;
}

/** The refusals a rule may give for the key at `where`, written by `actor`. */
export interface Judge {
  invalid: (message: string) => Refusal;
  /** Null when the actor may change `what` (a moderator or the server), else the refusal. */
  moderatorOnly: (what: string) => Refusal | null;
  serverOnly: (what: string) => Refusal | null;
  limit: (message: string) => Refusal;
}

export function judge(where: string, actor: Actor): Judge {
  return {
    invalid: (message) => ({ kind: 'invalid', path: where, message }),
    moderatorOnly: (what) =>
      actor.role === 'moderator' || actor.role === 'server'
        ? null
        : { kind: 'forbidden', path: where, message: `Only the moderator can change ${what}.` },
    serverOnly: (what) =>
      actor.role === 'server'
        ? null
        : { kind: 'forbidden', path: where, message: `${what} is written by the server only.` },
    limit: (message) => ({ kind: 'limit', path: where, message }),
  };
}
