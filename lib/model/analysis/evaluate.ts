/**
 * Internal helpers shared by the analyses: validated years and levers, a reusable evaluator of
 * "the total in year Y for these assumptions", and the few number formats their messages need.
 * (lib/format.ts imports the model, so the model cannot import it back.)
 */
import {
  ASSUMPTIONS,
  BASE_YEAR,
  isAssumptionId,
  type AssumptionId,
  type AssumptionSpec,
  type Assumptions,
} from '../assumptions';
import {
  ASSUMPTION_INDEX,
  MAX_PROJECTION_YEARS,
  assumptionVector,
  projectVectorTotalsInto,
} from '../project';
import { actualsTable, type Actual, type ActualsTable } from '../actuals';
import { AnalysisInputError } from './errors';
import { NOT_SEEKABLE } from './bands';

const LAST_YEAR = ASSUMPTIONS.horizon.max;

/** A year the analyses can report on: a whole year from BASE_YEAR to the largest horizon. */
export function checkYear(year: number): number {
  if (!Number.isInteger(year) || year < BASE_YEAR || year > LAST_YEAR) {
    throw new AnalysisInputError(
      'year',
      `The year must be a whole year from ${BASE_YEAR} to ${LAST_YEAR}, got ${String(year)}.`,
    );
  }
  return year;
}

/** An assumption goal seek and the frontier may move: any id but the horizon and programme start (G0). */
export function checkLever(lever: string, option = 'lever'): AssumptionId {
  if (!isAssumptionId(lever) || NOT_SEEKABLE.has(lever)) {
    throw new AnalysisInputError(
      option,
      `"${lever}" cannot be varied: choose one of the model's assumptions other than the projection horizon and the programme start.`,
    );
  }
  return lever;
}

/** A target in US dollars. */
export function checkTarget(target: number): number {
  if (typeof target !== 'number' || !Number.isFinite(target)) {
    throw new AnalysisInputError(
      'target',
      `The target must be a finite amount in US dollars, got ${String(target)}.`,
    );
  }
  return target;
}

/**
 * The total in one year as a function of the assumptions, without allocating per call. Holds the
 * scenario as its own assumption vector (callers change values freely with `set`) and projects
 * only as far as the year: values before the horizon never depend on it, so an analysis may look
 * past the scenario's horizon (the horizon only bounds what a projection shows).
 */
export class TotalAt {
  readonly year: number;
  private readonly v: Float64Array;
  private readonly index: number;
  private readonly buf = new Float64Array(MAX_PROJECTION_YEARS);
  private readonly actuals: ActualsTable | null;

  /** `actuals` (R22): reported years stay fixed and later years continue from the latest. */
  constructor(values: Assumptions, year: number, actuals?: readonly Actual[] | null) {
    this.actuals = actualsTable(actuals);
    this.year = checkYear(year);
    this.v = assumptionVector(values);
    this.v[ASSUMPTION_INDEX.horizon] = Math.max(year, ASSUMPTIONS.horizon.min);
    this.index = year - BASE_YEAR;
  }

  get(id: AssumptionId): number {
    return this.v[ASSUMPTION_INDEX[id]]!;
  }

  set(id: AssumptionId, value: number): void {
    this.v[ASSUMPTION_INDEX[id]] = value;
  }

  /** Total in `year` for the current values. */
  total(): number {
    projectVectorTotalsInto(this.v, this.buf, 0, 1, this.actuals);
    return this.buf[this.index]!;
  }

  /** Total in `year` with one assumption set to `value` (restored afterwards). */
  totalWith(id: AssumptionId, value: number): number {
    const before = this.get(id);
    this.set(id, value);
    const t = this.total();
    this.set(id, before);
    return t;
  }
}

/** "$4.08B": US dollars in billions, two decimals. */
export function usdBillions(usd: number): string {
  const s = Math.abs(usd / 1e9).toFixed(2);
  return `${usd < 0 && s !== '0.00' ? '-' : ''}$${s}B`;
}

/** A plain number: thousands separators, up to 4 decimals, trailing zeros dropped. */
function plain(n: number): string {
  const [int = '0', frac] = Math.abs(n)
    .toFixed(4)
    .replace(/\.?0+$/, '')
    .split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (n < 0 && (int !== '0' || frac) ? '-' : '') + grouped + (frac ? `.${frac}` : '');
}

/** An assumption value with its unit: "4.8%", "40,000 people/yr", "$12,000/yr", "2.5x", "$2.6B". */
export function describeValue(spec: AssumptionSpec, v: number): string {
  const money = (suffix: string) => `${v < 0 ? '-' : ''}$${plain(Math.abs(v))}${suffix}`;
  switch (spec.unit) {
    case '%':
    case '%/yr':
    case 'x':
      return `${plain(v)}${spec.unit}`;
    case '$/yr':
      return money('/yr');
    case '$B':
      return money('B');
    case 'year':
      return String(v);
    default:
      return `${plain(v)} ${spec.unit}`;
  }
}

/**
 * An assumption's range with its unit: "0-50%", "0-300,000 people/yr", "$1,000-$100,000/yr",
 * "-20 to 40%/yr" (" to " when a minus sign would make the dash ambiguous).
 */
export function describeRange(spec: AssumptionSpec): string {
  const sep = spec.min < 0 ? ' to ' : '-';
  switch (spec.unit) {
    case '%':
    case '%/yr':
    case 'x':
      return `${plain(spec.min)}${sep}${plain(spec.max)}${spec.unit}`;
    case '$/yr':
      return `$${plain(spec.min)}${sep}$${plain(spec.max)}/yr`;
    case '$B':
      return `$${plain(spec.min)}B${sep}$${plain(spec.max)}B`;
    default:
      return `${plain(spec.min)}${sep}${plain(spec.max)} ${spec.unit}`;
  }
}
