/**
 * Upgrading a board to a newer version of its model (MODEL.md v2, item 7): a preview of what
 * changes for each scenario, and the change itself. Nothing upgrades a board by itself: the
 * server runs upgradeBoard only when a moderator asks, after saving a version to undo it with.
 */
import * as Y from 'yjs';
import { TARGET_YEAR, kpis, modelForBoard, type Assumptions, type ModelDefinition } from '../model';
import { ROOT } from './layout';
import { readBoard, type BoardState } from './boardState';

/** A scenario's headline totals under one model version, US dollars. */
export interface VersionTotals {
  total2028: number | null;
  totalHorizon: number;
  horizonYear: number;
}

export interface UpgradePreviewRow {
  scenarioId: string;
  name: string;
  current: VersionTotals;
  upgraded: VersionTotals;
}

export interface UpgradePreview {
  from: { id: string; version: number };
  to: { id: string; version: number; changes: readonly string[] };
  targetYear: number;
  rows: UpgradePreviewRow[];
}

/** Both versions are compared with the board's reported actuals applied (R22), as the board shows them. */
const totalsOf = (
  model: ModelDefinition,
  values: Assumptions,
  actuals: BoardState['actuals'],
): VersionTotals => {
  const k = kpis(model.project(values, actuals));
  return { total2028: k.total2028, totalHorizon: k.totalHorizon, horizonYear: k.horizonYear };
};

/**
 * A scenario's values under `to`: what it has under `from` for the assumptions `from` has (a v1
 * board's pinned programme is not one of them), `to`'s defaults for the rest.
 */
export function valuesUnder(
  from: ModelDefinition,
  to: ModelDefinition,
  values: Assumptions,
): Assumptions {
  return to.readValues(Object.fromEntries(from.assumptionIds.map((id) => [id, values[id]])));
}

/** Each scenario's 2028 and horizon totals now and after an upgrade; null if none is newer. */
export function upgradePreview(board: BoardState): UpgradePreview | null {
  const found = modelForBoard(board.meta);
  if (!found?.newer) return null;
  const { model, newer } = found;
  return {
    from: { id: model.id, version: model.version },
    to: { id: newer.id, version: newer.version, changes: newer.changes },
    targetYear: TARGET_YEAR,
    rows: board.scenarios.map((s) => ({
      scenarioId: s.id,
      name: s.name,
      current: totalsOf(model, s.values, board.actuals),
      upgraded: totalsOf(newer, valuesUnder(model, newer, s.values), board.actuals),
    })),
  };
}

/**
 * Move the board to the newest version of its model in one transaction: meta.modelVersion, and
 * every scenario gains the assumptions the newer version adds, at its defaults (a v1 board gets
 * the 5-year programme). Values the board already has stay. Returns the versions, or null when
 * the board is already on the newest version.
 */
export function upgradeBoard(doc: Y.Doc): { from: number; to: number } | null {
  const board = readBoard(doc);
  const found = modelForBoard(board.meta);
  if (!found?.newer) return null;
  const { model, newer } = found;
  const added = newer.assumptionIds.filter((id) => !model.assumptionIds.includes(id));
  doc.transact(() => {
    doc.getMap<unknown>(ROOT.meta).set('modelVersion', newer.version);
    const scenarios = doc.getMap<Y.Map<unknown>>(ROOT.scenarios);
    for (const s of board.scenarios) {
      const values = scenarios.get(s.id)?.get('values');
      if (!(values instanceof Y.Map)) continue;
      const upgraded = valuesUnder(model, newer, s.values);
      for (const id of added) values.set(id, upgraded[id]);
    }
  });
  return { from: model.version, to: newer.version };
}
