/**
 * The moderator's activity feed: one-click revert of a logged edit.
 *
 * A revert is a change like any other and is logged like one (who reverted, from, to), with
 * `revertOf` naming the entry it undoes. The server makes it (POST /api/boards/<id>/revert, a
 * moderator's credential): it checks, inside the board's write queue, that the value is still
 * what the edit left, so a revert never silently overwrites a newer change.
 */
import type * as Y from 'yjs';
import type { ApiErrorCode } from '../protocol';
import { ASSUMPTIONS, isAssumptionId } from '../model';
import { formatValue } from '../format';
import { ROOT } from './layout';
import { readLogOnce, type LogEntry } from './decisionLog';
import { readScenario, setAssumption } from './scenarios';

export type RevertCheck =
  { ok: true; entry: LogEntry } | { ok: false; reason: RevertRefusal; message: string };

/** Why a change cannot be reverted (the API error's code; the route answers 404 or 409 by it). */
export type RevertRefusal = Extract<
  ApiErrorCode,
  'unknownLogEntry' | 'nothingToRevert' | 'scenarioDeleted' | 'changedSince'
>;

const cannot = (reason: RevertRefusal, message: string): RevertCheck => ({
  ok: false,
  reason,
  message,
});

/** Whether the log entry `entryId` can be reverted now, in plain words if not. */
export function checkRevert(doc: Y.Doc, entryId: string): RevertCheck {
  const entry = readLogOnce(doc).find((e) => e.id === entryId);
  if (!entry || !isAssumptionId(entry.assumptionId))
    return cannot('unknownLogEntry', 'That change is not in the decision log.');
  if (entry.from === null)
    return cannot('nothingToRevert', 'That change set a first value: nothing to go back to.');
  const scenario = readScenario(doc, entry.scenarioId);
  if (!scenario) return cannot('scenarioDeleted', 'That scenario has been deleted since.');
  const now = scenario.values[entry.assumptionId];
  if (now !== entry.to) {
    const spec = ASSUMPTIONS[entry.assumptionId];
    return cannot(
      'changedSince',
      `${spec.label} has changed again since (now ${formatValue(spec, now)}): revert the newer change instead.`,
    );
  }
  return { ok: true, entry };
}

/** Put the value back and log the revert, attributed to `by` (the server calls this). */
export function applyRevert(
  doc: Y.Doc,
  entry: LogEntry,
  by: LogEntry['by'],
  now: number,
  key: string,
): void {
  if (entry.from === null || !isAssumptionId(entry.assumptionId)) return;
  setAssumption(doc, entry.scenarioId, entry.assumptionId, entry.from);
  const record: LogEntry = {
    id: key,
    by: { ...(by.id ? { id: by.id } : {}), name: by.name, color: by.color },
    at: now,
    scenarioId: entry.scenarioId,
    assumptionId: entry.assumptionId,
    from: entry.to,
    to: entry.from,
    revertOf: entry.id,
  };
  doc.getMap<unknown>(ROOT.log).set(key, record);
}

/** Entries someone has reverted (by id), to show them struck through. */
export function revertedIds(log: readonly LogEntry[]): Set<string> {
  return new Set(log.flatMap((e) => (e.revertOf ? [e.revertOf] : [])));
}
