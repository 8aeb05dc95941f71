/**
 * Paired comparison of items that carry inclusion weights (an eval set drawn with
 * `sample --oversample`): the estimates that describe prod weight each item by its
 * weight, so an oversampled group counts back at its prod share.
 *
 * - Means are weighted (Hájek) means, Σ wᵢ·xᵢ / Σ wᵢ; the difference is the weighted
 *   mean of the paired differences.
 * - The interval is a seeded BCa bootstrap that resamples items (each with its weight)
 *   and recomputes the weighted mean difference: the weights travel with the items.
 * - The p-value is the two-sided sign-flip permutation test of the weighted
 *   differences wᵢ·dᵢ (valid for any fixed weights under "no difference").
 * - Spread: the weighted standard deviation with the n/(n − 1) correction, and Kish's
 *   effective sample size (Σ w)² / Σ w² in place of n.
 *
 * With equal weights every estimate equals its unweighted counterpart except the
 * bootstrap interval, whose resampling differs; {@link comparePaired} therefore uses
 * this module only when the weights differ.
 *
 * @module
 */
import { bootstrapCI } from "../stats/bootstrap.ts";
import { signFlipPValue } from "../stats/paired.ts";
import type { PairedDifference } from "../stats/paired.ts";

/** Options for {@link weightedPairedDifference}. */
export interface WeightedPairedOptions {
  /** Bootstrap resamples and Monte Carlo sign flips. @default 9999 */
  resamples?: number;
  /** Confidence level of the interval. @default 0.95 */
  level?: number;
  /** Seed of the bootstrap and the sign flips. @default 0 */
  seed?: number;
}

/**
 * The weighted mean Σ wᵢ·xᵢ / Σ wᵢ.
 *
 * @throws {RangeError} When the lengths differ, a weight is not positive, or there is no value.
 *
 * @example
 * ```ts
 * import { weightedMean } from "./weighted.ts";
 * if (weightedMean([1, 5], [3, 1]) !== 2) throw new Error();
 * ```
 */
export function weightedMean(values: readonly number[], weights: readonly number[]): number {
  checkWeights("weightedMean", values, weights);
  let sw = 0;
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    sw += weights[i];
    s += weights[i] * values[i];
  }
  return s / sw;
}

/**
 * Kish's effective sample size (Σ w)² / Σ w²: n for equal weights, less when they differ.
 *
 * @example
 * ```ts
 * import { kishEffectiveN } from "./weighted.ts";
 * if (kishEffectiveN([2, 2, 2]) !== 3 || !(kishEffectiveN([1, 1, 4]) < 3)) throw new Error();
 * ```
 */
export function kishEffectiveN(weights: readonly number[]): number {
  const sw = weights.reduce((a, w) => a + w, 0);
  const sw2 = weights.reduce((a, w) => a + w * w, 0);
  return sw2 === 0 ? 0 : (sw * sw) / sw2;
}

/**
 * The weighted standard deviation √(n/(n − 1) · Σ wᵢ(xᵢ − m)² / Σ wᵢ), m the weighted
 * mean: the sample standard deviation when the weights are equal. NaN below 2 values.
 *
 * @example
 * ```ts
 * import { weightedSd } from "./weighted.ts";
 * const sd = weightedSd([1, 2, 3, 4], [1, 1, 1, 1]);
 * if (Math.abs(sd - Math.sqrt(5 / 3)) > 1e-12) throw new Error(String(sd));
 * ```
 */
export function weightedSd(values: readonly number[], weights: readonly number[]): number {
  const n = values.length;
  if (n < 2) return NaN;
  const m = weightedMean(values, weights);
  let sw = 0;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    sw += weights[i];
    ss += weights[i] * (values[i] - m) ** 2;
  }
  return Math.sqrt((n / (n - 1)) * (ss / sw));
}

/**
 * The weighted paired comparison of a baseline `a` and a candidate `b`: weighted means,
 * the weighted mean difference with a BCa bootstrap interval over items, and a
 * sign-flip p-value of the weighted differences (exact for n ≤ 20).
 *
 * @param a The baseline's scores.
 * @param b The candidate's scores, paired with `a` by position.
 * @param weights One positive inclusion weight per pair.
 * @param options `resamples`, `level`, `seed`.
 * @returns The same shape as {@link pairedDifference}'s result.
 * @throws {RangeError} When the lengths differ, fewer than 2 pairs, or a weight is not positive.
 *
 * @example Duplicating an item and halving its weight changes nothing
 * ```ts
 * import { weightedPairedDifference } from "./weighted.ts";
 * const r = weightedPairedDifference([3, 3, 2, 4], [4, 3, 4, 4], [2, 1, 1, 1], { resamples: 999 });
 * const s = weightedPairedDifference([3, 3, 3, 2, 4], [4, 4, 3, 4, 4], [1, 1, 1, 1, 1], { resamples: 999 });
 * if (Math.abs(r.diff - s.diff) > 1e-12 || Math.abs(r.diff - 0.8) > 1e-12) throw new Error();
 * ```
 */
export function weightedPairedDifference(
  a: readonly number[],
  b: readonly number[],
  weights: readonly number[],
  options: WeightedPairedOptions = {},
): PairedDifference {
  const { resamples = 9999, level = 0.95, seed = 0 } = options;
  if (a.length !== b.length) {
    throw new RangeError(
      `weightedPairedDifference(): a and b must have the same length, got ${a.length} and ${b.length}`,
    );
  }
  checkWeights("weightedPairedDifference", a, weights);
  const n = a.length;
  if (n < 2) throw new RangeError(`weightedPairedDifference(): needs at least 2 pairs, got ${n}`);
  const d = a.map((x, i) => b[i] - x);
  const mean_a = weightedMean(a, weights);
  const mean_b = weightedMean(b, weights);
  const diff = weightedMean(d, weights);
  if (d.every((x) => x === 0)) {
    return { n, mean_a, mean_b, diff: 0, ci: [0, 0], level, p_value: 1, exact: n <= 20 };
  }
  const index = d.map((_, i) => i);
  const statistic = (idx: readonly number[]) => {
    let sw = 0;
    let s = 0;
    for (const i of idx) {
      sw += weights[i];
      s += weights[i] * d[i];
    }
    return s / sw;
  };
  const ci = bootstrapCI(index, statistic, { resamples, level, seed, method: "bca" });
  const { p_value, exact } = signFlipPValue(d.map((x, i) => weights[i] * x), { resamples, seed });
  return { n, mean_a, mean_b, diff, ci: [ci.lo, ci.hi], level, p_value, exact };
}

function checkWeights(fn: string, values: readonly number[], weights: readonly number[]): void {
  if (weights.length !== values.length) {
    throw new RangeError(
      `${fn}(): needs one weight per value, got ${weights.length} for ${values.length}`,
    );
  }
  if (values.length === 0) throw new RangeError(`${fn}(): needs at least one value`);
  for (const w of weights) {
    if (!(w > 0) || !Number.isFinite(w)) {
      throw new RangeError(`${fn}(): weights must be positive and finite, got ${w}`);
    }
  }
}
