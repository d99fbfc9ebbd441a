/**
 * Export and import formats (CSV of the projection, JSON of scenarios), shared by the API and
 * the browser. Import is strict: a malformed or out-of-range file is refused with a message
 * that names the field, and nothing is changed.
 */
import * as v from 'valibot';
import {
  ASSUMPTIONS,
  ASSUMPTION_IDS,
  MODEL_ID,
  checkAssumptionValue,
  getModel,
  plausibilityWarnings,
  project,
  type Actual,
  type AssumptionId,
  type Assumptions,
  type ProjectionWarning,
  type YearKind,
} from '../model';
import { notArray } from '../notArray';
import { NOTES_MAX, SCENARIO_NAME_MAX } from './limits';
import type { BoardMeta } from './meta';
import type { BoardState } from './boardState';
import type { DecisionRecord } from './decision';

export const EXPORT_FORMAT = 'scenario-board/v1';
/** Scenarios one import may add. */
export const IMPORT_SCENARIOS_MAX = 20;

const SEGMENTS = ['total', 'existing', 'services', 'products', 'freelance'] as const;

/** "pk-ict-exports v2": the model a board's numbers come from, as exports name it. */
export function modelLabel(meta: Pick<BoardMeta, 'modelId' | 'modelVersion'>): string {
  return `${meta.modelId} v${meta.modelVersion}`;
}

/**
 * One row per scenario and year, memo-ready: readable headers with units, the scenario's name,
 * the projection by segment in US dollars (rounded to the dollar) and the total without the
 * programme, the targets' framing, whether the year is a reported actual or projected and the
 * actual's source (R22), then every assumption the board's model version has, in the
 * units the board shows (percent as 0-100), the model that computed the row, and the decision on
 * record on the agreed scenario's rows. Ids come last, for joining. Every text field (headers
 * included) goes through `csvText`; numbers are written bare.
 */
export function projectionCsv(board: BoardState, decision: DecisionRecord | null = null): string {
  const version = getModel(board.meta.modelId, board.meta.modelVersion);
  const ids = version?.assumptionIds ?? ASSUMPTION_IDS;
  const specs = version?.assumptions ?? ASSUMPTIONS;
  const header = [
    'Scenario',
    'Year',
    ...SEGMENTS.map((s) => SEGMENT_HEADERS[s]),
    'Without the programme (USD)',
    'Targets',
    'Kind',
    'Source',
    ...ids.map((id) => `${specs[id].label} (${specs[id].unit})`),
    'Model',
    // The decision on record travels with the numbers: the agreed scenario's rows say so.
    'Decision on record',
    'Scenario id',
  ];
  const agreed = decision
    ? `Agreed ${new Date(decision.at).toISOString().slice(0, 16).replace('T', ' ')} UTC by ${decision.by.name}: ${decision.reasons}`
    : '';
  const rows = [header.map(csvText).join(',')];
  const model = csvText(modelLabel(board.meta));
  for (const s of board.scenarios) {
    for (const y of project(s.values, board.actuals).years) {
      rows.push(
        [
          csvText(s.name),
          y.year,
          ...SEGMENTS.map((k) => Math.round(y[k])),
          Math.round(y.withoutProgramme ?? y.total),
          csvText(TARGETS_FRAMING),
          csvText(y.kind ?? 'projected'),
          csvText(y.source ?? ''),
          ...ids.map((id) => s.values[id]),
          model,
          csvText(decision?.scenarioId === s.id ? agreed : ''),
          csvText(s.id),
        ].join(','),
      );
    }
  }
  return `${rows.join('\r\n')}\r\n`;
}

/** The one framing of the targets (also lib/client/memoChart.ts TARGET_FRAMING). */
export const TARGETS_FRAMING = '$5B policy target; $10B-$18B aspiration by 2028';

const SEGMENT_HEADERS: Record<(typeof SEGMENTS)[number], string> = {
  total: 'Total exports (USD)',
  existing: 'Existing firms (USD)',
  services: 'New services (USD)',
  products: 'New products (USD)',
  freelance: 'Freelancers (USD)',
};

/**
 * A text field that a spreadsheet shows as the text it is (ids and names are written by clients):
 * - a field starting with = + - @, tab or CR (OWASP "CSV injection"), also after leading blanks
 *   or line breaks, gets a leading ' so it is never read as a formula;
 * - line breaks and other control characters become spaces, so a record is one line;
 * - always quoted, inner quotes doubled (RFC 4180), so commas stay inside the field.
 */
export function csvText(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is checked
  const formula = /^[\s\u0000-\u001f]*[=+\-@]|^[\t\r]/.test(text);
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
  const oneLine = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ');
  return `"${(formula ? `'${oneLine}` : oneLine).replace(/"/g, '""')}"`;
}

export interface ExportedScenario {
  id: string;
  name: string;
  color: string;
  notes: string;
  baseline: boolean;
  /** The values of the assumptions the board's model version has. */
  assumptions: Partial<Assumptions>;
  years: {
    year: number;
    total: number;
    existing: number;
    services: number;
    products: number;
    freelance: number;
    /** The same scenario's total with nobody trained (R19). */
    withoutProgramme: number;
    /** People trained that year (R18). */
    trained: number;
    /** R22: a reported actual (fixed, whatever the levers) or the model's projection. */
    kind: YearKind;
    /** R22: the actual's source line (actual years only). */
    source?: string;
  }[];
  /** Years outside what the model was built for (R21); empty when none. */
  warnings: ProjectionWarning[];
}

export interface BoardExport {
  format: typeof EXPORT_FORMAT;
  model: { id: string; version: number };
  board: { id: string; title: string; description: string };
  exportedAt: string;
  currency: 'USD';
  scenarios: ExportedScenario[];
  /** R22: the board's reported actuals (USD), by year; every scenario's actual years equal them. */
  actuals: Actual[];
  /** The decision on record (the latest), if the board has one. */
  decision: DecisionRecord | null;
}

export function boardJson(
  boardId: string,
  board: BoardState,
  now = new Date(),
  decision: DecisionRecord | null = null,
): BoardExport {
  return {
    decision,
    format: EXPORT_FORMAT,
    model: { id: board.meta.modelId, version: board.meta.modelVersion },
    board: { id: boardId, title: board.meta.title, description: board.meta.description },
    exportedAt: now.toISOString(),
    currency: 'USD',
    actuals: board.actuals,
    scenarios: board.scenarios.map((s) => ({
      id: s.id,
      name: s.name,
      color: s.color,
      notes: s.notes,
      baseline: s.id === board.meta.baselineScenarioId,
      assumptions: modelValues(board.meta, s.values),
      years: segmentRows(s.values, board.actuals),
      warnings: plausibilityWarnings(project(s.values, board.actuals)),
    })),
  };
}

/** Only the assumptions the board's model version has (a v1 board has no programme). */
export function modelValues(
  meta: Pick<BoardMeta, 'modelId' | 'modelVersion'>,
  values: Assumptions,
): Partial<Assumptions> {
  const ids = getModel(meta.modelId, meta.modelVersion)?.assumptionIds ?? ASSUMPTION_IDS;
  return Object.fromEntries(ids.map((id) => [id, values[id]]));
}

/**
 * A scenario's yearly projection by segment, in US dollars (the API's and exports' rows), with the
 * board's reported actuals applied (R22): each year says whether it is actual or projected.
 */
export function segmentRows(
  values: Assumptions,
  actuals: readonly Actual[] = [],
): ExportedScenario['years'] {
  return project(values, actuals).years.map((y) => ({
    year: y.year,
    total: y.total,
    existing: y.existing,
    services: y.services,
    products: y.products,
    freelance: y.freelance,
    withoutProgramme: y.withoutProgramme ?? y.total,
    trained: y.trained ?? 0,
    kind: y.kind ?? 'projected',
    ...(y.source === undefined ? {} : { source: y.source }),
  }));
}

/** A scenario as accepted on import (the `years` of an export are ignored: they are recomputed). */
const importedScenarioEntries = {
  name: v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1, 'name must not be empty'),
    v.maxLength(SCENARIO_NAME_MAX, `name must be at most ${SCENARIO_NAME_MAX} characters`),
  ),
  color: v.optional(v.pipe(v.string(), v.regex(/^#[0-9a-fA-F]{6}$/, 'color must be #rrggbb'))),
  notes: v.optional(v.pipe(v.string(), v.maxLength(NOTES_MAX))),
  assumptions: notArray(v.record(v.string(), v.unknown())),
};
const importedScenarioSchema = notArray(v.object(importedScenarioEntries));

const importSchema = v.union([
  v.looseObject({
    format: v.optional(v.literal(EXPORT_FORMAT)),
    model: v.optional(v.looseObject({ id: v.string() })),
    scenarios: v.pipe(
      v.array(v.unknown()),
      v.minLength(1, 'the file has no scenarios'),
      v.maxLength(IMPORT_SCENARIOS_MAX, `at most ${IMPORT_SCENARIOS_MAX} scenarios at once`),
    ),
  }),
  v.looseObject(importedScenarioEntries),
]);

export interface ImportedScenario {
  name: string;
  color?: string;
  notes?: string;
  values: Partial<Assumptions>;
}

export class ImportError extends Error {
  override name = 'ImportError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * Read scenarios from an export file (all its scenarios) or a single scenario object.
 * Throws ImportError naming the first problem.
 */
export function parseScenarioImport(input: unknown): ImportedScenario[] {
  const top = v.safeParse(importSchema, input);
  if (!top.success) {
    throw new ImportError(
      'not a Scenario Board export or scenario: expected { scenarios: [...] } or { name, assumptions }',
    );
  }
  const data = top.output as Record<string, unknown>;
  const model = data.model as { id?: string } | undefined;
  if (model?.id !== undefined && model.id !== MODEL_ID) {
    throw new ImportError(
      `this file is for the model "${model.id}", not "${MODEL_ID}"`,
      'model.id',
    );
  }
  const list = Array.isArray(data.scenarios) ? (data.scenarios as unknown[]) : [input];
  return list.map((raw, i) => {
    const prefix = Array.isArray(data.scenarios) ? `scenarios[${i}].` : '';
    const parsed = v.safeParse(importedScenarioSchema, raw);
    if (!parsed.success) {
      const issue = parsed.issues[0];
      const path = v.getDotPath(issue) ?? '';
      throw new ImportError(`${prefix}${path}: ${issue.message}`, `${prefix}${path}`);
    }
    const values: Partial<Record<AssumptionId, number>> = {};
    // The input's own keys, not the parsed record's: valibot's record drops "constructor" and
    // "prototype" without a word, and an unknown assumption is refused by name.
    for (const [key, value] of Object.entries((raw as { assumptions: object }).assumptions)) {
      const checked = checkAssumptionValue(key, value);
      if (!checked.ok)
        throw new ImportError(
          `${prefix}assumptions.${key}: ${checked.error}`,
          `${prefix}assumptions.${key}`,
        );
      values[key as AssumptionId] = checked.value;
    }
    return {
      name: parsed.output.name,
      color: parsed.output.color,
      notes: parsed.output.notes,
      values,
    };
  });
}

/** Which assumptions differ between two scenarios (for compare views). */
export function differingAssumptions(a: Assumptions, b: Assumptions): AssumptionId[] {
  return ASSUMPTION_IDS.filter((id) => a[id] !== b[id]);
}
