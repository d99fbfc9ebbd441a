/**
 * Seeded pseudo-random numbers for the analyses: the same seed gives the same numbers on every
 * client, browser or Node, so a Monte Carlo band seen by one workshop participant is the band
 * everybody sees.
 *
 * Generator: **sfc32** ("Small Fast Chaotic", 32-bit), Chris Doty-Humphrey, from the PractRand test
 * suite (public domain; RNGs/sfc.cpp). 128-bit state (a, b, c and a counter, so no seed falls into a
 * short cycle: period >= 2^32, ~2^127 on average); passes PractRand and TestU01 BigCrush. Chosen over
 * mulberry32 (32-bit state, period 2^32) because a 10,000-sample run draws ~170,000 numbers and the
 * board may run many. Seeding follows PractRand's `sfc32::seed(Uint64 s)` exactly: a = 0,
 * b = low 32 bits, c = high 32 bits, counter = 1, then 12 outputs discarded. random.test.ts checks
 * the output against the reference C code.
 *
 * Portability: only 32-bit integer adds, shifts and xors (exact in every JavaScript engine) and one
 * division by 2^32 (exact: a uint32 fits in a double's 53-bit mantissa). The analyses add only
 * IEEE-754 basic operations (+ - * / and Math.sqrt, all correctly rounded by the standard), never
 * Math.pow/exp/log on sampled numbers, so samples are bit-identical across platforms.
 */
import { AnalysisInputError } from './errors';

const TWO_POW_32 = 4294967296;

/** A seeded generator. Not cryptographic. Create one per analysis run; never share across runs. */
export class Rng {
  /**
   * a, b, c, counter. An Int32Array rather than four fields: int32 values beyond V8's 31-bit small
   * integers would be boxed on every store, an allocation per draw.
   */
  private readonly s = new Int32Array(4);

  /** @param seed a non-negative safe integer (0 .. 2^53 - 1); see `checkSeed`. */
  constructor(seed: number) {
    checkSeed(seed);
    this.s[0] = 0;
    this.s[1] = seed % TWO_POW_32; // wraps to int32 on store
    this.s[2] = Math.floor(seed / TWO_POW_32);
    this.s[3] = 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** The next raw 32-bit output, 0 .. 2^32 - 1 (PractRand `raw32`). */
  nextUint32(): number {
    const s = this.s;
    const a = s[0]!;
    const b = s[1]!;
    const c = s[2]!;
    const counter = s[3]!;
    const tmp = (((a + b) | 0) + counter) | 0;
    s[3] = counter + 1;
    s[0] = b ^ (b >>> 9);
    s[1] = c + (c << 3);
    s[2] = ((c << 21) | (c >>> 11)) + tmp;
    return tmp >>> 0;
  }

  /** Uniform in [0, 1), a multiple of 2^-32. */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Uniform integer in [0, n) for 1 <= n <= 2^32 (multiply-shift; bias < n / 2^32, negligible here). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/** Throws AnalysisInputError unless `seed` is a non-negative safe integer. */
export function checkSeed(seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new AnalysisInputError(
      'seed',
      `The random seed must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, got ${String(seed)}.`,
    );
  }
}

/**
 * A 32-bit seed from a string (FNV-1a), e.g. a scenario id, so each scenario gets its own stable
 * stream without storing a number.
 */
export function seedFromString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The triangular distribution's inverse CDF: maps u in [0, 1) to a value in [low, high] with the
 * most likely value at `mode` (low <= mode <= high, low < high). Uses only + - * / and sqrt.
 */
export function triangularQuantile(u: number, low: number, mode: number, high: number): number {
  const width = high - low;
  const x =
    u * width < mode - low
      ? low + Math.sqrt(u * (width * (mode - low)))
      : high - Math.sqrt((1 - u) * (width * (high - mode)));
  // Rounding can overshoot by an ulp; keep samples inside the band.
  return x < low ? low : x > high ? high : x;
}
