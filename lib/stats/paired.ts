/**
 * Paired comparison of a baseline and a candidate scored on the same items:
 * the mean difference, its bootstrap confidence interval, and a sign-flip
 * permutation p-value.
 *
 * @module
 */
import { checkFinite, checkLevel, checkResamples, checkSameLength, checkSeed } from "./_check.ts";
import { sfc32 } from "./_random.ts";
import { bootstrapCI, type BootstrapMethod } from "./bootstrap.ts";

/** Options for {@link pairedDifference}. */
export interface PairedDifferenceOptions {
  /** Bootstrap resamples for the interval, and random sign flips for a Monte Carlo p-value. @default 9999 */
  resamples?: number;
  /** The confidence level of the interval, between 0 and 1. @default 0.95 */
  level?: number;
  /** The seed of the random generators (a safe integer). @default 0 */
  seed?: number;
  /** The bootstrap interval method (see {@link bootstrapCI}). @default "bca" */
  method?: BootstrapMethod;
  /** Enumerate all 2^n sign flips (an exact p-value) when n is at most this; at most 40. @default 20 */
  exactMaxN?: number;
}

/** The paired comparison of a baseline `a` and a candidate `b`. */
export interface PairedDifference {
  /** The number of pairs. */
  n: number;
  /** The baseline's mean. */
  mean_a: number;
  /** The candidate's mean. */
  mean_b: number;
  /** The mean paired difference, mean(b − a): positive when the candidate scores higher. */
  diff: number;
  /** The bootstrap confidence interval of `diff`, `[lo, hi]`. */
  ci: [number, number];
  /** The confidence level of `ci`. */
  level: number;
  /** The two-sided sign-flip permutation p-value for "no difference". */
  p_value: number;
  /** Whether `p_value` is exact (all 2^n sign flips) rather than Monte Carlo. */
  exact: boolean;
}

/** Options for {@link signFlipPValue}. */
export interface SignFlipOptions {
  /** Random sign flips when not exact. @default 9999 */
  resamples?: number;
  /** The seed; the flips use stream 1 of the seed's sfc32 generator. @default 0 */
  seed?: number;
  /** Enumerate all 2^n flips when n is at most this. @default 20 */
  exactMaxN?: number;
}

function sumOf(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s;
}

function meanOf(values: readonly number[]): number {
  return sumOf(values) / values.length;
}

/** All 2^k signed sums ±d[from] ± … ± d[to − 1], each summed directly. */
function signedSums(d: ArrayLike<number>, from: number, to: number): Float64Array {
  const k = to - from;
  const sums = new Float64Array(2 ** k);
  for (let mask = 0; mask < sums.length; mask++) {
    let s = 0;
    for (let i = 0; i < k; i++) s += (mask >>> i) & 1 ? d[from + i] : -d[from + i];
    sums[mask] = s;
  }
  return sums;
}

/** The number of sorted values < x. */
function countBelow(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The number of sorted values ≤ x. */
function countAtOrBelow(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The two-sided sign-flip permutation p-value of paired differences `d` for "the mean
 * difference is 0": the share of sign assignments ±d_i whose |Σ ±d_i| is at least the
 * observed |Σ d_i| (with a relative slack of 1e-12 so rounding cannot break ties).
 * Exact for n ≤ `exactMaxN` (all 2^n flips, split in two halves and matched by binary
 * search, so n = 40 stays fast), otherwise Monte Carlo with `resamples` random flips and
 * the +1 correction (count + 1) / (resamples + 1). All-zero differences give 1.
 *
 * @param d The paired differences.
 * @param options `resamples`, `seed` and `exactMaxN`.
 * @returns `{ p_value, exact }`.
 */
export function signFlipPValue(
  d: readonly number[],
  options: SignFlipOptions = {},
): { p_value: number; exact: boolean } {
  const { resamples = 9999, seed = 0, exactMaxN = 20 } = options;
  const n = d.length;
  let scale = 0;
  for (let i = 0; i < n; i++) scale += Math.abs(d[i]);
  const exact = n <= exactMaxN;
  if (scale === 0) return { p_value: 1, exact };
  const threshold = Math.abs(sumOf(d)) - 1e-12 * scale;
  // An observed sum of (about) 0: every flip is at least as extreme.
  if (threshold <= 0) return { p_value: 1, exact };
  if (exact) {
    const half = n >>> 1;
    const left = signedSums(d, 0, half);
    const right = signedSums(d, half, n).sort();
    let count = 0;
    for (let i = 0; i < left.length; i++) {
      // |l + r| ≥ t  ⇔  r ≥ t − l  or  r ≤ −t − l (disjoint, since t > 0).
      count += right.length - countBelow(right, threshold - left[i]);
      count += countAtOrBelow(right, -threshold - left[i]);
    }
    return { p_value: count / 2 ** n, exact };
  }
  const next = sfc32(seed, 1);
  let count = 0;
  for (let b = 0; b < resamples; b++) {
    let s = 0;
    let bits = 0;
    for (let i = 0; i < n; i++) {
      if ((i & 31) === 0) bits = next();
      s += bits & 1 ? d[i] : -d[i];
      bits >>>= 1;
    }
    if (Math.abs(s) >= threshold) count++;
  }
  return { p_value: (count + 1) / (resamples + 1), exact };
}

/**
 * Compares a baseline `a` and a candidate `b` scored on the same items: the mean paired
 * difference diff = mean(b − a) (positive when the candidate scores higher), a bootstrap
 * confidence interval for it (see {@link bootstrapCI}), and a two-sided paired permutation
 * (sign-flip) p-value: exact over all 2^n flips when n ≤ `exactMaxN`, otherwise Monte Carlo
 * with `resamples` flips and the +1 correction, (count + 1) / (resamples + 1).
 *
 * When every difference is 0, the interval is [0, 0] and the p-value 1.
 *
 * @param a The baseline's scores.
 * @param b The candidate's scores, paired with `a` by position (same item).
 * @param options `resamples`, `level`, `seed`, `method` and `exactMaxN`.
 * @returns `{ n, mean_a, mean_b, diff, ci, level, p_value, exact }`.
 * @throws {RangeError} If `a` and `b` differ in length, hold fewer than 2 pairs or a
 * non-finite value, or an option is out of range.
 *
 * @example
 * ```ts
 * import { pairedDifference } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const baseline = [3, 4, 2, 5, 3, 3, 4, 2, 3, 4];
 * const candidate = [4, 4, 3, 5, 4, 3, 5, 3, 4, 4];
 * const r = pairedDifference(baseline, candidate, { seed: 1 });
 * assert.equal(r.diff, 0.6);
 * assert.ok(r.ci[0] > 0); // the candidate is better
 * assert.equal(r.exact, true); // n ≤ 20: all 1024 sign flips
 * assert.equal(r.p_value, 1 / 32); // 2 of 64 distinct flips of the six non-zero differences
 * ```
 */
export function pairedDifference(
  a: readonly number[],
  b: readonly number[],
  options: PairedDifferenceOptions = {},
): PairedDifference {
  const { resamples = 9999, level = 0.95, seed = 0, method = "bca", exactMaxN = 20 } = options;
  checkSameLength("pairedDifference", a, b);
  checkFinite("pairedDifference", "a", a);
  checkFinite("pairedDifference", "b", b);
  checkResamples("pairedDifference", resamples);
  checkLevel("pairedDifference", level);
  checkSeed("pairedDifference", seed);
  if (!Number.isInteger(exactMaxN) || exactMaxN < 0 || exactMaxN > 40) {
    throw new RangeError(
      `pairedDifference(): exactMaxN must be an integer from 0 to 40, got ${exactMaxN}`,
    );
  }
  const n = a.length;
  if (n < 2) throw new RangeError(`pairedDifference(): needs at least 2 pairs, got ${n}`);
  const d = a.map((ai, i) => b[i] - ai);
  const mean_a = meanOf(a);
  const mean_b = meanOf(b);
  const diff = meanOf(d);
  if (d.every((x) => x === 0)) {
    return { n, mean_a, mean_b, diff: 0, ci: [0, 0], level, p_value: 1, exact: n <= exactMaxN };
  }
  const ci = bootstrapCI(d, meanOf, { resamples, level, seed, method });
  const { p_value, exact } = signFlipPValue(d, { resamples, seed, exactMaxN });
  return { n, mean_a, mean_b, diff, ci: [ci.lo, ci.hi], level, p_value, exact };
}
