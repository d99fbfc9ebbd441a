/**
 * The model's reference guide as data (MODEL.md v2, item 6), shown at /models/<id>: the equations
 * in words, the properties the tests prove and the deviations from MODEL.md. The rules' numbers
 * are README.md's; the assumptions themselves come from the version's specs.
 */
export interface ReferenceEntry {
  id: string;
  text: string;
  /** Only in these versions (default: all). */
  versions?: readonly number[];
}

export const EQUATIONS: readonly ReferenceEntry[] = [
  {
    id: 'R2',
    text: 'Existing firm exports (base-year exports minus freelancers’) grow each year by the growth of today’s firm exports.',
  },
  {
    id: 'R3',
    text: 'Each year the programme runs, its trainees are placed in export work; the placed split between freelancing and firms, firm workers between services and product companies. A year’s trainees earn from the next year and shrink by attrition after that.',
  },
  {
    id: 'R18',
    text: 'The programme trains the yearly intake from its start year for its length (default 40,000 a year, 2024-2028: the policy’s 200,000). Afterwards no one new is trained.',
    versions: [2],
  },
  {
    id: 'R18',
    text: 'Version 1 trains the yearly intake every year from 2024 to the horizon: the programme never ends.',
    versions: [1],
  },
  {
    id: 'R4',
    text: 'A firm worker earns the revenue per worker, scaled by the skill mix: more high-skill trainees than today’s 30% earn more, by the high-skill premium.',
  },
  {
    id: 'R5',
    text: 'Product workers start at a fraction of a services worker’s revenue and their revenue grows each year as products scale.',
  },
  {
    id: 'R6-R8',
    text: 'Freelancers: today’s registered pool is sized so that 1.3% of it earning the yearly earnings gives the base-year freelance exports. The pool loses churn and gains organic sign-ups and trained freelancers each year; the share that earns moves from 1.3% to the conversion rate over the phase-in years.',
  },
  {
    id: 'R9',
    text: 'Total = existing firms + new services + new products + freelancers.',
  },
  {
    id: 'R19',
    text: 'Without the programme: the same scenario with nobody trained (existing firms plus organic freelancers), drawn as a dashed line.',
    versions: [2],
  },
  {
    id: 'R20',
    text: 'Revenue per trainee: what the programme adds to the horizon total (total minus the total without it) divided by the people trained.',
    versions: [2],
  },
  {
    id: 'R15',
    text: 'Revenue per trainee: the growth of the total since 2023 divided by the people trained (it credits all growth to trainees).',
    versions: [1],
  },
  {
    id: 'R21',
    text: 'A year whose total is more than 10x the 2023 total, or grows more than 60% in one year, is flagged as outside what this model was built for.',
  },
  {
    id: 'R22',
    text: 'Reported actuals: a year a moderator reported is the reported total, whatever the levers (freelancers as reported when known, the programme’s segments as modelled, existing firms the rest). After the latest reported year, existing firm exports grow from that year’s rest at the growth of today’s firm exports, freelancers are scaled by reported over modelled in that year, and new services and products keep their own dynamics.',
  },
];

export const PROPERTIES: readonly ReferenceEntry[] = [
  { id: 'P1', text: 'More training, conversion or placement never lowers any year’s total.' },
  { id: 'P2', text: 'No value in range gives a NaN, infinite or negative figure.' },
  { id: 'R7', text: 'With no training, the default freelance line stays flat at $0.4B.' },
  {
    id: 'V1',
    text: 'Boards made with version 1 read exactly the numbers they read before version 2 existed (checked bit for bit against a fixture).',
  },
  {
    id: 'V2',
    text: 'A 20-year programme from 2024 reproduces version 1; a programme of 0 years equals training nobody; a longer programme never lowers a total; warnings appear exactly when their rule says.',
    versions: [2],
  },
  {
    id: 'A1',
    text: 'Reported years are unchanged whatever the levers; the next year follows the latest reported year by R22; a board without actuals reads exactly as before (property tests, both versions).',
  },
  {
    id: 'M1',
    text: 'Monte Carlo is seeded: everyone in a workshop sees the same bands and probabilities.',
  },
];

export const DEVIATIONS: readonly ReferenceEntry[] = [
  {
    id: 'D1',
    text: 'Freelancer churn defaults to 9.75%/yr, not 10%: it keeps the registered pool, and the freelance line, exactly flat with 250,000 sign-ups a year.',
  },
  {
    id: 'D2',
    text: 'Trained freelancers join the pool the year after training, like firm cohorts.',
  },
];

/** The entries that apply to `version`. */
export function forVersion(entries: readonly ReferenceEntry[], version: number): ReferenceEntry[] {
  return entries.filter((e) => !e.versions || e.versions.includes(version));
}
