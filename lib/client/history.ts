/**
 * History features in the browser: typed calls to the versions / export / import API, the per-user
 * undo manager of a board document, the decision-log replay and small formatting helpers.
 */
import equal from 'fast-deep-equal/es6';
import { useSyncExternalStore } from 'react';
import * as Y from 'yjs';
import * as v from 'valibot';
import { ROOT } from '../board/layout';
import { AUTHOR_NAME_MAX } from '../board/limits';
import type { BoardState } from '../board/boardState';
import { readLog, type LogEntry } from '../board/decisionLog';
import { readThreads } from '../board/comments';
import { DECISIONS_ROOT, currentDecision, readDecisions } from '../board/decisionRecord';
import { readClosedPolls } from '../board/polls';
import { readLocks } from '../board/locks';
import { readAgenda } from '../board/agenda';
import { TARGET_YEAR, isAssumptionId, project, type Assumptions } from '../model';
import { notArray } from '../notArray';
import { apiRequest } from './apiClient';
import { composeMemoChartSvg, rasteriseSvg, type MemoChartText } from './memoChart';
import {
  decisionRecordSchema,
  type DecisionRecord,
  type DecisionRequest,
} from '../board/decisionRecord';

/** What the form sends (the server fills in defaults). */
export type DecisionRequestInput = Pick<DecisionRequest, 'scenarioId' | 'reasons'> &
  Partial<Pick<DecisionRequest, 'pollIds' | 'typedPolls'>>;

// ---------------------------------------------------------------------------------------------
// HTTP API

const boardPath = (boardId: string) => `/api/boards/${encodeURIComponent(boardId)}`;

const versionEventSchema = v.union([
  v.object({
    kind: v.literal('renamed'),
    at: v.pipe(v.number(), v.finite()),
    by: v.string(),
    from: v.string(),
    to: v.string(),
  }),
  v.object({
    kind: v.picklist(['archived', 'unarchived']),
    at: v.pipe(v.number(), v.finite()),
    by: v.string(),
  }),
]);
export type VersionEvent = v.InferOutput<typeof versionEventSchema>;

export const versionRecordSchema = v.object({
  id: v.string(),
  name: v.string(),
  author: v.string(),
  createdAt: v.pipe(v.number(), v.finite()),
  size: v.pipe(v.number(), v.finite()),
  /** Archived: kept and restorable, shown apart from the default list. */
  archivedAt: v.optional(v.nullable(v.pipe(v.number(), v.finite())), null),
  events: v.optional(v.array(versionEventSchema), []),
});
export type VersionRecord = v.InferOutput<typeof versionRecordSchema>;

export async function listVersions(
  boardId: string,
  token: string | null,
): Promise<VersionRecord[]> {
  const body = v.parse(
    v.object({ versions: v.array(versionRecordSchema) }),
    await apiRequest(`${boardPath(boardId)}/versions`, { token }),
  );
  return body.versions;
}

export async function saveVersion(
  boardId: string,
  token: string | null,
  name: string,
  author?: string,
): Promise<VersionRecord> {
  return v.parse(
    versionRecordSchema,
    await apiRequest(`${boardPath(boardId)}/versions`, {
      token,
      method: 'POST',
      body: {
        name,
        ...(author ? { author: author.slice(0, AUTHOR_NAME_MAX) } : {}),
      },
    }),
  );
}

const scenarioStateSchema = v.object({
  id: v.string(),
  name: v.string(),
  color: v.string(),
  notes: v.string(),
  createdAt: v.pipe(v.number(), v.finite()),
  values: notArray(v.record(v.string(), v.pipe(v.number(), v.finite()))),
});

const versionContentSchema = v.object({
  version: versionRecordSchema,
  board: v.object({
    meta: v.looseObject({ title: v.string(), baselineScenarioId: v.nullable(v.string()) }),
    scenarios: v.array(scenarioStateSchema),
  }),
});

export interface VersionContent {
  version: VersionRecord;
  title: string;
  baselineScenarioId: string | null;
  scenarios: { id: string; name: string; color: string; values: Assumptions }[];
}

export async function fetchVersion(
  boardId: string,
  token: string | null,
  versionId: string,
): Promise<VersionContent> {
  const body = v.parse(
    versionContentSchema,
    await apiRequest(`${boardPath(boardId)}/versions/${encodeURIComponent(versionId)}`, { token }),
  );
  return {
    version: body.version,
    title: body.board.meta.title,
    baselineScenarioId: body.board.meta.baselineScenarioId,
    scenarios: body.board.scenarios.map((s) => ({
      id: s.id,
      name: s.name,
      color: s.color,
      values: s.values as Assumptions,
    })),
  };
}

/**
 * Ask the server to put the decision on record; `token` must be the moderator's participant
 * credential (the server signs the record with it).
 */
export async function recordDecision(
  boardId: string,
  token: string | null,
  request: DecisionRequestInput,
): Promise<DecisionRecord> {
  const body = v.parse(
    v.object({ decision: decisionRecordSchema }),
    await apiRequest(`${boardPath(boardId)}/decision`, { token, method: 'POST', body: request }),
  );
  return body.decision;
}

/** Revert a logged edit (moderator credential); the server answers 409 if it changed since. */
export async function revertEdit(
  boardId: string,
  token: string | null,
  entryId: string,
): Promise<void> {
  await apiRequest(`${boardPath(boardId)}/revert`, { token, method: 'POST', body: { entryId } });
}

const versionSignals = new EventTarget();

/** Tell the page's other version lists (the decision log) that versions changed here. */
export function announceVersionsChanged(): void {
  versionSignals.dispatchEvent(new Event('changed'));
}

/** Called after `announceVersionsChanged`; returns the unsubscribe. */
export function onVersionsChanged(listener: () => void): () => void {
  versionSignals.addEventListener('changed', listener);
  return () => versionSignals.removeEventListener('changed', listener);
}

/** Rename a version and/or archive it or put it back (moderator). */
export async function changeVersion(
  boardId: string,
  token: string | null,
  versionId: string,
  change: { name?: string; archived?: boolean },
): Promise<VersionRecord> {
  return v.parse(
    versionRecordSchema,
    await apiRequest(`${boardPath(boardId)}/versions/${encodeURIComponent(versionId)}`, {
      token,
      method: 'PATCH',
      body: change,
    }),
  );
}

export async function restoreVersion(
  boardId: string,
  token: string | null,
  versionId: string,
  body: { mode: 'rollback' } | { mode: 'scenario'; scenarioId?: string },
): Promise<{ undoVersionId?: string; scenarioId?: string }> {
  return v.parse(
    notArray(
      v.object({ undoVersionId: v.optional(v.string()), scenarioId: v.optional(v.string()) }),
    ),
    await apiRequest(`${boardPath(boardId)}/versions/${encodeURIComponent(versionId)}/restore`, {
      token,
      method: 'POST',
      body: body,
    }),
  );
}

/** Upgrade the board to the newest version of its model (moderator); restoring `undoVersionId` undoes it. */
export async function upgradeModel(
  boardId: string,
  token: string | null,
): Promise<{ from: number; to: number; undoVersionId: string }> {
  return v.parse(
    v.object({
      from: v.pipe(v.number(), v.finite()),
      to: v.pipe(v.number(), v.finite()),
      undoVersionId: v.string(),
    }),
    await apiRequest(`${boardPath(boardId)}/upgrade`, { token, method: 'POST' }),
  );
}

/** Import an export file (or one scenario) as new scenarios; the server's message on a bad file. */
export async function importScenarios(
  boardId: string,
  token: string | null,
  data: unknown,
): Promise<string[]> {
  const body = v.parse(
    v.object({ scenarioIds: v.array(v.string()) }),
    await apiRequest(`${boardPath(boardId)}/scenarios`, { token, method: 'POST', body: data }),
  );
  return body.scenarioIds;
}

/**
 * A link that downloads an export, valid about a minute. The role token never goes into a URL
 * (history, logs): the API trades it for a short-lived download token.
 */
export async function exportUrl(
  boardId: string,
  token: string | null,
  kind: 'csv' | 'json',
): Promise<string> {
  const download = v.parse(
    v.object({ token: v.string() }),
    await apiRequest(`${boardPath(boardId)}/downloads`, { token, method: 'POST' }),
  );
  return `${boardPath(boardId)}/export.${kind}?dl=${encodeURIComponent(download.token)}`;
}

/** Start the browser's download of `url` (a same-origin file the server sends as an attachment). */
export function downloadUrl(url: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = '';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

// ---------------------------------------------------------------------------------------------
// Undo / redo

/** The roots a person's undo reaches: scenarios, their order, the title/baseline, the log entries. */
const UNDO_ROOTS = [
  ROOT.scenarios,
  ROOT.scenarioOrder,
  ROOT.meta,
  ROOT.log,
  ROOT.locks,
  ROOT.bands,
];

const undoManagers = new WeakMap<Y.Doc, Y.UndoManager>();

/**
 * The per-user undo manager of a board document (one per document). It tracks only local edits
 * (origin null: the UI writes without an origin), never what arrives from the server or IndexedDB.
 * Comments are not undone (they are conversation, not board content).
 */
export function undoManagerFor(doc: Y.Doc): Y.UndoManager {
  let um = undoManagers.get(doc);
  if (!um) {
    const scope = UNDO_ROOTS.map((name) =>
      name === ROOT.scenarioOrder ? doc.getArray(name) : doc.getMap(name),
    );
    um = new Y.UndoManager(scope, { trackedOrigins: new Set([null]), captureTimeout: 600 });
    undoManagers.set(doc, um);
  }
  return um;
}

/**
 * Run `change` as its own undoable step on a throw-away undo manager (e.g. a scenario delete with
 * an "Undo" toast). The change is not on the person's Ctrl+Z stack. Returns the undo function.
 */
export function undoableOnce(
  doc: Y.Doc,
  change: () => void,
): { undo: () => void; dispose: () => void } {
  const origin = Symbol('undoable-once');
  const scope = [
    doc.getMap(ROOT.scenarios),
    doc.getArray(ROOT.scenarioOrder),
    doc.getMap(ROOT.meta),
  ];
  const um = new Y.UndoManager(scope, { trackedOrigins: new Set([origin]) });
  doc.transact(change, origin);
  return {
    undo: () => {
      um.undo();
      um.destroy();
    },
    // When the chance to undo has passed: stop listening to the document (and let the deleted
    // content be garbage-collected).
    dispose: () => um.destroy(),
  };
}

// ---------------------------------------------------------------------------------------------
// Reading the document from React

/**
 * A value computed from the document, recomputed on every update. `read` must be stable (a
 * module-level function) so the cached value is reused between renders.
 */
export function useDocValue<T>(doc: Y.Doc, read: (doc: Y.Doc) => T): T {
  const c = docCache(doc);
  return useSyncExternalStore(
    c.subscribe,
    () => c.get(read),
    () => c.get(read),
  );
}

/**
 * Readers that read one root of the document, and which: they run again only after a change to
 * it (a reader that comes to read another root must leave this table). Every other reader runs
 * again after any change. A plenary's page takes many remote edits a second: 50 saved value
 * polls of 1,000 answers cost 11.5 ms of parsing and comparing on each here.
 */
const ROOT_READ = new Map<unknown, string>([
  [readLog, ROOT.log],
  [readThreads, ROOT.comments],
  [readDecisions, DECISIONS_ROOT],
  [currentDecision, DECISIONS_ROOT],
  [readClosedPolls, ROOT.polls],
  [readLocks, ROOT.locks],
  [readAgenda, ROOT.agenda],
]);

class DocCache {
  /** The last value each reader returned, and which of them are current. */
  private values = new Map<unknown, unknown>();
  private current = new Set<unknown>();
  private listeners = new Set<() => void>();
  constructor(private readonly doc: Y.Doc) {
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (transaction.changed.size === 0) return;
      const roots = changedRoots(transaction);
      for (const read of this.current) {
        const root = ROOT_READ.get(read);
        if (root === undefined || roots.has(root)) this.current.delete(read);
      }
      for (const l of this.listeners) l();
    });
  }
  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  /**
   * A reader's value after the latest update; the previous object itself while it is equal, so
   * React does not re-render (synchronously, as useSyncExternalStore does) every reader of the
   * threads or the agenda on every lever move when only a value changed.
   */
  get<T>(read: (doc: Y.Doc) => T): T {
    if (!this.current.has(read)) {
      const fresh = read(this.doc);
      const before = this.values.get(read);
      if (!this.values.has(read) || !equal(before, fresh)) this.values.set(read, fresh);
      this.current.add(read);
    }
    return this.values.get(read) as T;
  }
}
/** The names of the roots a transaction changed (the root above each changed type). */
function changedRoots(transaction: Y.Transaction): Set<string> {
  const names = new Set<string>();
  for (const changed of transaction.changed.keys()) {
    let type = changed;
    while (type._item) type = type._item.parent as typeof changed;
    names.add(Y.findRootTypeKey(type));
  }
  return names;
}

const docCaches = new WeakMap<Y.Doc, DocCache>();
function docCache(doc: Y.Doc): DocCache {
  let cache = docCaches.get(doc);
  if (!cache) {
    cache = new DocCache(doc);
    docCaches.set(doc, cache);
  }
  return cache;
}

/** What useDocValue returns now, outside React. */
export function docValue<T>(doc: Y.Doc, read: (doc: Y.Doc) => T): T {
  return docCache(doc).get(read);
}

// ---------------------------------------------------------------------------------------------
// Replay of the decision log

export interface ReplayStep {
  /** The entry applied at this step (null for the starting point). */
  entry: LogEntry | null;
  /** The scenario's total in TARGET_YEAR after the step (null beyond the horizon). */
  total2028: number | null;
  values: Assumptions;
}

/**
 * Replay one scenario's log: start from the values before its first entry (the current values with
 * each entry's `from` applied backwards, newest first), then apply each entry's `to` in order.
 */
export function replaySteps(current: Assumptions, entries: readonly LogEntry[]): ReplayStep[] {
  const start: Assumptions = { ...current };
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (isAssumptionId(e.assumptionId) && e.from !== null) start[e.assumptionId] = e.from;
  }
  const total = (v: Assumptions) =>
    project(v).years.find((y) => y.year === TARGET_YEAR)?.total ?? null;
  const steps: ReplayStep[] = [{ entry: null, total2028: total(start), values: start }];
  let values = start;
  for (const e of entries) {
    if (isAssumptionId(e.assumptionId)) values = { ...values, [e.assumptionId]: e.to };
    steps.push({ entry: e, total2028: total(values), values });
  }
  return steps;
}

// ---------------------------------------------------------------------------------------------
// Formatting

/** "just now", "5 min ago", "3 h ago", "2 days ago", or a date. */
export function relativeTime(at: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d < 7) return `${d} day${d === 1 ? '' : 's'} ago`;
  return new Date(at).toLocaleDateString(undefined, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
}

/** A board's scenarios by id. */
export function scenarioNames(board: BoardState): Map<string, string> {
  return new Map(board.scenarios.map((s) => [s.id, s.name]));
}

/** A percentage change, signed: "+12.3%"; "—" when the base is zero. */
export function percentDelta(value: number, base: number): string {
  if (base === 0 || !Number.isFinite(base)) return '—';
  const p = ((value - base) / Math.abs(base)) * 100;
  return `${p >= 0 ? '+' : ''}${p.toFixed(1)}%`;
}

/** Trigger a browser download of in-memory data. */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * The chart inside `container` (a Recharts SVG) as a memo-ready PNG at 2x: framed with a title,
 * the scenario and date, a legend and a source line (lib/client/memoChart.ts).
 */
export async function svgToPng(container: Element, text: MemoChartText): Promise<Blob> {
  // The largest SVG is the chart (legend icons are small SVGs too).
  let svg: SVGSVGElement | null = null;
  let area = 0;
  for (const el of container.querySelectorAll('svg')) {
    const r = el.getBoundingClientRect();
    if (r.width * r.height > area) {
      area = r.width * r.height;
      svg = el;
    }
  }
  if (!svg) throw new Error('No chart to export.');
  const rect = svg.getBoundingClientRect();
  const width = Math.max(1, Math.round(rect.width));
  const height = Math.max(1, Math.round(rect.height));
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  // Through CSSOM, not a style="" attribute: the page's Content-Security-Policy refuses inline
  // style attributes (the serialized SVG keeps them: it is drawn as an image, outside the policy).
  clone.style.fontFamily = 'system-ui, sans-serif';
  clone.style.fontSize = '13px';
  const composed = composeMemoChartSvg(
    new XMLSerializer().serializeToString(clone),
    { width, height },
    text,
  );
  return rasteriseSvg(composed);
}
