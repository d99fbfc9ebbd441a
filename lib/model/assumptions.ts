/**
 * The model's assumptions: ids, display metadata, ranges, defaults, uncertainty bands and sources,
 * plus the validation every edge (Yjs document, HTTP, UI) uses before a value reaches `project()`.
 *
 * Values are in the units the UI shows: percentages as 0-100, money per worker in $/yr, base-year
 * exports in $B, people in people/yr, the horizon as a calendar year. `project()` converts.
 * Pure module: no React, no I/O, no clock, no randomness.
 */

export type AssumptionId =
  | 'trainingOutput'
  | 'programmeStart'
  | 'programmeYears'
  | 'highSkillShare'
  | 'placementRate'
  | 'attritionRate'
  | 'freelanceShare'
  | 'conversionRate'
  | 'earningsPerFreelancer'
  | 'organicSignups'
  | 'freelancerChurn'
  | 'revenuePerWorker'
  | 'skillPremium'
  | 'servicesShare'
  | 'productStartRatio'
  | 'productGrowth'
  | 'baselineGrowth'
  | 'baseExports'
  | 'baseFreelanceExports'
  | 'phaseInYears'
  | 'horizon';

/** One value per assumption, in display units. */
export type Assumptions = Record<AssumptionId, number>;

export type AssumptionGroupId = 'levers' | 'workforce' | 'freelance' | 'firms' | 'calibration';

/** Everything the UI needs to show, edit and explain one assumption. */
export interface AssumptionSpec {
  id: AssumptionId;
  label: string;
  description: string;
  /** Short display unit: 'people/yr', '%', '%/yr', '$/yr', 'x', '$B', 'yrs', 'year'. */
  unit: string;
  min: number;
  max: number;
  step: number;
  default: number;
  group: AssumptionGroupId;
  /** Where the default comes from: the seed article's figures, or "Modelling assumption". */
  source: string;
  /** Default uncertainty band for Monte Carlo and the tornado; min <= low <= default <= high <= max. */
  band: { low: number; high: number };
  /** Whole numbers only (people, years). */
  integer?: boolean;
}

/** Specs by id: ASSUMPTIONS, or one model version's variant of them (registry.ts). */
export type AssumptionSpecs = Readonly<Record<AssumptionId, AssumptionSpec>>;

/**
 * Identifies this model in saved boards. MODEL_VERSION is the newest version (what new boards
 * use); a board keeps the version it was made with until a moderator upgrades it (registry.ts).
 * Bump it when equations or ids change, and keep the old version readable.
 */
export const MODEL_ID = 'pk-ict-exports';
export const MODEL_VERSION = 2;

/** t = 0 of the projection: the year the seed article's figures describe. */
export const BASE_YEAR = 2023;

/**
 * Conversion observed today (Profit/LSE paper: 1,100 of 85,314 freelancers on one platform ever
 * completed a transaction). Fixes the size of today's registered pool; see README rule R6.
 */
export const OBSERVED_CONVERSION_PERCENT = 1.3;

/** Share of high-skill workers in today's mix; `revenuePerWorker` is quoted at this mix (rule R4). */
export const BASE_HIGH_SKILL_PERCENT = 30;

// Source lines say what their source says and no more (MODEL.md v2, item 2). "Profit" is the seed
// article; the LSE paper and SBP figures are quoted by it.

const SPECS: readonly AssumptionSpec[] = [
  // --- headline levers ---------------------------------------------------------------------
  {
    id: 'trainingOutput',
    label: 'Skilled professionals trained per year',
    description:
      'People the training programme turns out each year while it runs (see programme start and length). Each year’s trainees start earning the year after.',
    unit: 'people/yr',
    min: 0,
    max: 300_000,
    step: 1_000,
    default: 40_000,
    group: 'levers',
    source:
      'IT-export policy (Profit): “add 200,000 skilled professionals to the workforce”; the default spreads them over a 5-year programme.',
    band: { low: 20_000, high: 60_000 },
    integer: true,
  },
  {
    id: 'conversionRate',
    label: 'Freelancer conversion rate',
    description:
      'Registered freelancers who actually complete paid work. Moves from today’s 1.3% to this value over the phase-in years.',
    unit: '%',
    min: 0,
    max: 50,
    step: 0.1,
    default: 1.3,
    group: 'levers',
    source:
      '1.3% of registered freelancers on one platform ever completed a transaction (LSE paper, via Profit: about 1,100 of 85,314); used here as the share who earn in a year.',
    band: { low: 1, high: 3 },
  },
  {
    id: 'servicesShare',
    label: 'Services share of new firm workforce',
    description:
      'Share of trainees joining firms who work in services; the rest join product companies, which start smaller and grow.',
    unit: '%',
    min: 0,
    max: 100,
    step: 1,
    default: 70,
    group: 'levers',
    source:
      'Modelling assumption, close to the 70% of funding that goes to services (SBP via Profit: “services account for nearly 70% of the already meagre funding”); not a measured share of the workforce.',
    band: { low: 60, high: 85 },
  },
  // --- workforce ---------------------------------------------------------------------------
  {
    id: 'programmeStart',
    label: 'Programme start',
    description:
      'First year of the training programme; its first trainees earn from the year after.',
    unit: 'year',
    min: BASE_YEAR + 1,
    max: 2040,
    step: 1,
    default: BASE_YEAR + 1,
    group: 'workforce',
    source:
      'Modelling assumption: the policy was announced in 2023 (Profit) and names no start year, so training starts the year after.',
    // A policy decision, not an uncertainty: never sampled (B1).
    band: { low: BASE_YEAR + 1, high: BASE_YEAR + 1 },
    integer: true,
  },
  {
    id: 'programmeYears',
    label: 'Programme length',
    description:
      'Years the programme trains people. 0 means no programme; afterwards the trained workforce only shrinks with attrition.',
    unit: 'yrs',
    min: 0,
    max: 20,
    step: 1,
    default: 5,
    group: 'workforce',
    source:
      'The policy is a strategy “over the next five years” (Profit); 5 years at 40,000 a year is its 200,000 professionals.',
    band: { low: 5, high: 5 },
    integer: true,
  },
  {
    id: 'highSkillShare',
    label: 'High-skill share of trainees',
    description:
      'Share trained in high-skill tracks (software, data, cloud). Today’s mix is taken as 30%.',
    unit: '%',
    min: 0,
    max: 100,
    step: 1,
    default: 30,
    group: 'workforce',
    source:
      'Modelling assumption; the LSE paper (Profit) finds IT gigs (web, logo, design, mobile, Java) falling while content writing, translation and virtual assistance rose.',
    band: { low: 20, high: 45 },
  },
  {
    id: 'placementRate',
    label: 'Placement rate',
    description: 'Trainees who start export work within a year of training.',
    unit: '%',
    min: 0,
    max: 100,
    step: 1,
    default: 50,
    group: 'workforce',
    source:
      'Modelling assumption: the article gives no placement figure; half of trainees finding export work within a year is a middle guess.',
    band: { low: 30, high: 70 },
  },
  {
    id: 'attritionRate',
    label: 'Workforce attrition',
    description:
      'Share of the trained firm workforce lost each year (emigration, leaving the sector).',
    unit: '%/yr',
    min: 0,
    max: 40,
    step: 0.5,
    default: 8,
    group: 'workforce',
    source:
      'Modelling assumption: the article gives no attrition figure; 8% a year stands for emigration and people leaving the sector.',
    band: { low: 4, high: 15 },
  },
  // --- freelance ---------------------------------------------------------------------------
  {
    id: 'freelanceShare',
    label: 'Placed trainees who go freelance',
    description: 'Share of placed trainees who register as freelancers; the rest join firms.',
    unit: '%',
    min: 0,
    max: 100,
    step: 1,
    default: 40,
    group: 'freelance',
    source:
      'Modelling assumption: the article describes graduates turning to freelancing when jobs do not pay (LSE paper, via Profit) but gives no share.',
    band: { low: 25, high: 60 },
  },
  {
    id: 'earningsPerFreelancer',
    label: 'Earnings per active freelancer',
    description:
      'Yearly export earnings of a freelancer who completes paid work. With 1.3% conversion it also fixes the size of today’s registered pool.',
    unit: '$/yr',
    min: 1_000,
    max: 100_000,
    step: 500,
    default: 12_000,
    group: 'freelance',
    source:
      'Modelling assumption; calibrated with Profit’s figure that freelancers earned around $400 million in both 2021 and 2022.',
    band: { low: 8_000, high: 18_000 },
  },
  {
    id: 'organicSignups',
    label: 'Organic freelancer sign-ups',
    description:
      'New freelancer registrations a year that do not come from the training programmes.',
    unit: 'people/yr',
    min: 0,
    max: 2_000_000,
    step: 5_000,
    default: 250_000,
    group: 'freelance',
    source:
      'Modelling assumption; with the churn default it exactly replaces the registered freelancers who leave, so freelance earnings stay flat as they did in 2021-2022 (Profit: ~$400 million both years).',
    band: { low: 150_000, high: 350_000 },
    integer: true,
  },
  {
    id: 'freelancerChurn',
    label: 'Freelancer churn',
    description: 'Share of registered freelancers who leave the platforms each year.',
    unit: '%/yr',
    min: 0,
    max: 50,
    step: 0.25,
    default: 9.75,
    group: 'freelance',
    source:
      'Modelling assumption (MODEL.md suggests ~10%); 9.75% makes today’s pool of ~2.56M registered freelancers exactly steady with 250,000 sign-ups a year.',
    band: { low: 6, high: 15 },
  },
  {
    id: 'phaseInYears',
    label: 'Conversion phase-in',
    description:
      'Years for a changed conversion rate to take full effect (0: from the first projected year).',
    unit: 'yrs',
    min: 0,
    max: 10,
    step: 1,
    default: 3,
    group: 'freelance',
    source:
      "Modelling assumption: a platform's conversion changes slowly, so a new rate takes a few years to take full effect.",
    band: { low: 2, high: 5 },
    integer: true,
  },
  // --- firms -------------------------------------------------------------------------------
  {
    id: 'revenuePerWorker',
    label: 'Export revenue per new firm professional',
    description: 'Yearly export revenue a new firm worker brings in, at today’s skill mix.',
    unit: '$/yr',
    min: 1_000,
    max: 200_000,
    step: 500,
    default: 12_000,
    group: 'firms',
    source:
      'Modelling assumption: the article gives no revenue per worker; $12,000 a year matches the earnings assumed for an active freelancer.',
    band: { low: 8_000, high: 20_000 },
  },
  {
    id: 'skillPremium',
    label: 'High-skill revenue premium',
    description: 'Revenue of a high-skill worker over a low-skill one.',
    unit: 'x',
    min: 1,
    max: 10,
    step: 0.1,
    default: 2.5,
    group: 'firms',
    source:
      'Modelling assumption: the article says the best-paid gig workers are software engineers (Profit) but gives no ratio.',
    band: { low: 1.8, high: 3.5 },
  },
  {
    id: 'productStartRatio',
    label: 'Product worker’s first-year revenue',
    description: 'A product worker’s first-year revenue as a multiple of a services worker’s.',
    unit: 'x',
    min: 0.1,
    max: 2,
    step: 0.05,
    default: 0.4,
    group: 'firms',
    source:
      'Modelling assumption: product companies earn less than services at first and more as they scale; the article gives no figure.',
    band: { low: 0.25, high: 0.7 },
  },
  {
    id: 'productGrowth',
    label: 'Product revenue growth',
    description: 'Yearly growth of revenue per product worker as products scale.',
    unit: '%/yr',
    min: 0,
    max: 100,
    step: 1,
    default: 25,
    group: 'firms',
    source:
      'Modelling assumption: the article argues for products over services but gives no growth figure.',
    band: { low: 10, high: 40 },
  },
  {
    id: 'baselineGrowth',
    label: 'Growth of today’s firm exports',
    description:
      'Organic yearly growth of the firm exports that exist today, without the new workforce.',
    unit: '%/yr',
    min: -20,
    max: 40,
    step: 0.5,
    default: 8,
    group: 'firms',
    source:
      'Modelling assumption, not in the article: it drives most of the projected growth, so its band is wide and Outcomes shows the line without the programme.',
    band: { low: 0, high: 15 },
  },
  // --- calibration -------------------------------------------------------------------------
  {
    id: 'baseExports',
    label: 'ICT exports in 2023',
    description:
      'Base-year calibration: total ICT exports. Leave as is unless you have better data.',
    unit: '$B',
    min: 1,
    max: 10,
    step: 0.05,
    default: 2.6,
    group: 'calibration',
    source:
      'Profit: freelancers’ ~$400 million “accounts for about 15% of Pakistan’s total $2.6 billion ICT exports” (no year given; used for 2023).',
    band: { low: 2.5, high: 2.7 },
  },
  {
    id: 'baseFreelanceExports',
    label: 'Freelance exports in 2023',
    description:
      'Base-year calibration: what freelancers earned. Leave as is unless you have better data.',
    unit: '$B',
    min: 0,
    max: 1,
    step: 0.05,
    default: 0.4,
    group: 'calibration',
    source:
      'Profit: freelancers “earned around $400 million in both 2021 and in 2022”, used for 2023.',
    band: { low: 0.35, high: 0.45 },
  },
  {
    id: 'horizon',
    label: 'Projection horizon',
    description: 'Last projected year.',
    unit: 'year',
    min: 2025,
    max: 2040,
    step: 1,
    default: 2030,
    group: 'calibration',
    source: 'IT-export policy (Profit): “$10-$18 billion by 2028”.',
    band: { low: 2030, high: 2030 },
    integer: true,
  },
];

/** Display order: the three headline levers first, then by group. */
export const ASSUMPTION_IDS: readonly AssumptionId[] = Object.freeze(SPECS.map((s) => s.id));

export const ASSUMPTIONS: Readonly<Record<AssumptionId, AssumptionSpec>> = Object.freeze(
  Object.fromEntries(
    SPECS.map((s) => [s.id, Object.freeze({ ...s, band: Object.freeze({ ...s.band }) })]),
  ) as Record<AssumptionId, AssumptionSpec>,
);

/** The levers a workshop argues about most; the UI puts them first. */
export const HEADLINE_LEVERS: readonly AssumptionId[] = Object.freeze([
  'trainingOutput',
  'conversionRate',
  'servicesShare',
] as const);

export const ASSUMPTION_GROUPS: readonly {
  id: AssumptionGroupId;
  label: string;
  description: string;
}[] = Object.freeze([
  {
    id: 'levers',
    label: 'Headline levers',
    description: 'Training output, freelancer conversion and the services/products mix.',
  },
  { id: 'workforce', label: 'Workforce', description: 'Who is trained, placed and kept.' },
  {
    id: 'freelance',
    label: 'Freelancers',
    description: 'The registered freelancer pool and how much of it earns.',
  },
  {
    id: 'firms',
    label: 'Firms',
    description: 'What new firm workers earn, in services and products.',
  },
  {
    id: 'calibration',
    label: 'Calibration',
    description: 'Base-year figures and the projection horizon.',
  },
]);

const ID_SET: ReadonlySet<string> = new Set(ASSUMPTION_IDS);

export function isAssumptionId(x: string): x is AssumptionId {
  return ID_SET.has(x);
}

/** A fresh object with every assumption at its default. */
export function defaultAssumptions(): Assumptions {
  const out = {} as Assumptions;
  for (const id of ASSUMPTION_IDS) out[id] = ASSUMPTIONS[id].default;
  return out;
}

function describeRange(spec: AssumptionSpec): string {
  const fmt = (n: number) =>
    spec.unit === 'year' ? String(n) : n.toLocaleString('en-US', { maximumFractionDigits: 4 });
  return `${fmt(spec.min)} and ${fmt(spec.max)} ${spec.unit}`;
}

/**
 * Validate one value for one assumption. Unknown id, non-number, NaN/Infinity or out of range give
 * `ok: false` with a message naming the field and its range. Integer assumptions are rounded to the
 * nearest whole number (a fractional head count is harmless, not an error).
 */
export function checkAssumptionValue(
  id: string,
  value: unknown,
): { ok: true; value: number } | { ok: false; error: string } {
  if (!isAssumptionId(id)) return { ok: false, error: `Unknown assumption "${id}".` };
  const spec = ASSUMPTIONS[id];
  if (typeof value !== 'number') {
    return { ok: false, error: `${spec.label} (${id}) must be a number, got ${typeof value}.` };
  }
  if (!Number.isFinite(value)) {
    return {
      ok: false,
      error: `${spec.label} (${id}) must be a finite number, got ${String(value)}.`,
    };
  }
  const v = spec.integer ? Math.round(value) : value;
  if (v < spec.min || v > spec.max) {
    return {
      ok: false,
      error: `${spec.label} (${id}) must be between ${describeRange(spec)}, got ${String(value)}.`,
    };
  }
  // Normalise -0 so stored documents never differ by sign of zero.
  return { ok: true, value: v === 0 ? 0 : v };
}

/** Clamp into range (and round integers); a non-finite value becomes the default. */
export function clampAssumption(id: AssumptionId, value: number): number {
  const spec = ASSUMPTIONS[id];
  if (typeof value !== 'number' || !Number.isFinite(value)) return spec.default;
  let v = value < spec.min ? spec.min : value > spec.max ? spec.max : value;
  if (spec.integer) v = Math.round(v);
  return v === 0 ? 0 : v;
}

/**
 * Fill missing ids with defaults (boards saved by older model versions). Present values are
 * clamped into range; non-numbers read as the default; unknown keys are dropped.
 */
export function withDefaults(partial: Partial<Record<string, number>>): Assumptions {
  const out = {} as Assumptions;
  for (const id of ASSUMPTION_IDS) {
    const v: unknown = Object.prototype.hasOwnProperty.call(partial, id) ? partial[id] : undefined;
    out[id] = typeof v === 'number' ? clampAssumption(id, v) : ASSUMPTIONS[id].default;
  }
  return out;
}
