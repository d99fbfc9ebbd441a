/**
 * A whole board as plain data (meta, scenarios in display order, actuals), and a new board's
 * first content.
 */
import type * as Y from 'yjs';
import { MODEL_ID, MODEL_VERSION, type Actual, type Assumptions } from '../model';
import { NOTES_MAX, TITLE_MAX } from './limits';
import { SCHEMA_VERSION } from './schemaVersion';
import { metaOf } from './layout';
import { boardModel, readMeta, type BoardMeta } from './meta';
import { readActuals } from './actuals';
import {
  SCENARIO_COLORS,
  insertScenario,
  newScenarioId,
  readScenario,
  scenarioIds,
  type ScenarioState,
} from './scenarios';

export interface BoardState {
  meta: BoardMeta;
  /** In display order. */
  scenarios: ScenarioState[];
  /** Reported actuals for past years, by year (moderators only; R22 in lib/model/README.md). */
  actuals: Actual[];
}

export interface InitBoardOptions {
  title: string;
  /** The model version (default: the newest). */
  modelVersion?: number;
  description?: string;
  /** Baseline values, already validated; missing ids take the model's defaults. */
  assumptions?: Partial<Assumptions>;
  /** Let editors change the baseline from the start (default: kept as it is). */
  baselineOpen?: boolean;
  now?: number;
}

/** Fill an empty document with a new board: meta plus a "Baseline" scenario. */
export function initBoard(doc: Y.Doc, options: InitBoardOptions): string {
  const now = options.now ?? Date.now();
  const scenarioId = newScenarioId();
  doc.transact(() => {
    const meta = metaOf(doc);
    meta.set('title', options.title.slice(0, TITLE_MAX));
    meta.set('description', (options.description ?? '').slice(0, NOTES_MAX));
    meta.set('modelId', MODEL_ID);
    meta.set('modelVersion', options.modelVersion ?? MODEL_VERSION);
    meta.set('schemaVersion', SCHEMA_VERSION);
    meta.set('createdAt', now);
    meta.set('baselineScenarioId', scenarioId);
    if (options.baselineOpen) meta.set('baselineOpen', true);
    insertScenario(doc, scenarioId, {
      name: 'Baseline',
      color: SCENARIO_COLORS[0],
      values: { ...boardModel(doc).defaults(), ...options.assumptions },
      createdAt: now,
    });
  });
  return scenarioId;
}

/** The whole board as plain data, scenarios in display order (ids missing from the order last). */
export function readBoard(doc: Y.Doc): BoardState {
  const scenarios = scenarioIds(doc)
    .map((id) => readScenario(doc, id))
    .filter((s): s is ScenarioState => s !== null);
  return { meta: readMeta(doc), scenarios, actuals: readActuals(doc) };
}

/** The scenario with id `preferred` if it exists, else the baseline, else the first; null if none. */
export function scenarioOrBaseline(
  board: BoardState,
  preferred?: string | null,
): ScenarioState | null {
  return (
    board.scenarios.find((s) => s.id === preferred) ??
    board.scenarios.find((s) => s.id === board.meta.baselineScenarioId) ??
    board.scenarios[0] ??
    null
  );
}
