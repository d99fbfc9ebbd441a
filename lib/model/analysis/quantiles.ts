/**
 * Percentiles of large samples without sorting: Hoare's FIND (quickselect) with a median-of-three
 * pivot, in place on a slice of a Float64Array, O(n) on average. Several percentiles share the work:
 * the middle one is selected first, then the others inside the halves it leaves.
 */

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/**
 * Rearrange `a[lo..hi]` (inclusive) so that `a[k]` holds the value it would have if the slice were
 * sorted, everything in `a[lo..k-1]` is <= it and everything in `a[k+1..hi]` is >= it.
 * Requires lo <= k <= hi and no NaN.
 */
export function selectInPlace(a: Float64Array, k: number, lo: number, hi: number): void {
  while (hi > lo) {
    // Median of three into a[mid], so sorted or constant input stays O(n).
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < a[lo]!) swap(a, lo, mid);
    if (a[hi]! < a[mid]!) {
      swap(a, mid, hi);
      if (a[mid]! < a[lo]!) swap(a, lo, mid);
    }
    const pivot = a[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return; // j < k < i: a[k] equals the pivot and is in place.
  }
}

/** Select every index of `ks[kFrom..kTo]` (ascending) inside a[lo..hi], middle first. */
function multiSelect(
  a: Float64Array,
  ks: readonly number[],
  kFrom: number,
  kTo: number,
  lo: number,
  hi: number,
): void {
  if (kFrom > kTo || lo >= hi) return;
  const m = (kFrom + kTo) >>> 1;
  const k = ks[m]!;
  selectInPlace(a, k, lo, hi);
  multiSelect(a, ks, kFrom, m - 1, lo, k - 1);
  multiSelect(a, ks, m + 1, kTo, k + 1, hi);
}

/**
 * Percentiles of `a[from .. from + n - 1]` (n >= 1), linear interpolation between order statistics
 * (Hyndman & Fan type 7, the default of R, NumPy and Excel's PERCENTILE.INC):
 * h = (n - 1) p, q = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]).
 * `ps` must be ascending fractions in [0, 1]; the results are then non-decreasing.
 * Reorders the slice. Writes the results to `out[0 .. ps.length - 1]`.
 */
export function percentilesInPlace(
  a: Float64Array,
  from: number,
  n: number,
  ps: readonly number[],
  out: Float64Array,
): void {
  const end = from + n - 1;
  const ks: number[] = [];
  for (const p of ps) {
    const k = from + Math.floor((n - 1) * p);
    if (ks[ks.length - 1] !== k) ks.push(k);
  }
  multiSelect(a, ks, 0, ks.length - 1, from, end);
  for (let q = 0; q < ps.length; q++) {
    const h = (n - 1) * ps[q]!;
    const k = Math.floor(h);
    const frac = h - k;
    const idx = from + k;
    const v = a[idx]!;
    let r = v;
    if (frac > 0 && idx < end) {
      // The next order statistic is the smallest value after idx, up to the next selected index
      // (everything between two selected indices lies between their values).
      let stop = end;
      for (const k2 of ks) {
        if (k2 > idx) {
          stop = k2;
          break;
        }
      }
      let next = a[idx + 1]!;
      for (let i = idx + 2; i <= stop; i++) if (a[i]! < next) next = a[i]!;
      r = v + frac * (next - v);
      // Keep the interpolation between its neighbours despite rounding (monotone in p).
      if (r > next) r = next;
      if (r < v) r = v;
    }
    out[q] = r;
  }
}
