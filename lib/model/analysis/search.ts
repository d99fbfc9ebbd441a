/**
 * One-dimensional search shared by goal seek and the frontier: where along one assumption's range
 * does the total cross a target? Rules G1-G5 in lib/model/README.md ("Analyses").
 *
 * The total is monotone in every single assumption of this model (README, G1), but the direction
 * depends on the rest of the scenario (more skill premium raises revenue only if the high-skill
 * share is above today's 30%), and a future equation may not be monotone at all. So nothing here
 * assumes a direction: a coarse grid finds where the target is met, bisection finds the crossing
 * inside one grid interval, and the result is snapped to the slider's step on the met side and
 * checked again.
 */
import type { AssumptionSpec } from '../assumptions';

/** A value of the searched assumption and the total it gives. */
export interface Probe {
  x: number;
  total: number;
}

/** Decimals needed to write multiples of `step` offset by `min` exactly (0.05 -> 2, -20 -> 0). */
function decimalsOf(...ns: number[]): number {
  let d = 0;
  for (const n of ns) {
    const s = String(n);
    const e = s.indexOf('e-');
    const dot = s.indexOf('.');
    const k =
      e >= 0
        ? Number(s.slice(e + 2)) + (dot >= 0 ? e - dot - 1 : 0)
        : dot >= 0
          ? s.length - dot - 1
          : 0;
    if (k > d) d = k;
  }
  return d;
}

function clamp(spec: AssumptionSpec, x: number): number {
  return x < spec.min ? spec.min : x > spec.max ? spec.max : x;
}

/**
 * The nearest slider value (min + k * step) at or beyond `x` in direction `dir`, or the nearest one
 * when dir is 0. Written with the step's decimals, so 0.1 * 48 gives 4.8, not 4.800000000000001.
 */
export function snapToStep(spec: AssumptionSpec, x: number, dir: -1 | 0 | 1): number {
  const k = (x - spec.min) / spec.step;
  // 1e-9 of a step absorbs the division's rounding: a value already on the grid stays put.
  const kk = dir > 0 ? Math.ceil(k - 1e-9) : dir < 0 ? Math.floor(k + 1e-9) : Math.round(k);
  const v = Number((spec.min + kk * spec.step).toFixed(decimalsOf(spec.step, spec.min)));
  return clamp(spec, v === 0 ? 0 : v);
}

/** `intervals + 1` evenly spaced values from min to max (whole numbers for integer assumptions), no repeats. */
export function rangeGrid(spec: AssumptionSpec, intervals: number): number[] {
  const out: number[] = [];
  for (let i = 0; i <= intervals; i++) {
    let x = i === intervals ? spec.max : spec.min + ((spec.max - spec.min) * i) / intervals;
    if (spec.integer) x = Math.round(x);
    if (out[out.length - 1] !== x) out.push(x);
  }
  return out;
}

/**
 * G3: the crossing between `unmet` (total < target) and `met` (total >= target), by bisection,
 * kept on the met side, then G4: snapped to the slider's step on the met side if that still meets
 * the target (else the unsnapped value, which does). Integer assumptions are bisected on whole
 * numbers, so the result is whole either way.
 */
export function crossing(
  spec: AssumptionSpec,
  f: (x: number) => number,
  target: number,
  unmet: number,
  met: Probe,
): Probe & { threshold: number } {
  let lo = unmet;
  let hi = met;
  if (spec.integer) {
    while (Math.abs(hi.x - lo) > 1) {
      const mid = Math.floor((hi.x + lo) / 2);
      const t = f(mid);
      if (t >= target) hi = { x: mid, total: t };
      else lo = mid;
    }
  } else {
    const tol = (spec.max - spec.min) * 1e-12;
    for (let i = 0; i < 200 && Math.abs(hi.x - lo) > tol; i++) {
      const mid = (hi.x + lo) / 2;
      if (mid === lo || mid === hi.x) break;
      const t = f(mid);
      if (t >= target) hi = { x: mid, total: t };
      else lo = mid;
    }
  }
  const dir = hi.x > lo ? 1 : -1;
  const threshold = hi.x;
  // G4: the slider value at or beyond the crossing; one step further if rounding undercut it.
  for (const candidate of [
    snapToStep(spec, hi.x, dir),
    snapToStep(spec, hi.x + dir * spec.step, dir),
  ]) {
    if (candidate === hi.x) return { ...hi, threshold };
    const t = f(candidate);
    if (t >= target && (dir > 0 ? candidate >= lo : candidate <= lo))
      return { x: candidate, total: t, threshold };
  }
  return { ...hi, threshold };
}

/**
 * G5: the largest total near grid point `b` (golden-section search between its neighbours), for
 * totals that peak inside the range. For monotone totals the best is an end of the range and this
 * returns the grid point itself.
 */
export function refinePeak(
  spec: AssumptionSpec,
  f: (x: number) => number,
  xs: readonly number[],
  fs: readonly number[],
  b: number,
): Probe {
  let best: Probe = { x: xs[b]!, total: fs[b]! };
  const p = xs[Math.max(0, b - 1)]!;
  const q = xs[Math.min(xs.length - 1, b + 1)]!;
  let lo = Math.min(p, q);
  let hi = Math.max(p, q);
  const r = (Math.sqrt(5) - 1) / 2;
  let x1 = hi - r * (hi - lo);
  let x2 = lo + r * (hi - lo);
  let f1 = f(x1);
  let f2 = f(x2);
  for (let i = 0; i < 60 && hi - lo > 1e-12 * Math.max(1, Math.abs(hi) + Math.abs(lo)); i++) {
    if (f1 < f2) {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + r * (hi - lo);
      f2 = f(x2);
    } else {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - r * (hi - lo);
      f1 = f(x1);
    }
  }
  const candidates = spec.integer
    ? [Math.floor(x1), Math.ceil(x1), Math.floor(x2), Math.ceil(x2)]
    : [x1, x2];
  for (const x of candidates) {
    const t = spec.integer ? f(x) : x === x1 ? f1 : f2;
    if (t > best.total) best = { x, total: t };
  }
  return best;
}
