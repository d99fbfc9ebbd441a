/**
 * The board copy this browser kept in IndexedDB (y-indexeddb) holds edits the server may not
 * have yet (made offline, or by a tab told to reload). Normally they merge when the page
 * connects: Yjs merges them and the server migrates the board. When merging is impossible (the
 * copy is for a layout newer than this code, its migration throws, or the board refuses it), the
 * edits are not dropped: the page offers them as a file in the scenario-import format (plus
 * the raw Yjs update), which the moderator brings in with "Import JSON".
 */
import * as Y from 'yjs';
import { toBase64 } from 'lib0/buffer';
import { docFromState } from '../board/layout';
import { readBoard, type BoardState } from '../board/boardState';
import { boardJson, IMPORT_SCENARIOS_MAX, type BoardExport } from '../board/exchange';
import { migrateDocument, schemaVersionOf } from '../board/migrations';
import { SCENARIO_NAME_MAX } from '../board/limits';
import { SCENARIO_COLORS, SCENARIO_COLOR_PATTERN, type ScenarioState } from '../board/scenarios';

/** What the page knows about the stored copy when it decides. */
export interface StoredCopyFacts {
  /** The copy holds a board (false: nothing stored, e.g. a first visit). */
  holdsBoard: boolean;
  /** The copy's meta.schemaVersion (0: saved before versions existed). */
  schemaVersion: number;
  /** The layout version this code knows (SCHEMA_VERSION). */
  codeSchemaVersion: number;
  /** Why bringing a copy of it up to date threw, or null if it did not. */
  migrationError: string | null;
  /** The board's words when it refused the merged copy, or null (not refused, or not yet). */
  refusal: string | null;
}

export type StoredCopyVerdict =
  | { action: 'merge' }
  | {
      action: 'offerDownload';
      /** Why, in calm words for the person. */
      reason: string;
    };

/** Merge the stored copy, or keep its edits aside and offer them as a download. */
export function storedCopyVerdict(facts: StoredCopyFacts): StoredCopyVerdict {
  if (!facts.holdsBoard) return { action: 'merge' };
  if (facts.schemaVersion > facts.codeSchemaVersion)
    return {
      action: 'offerDownload',
      reason: 'they were saved by a newer version of Scenario Board than this page runs',
    };
  if (facts.migrationError !== null)
    return {
      action: 'offerDownload',
      reason: `they could not be brought up to date (${facts.migrationError})`,
    };
  if (facts.refusal !== null)
    return {
      action: 'offerDownload',
      reason: `the board did not accept them (${facts.refusal.replace(/\.$/, '')})`,
    };
  return { action: 'merge' };
}

/** The facts about `stored` this code can establish before connecting (no refusal yet). */
export function inspectStoredCopy(
  stored: Y.Doc,
  holdsBoard: boolean,
  codeSchemaVersion: number,
): StoredCopyFacts {
  const schemaVersion = schemaVersionOf(stored);
  let migrationError: string | null = null;
  if (holdsBoard && schemaVersion < codeSchemaVersion) {
    // Try the migrations on a copy: the stored copy itself merges as it is (the server migrates).
    const trial = docFromState(Y.encodeStateAsUpdate(stored));
    try {
      migrateDocument(trial);
    } catch (err) {
      migrationError = err instanceof Error ? err.message : String(err);
    } finally {
      trial.destroy();
    }
  }
  return { holdsBoard, schemaVersion, codeSchemaVersion, migrationError, refusal: null };
}

/** The file of unsent edits: an export the scenario import reads, plus the raw Yjs update. */
export interface UnsentEditsFile extends BoardExport {
  unsent: {
    reason: string;
    /** The stored copy's layout version. */
    schemaVersion: number;
    /**
     * The whole stored copy as one Yjs update (base64). Not a diff: after a refusal the live board
     * has seen the edits and undone them, so a diff against it would leave them out.
     */
    yjsUpdate: string;
  };
}

const differs = (a: ScenarioState, b: ScenarioState | undefined) =>
  !b ||
  a.name !== b.name ||
  a.notes !== b.notes ||
  JSON.stringify(a.values) !== JSON.stringify(b.values);

/**
 * The download: the stored copy's scenarios that differ from the live board (all of them when
 * the live board is not known or none differ), named "… (unsent)" so an import adds them beside
 * the originals (with a valid colour, so the import takes them), and the whole stored copy as a
 * Yjs update.
 */
export function unsentEditsFile(options: {
  boardId: string;
  stored: Y.Doc;
  live: Y.Doc | null;
  reason: string;
  now?: Date;
}): UnsentEditsFile {
  const { stored, live } = options;
  let board: BoardState | null = null;
  try {
    board = readBoard(stored);
  } catch {
    // A layout this code cannot read: the raw update below still holds every edit.
  }
  const liveScenarios = new Map(
    (live ? readBoard(live).scenarios : []).map((s) => [s.id, s] as const),
  );
  const all = board?.scenarios ?? [];
  const changed = live ? all.filter((s) => differs(s, liveScenarios.get(s.id))) : all;
  const picked = (changed.length > 0 ? changed : all).slice(0, IMPORT_SCENARIOS_MAX);
  const suffix = ' (unsent)';
  const renamed = picked.map((s) => ({
    ...s,
    name: `${s.name.slice(0, SCENARIO_NAME_MAX - suffix.length)}${suffix}`,
    // A colour the board refused would make the import refuse the file too.
    color: SCENARIO_COLOR_PATTERN.test(s.color) ? s.color : SCENARIO_COLORS[0],
  }));
  const exported = board
    ? boardJson(options.boardId, { ...board, scenarios: renamed }, options.now)
    : boardJson(options.boardId, readBoard(new Y.Doc()), options.now);
  return {
    ...exported,
    unsent: {
      reason: options.reason,
      schemaVersion: schemaVersionOf(stored),
      yjsUpdate: toBase64(Y.encodeStateAsUpdate(stored)),
    },
  };
}
