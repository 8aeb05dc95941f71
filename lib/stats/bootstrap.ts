/**
 * Seeded bootstrap confidence intervals for any statistic of any sample:
 * percentile and BCa (bias-corrected and accelerated, Efron 1987), computed as
 * `scipy.stats.bootstrap` does, with scipy's default 9999 resamples.
 *
 * @module
 */
import { checkLevel, checkResamples, checkSeed } from "./_check.ts";
import {
  bcaLevels,
  biasCorrection,
  jackknifeAcceleration,
  resampledStatistic,
} from "./_bootstrap.ts";

/** How the interval is read off the bootstrap distribution. */
export type BootstrapMethod = "percentile" | "bca";

/** Options for {@link bootstrapCI}. */
export interface BootstrapOptions {
  /** The number of bootstrap resamples. @default 9999 */
  resamples?: number;
  /** The confidence level, between 0 and 1. @default 0.95 */
  level?: number;
  /** The seed of the random generator (a safe integer); the same seed gives the same interval. @default 0 */
  seed?: number;
  /**
   * `"percentile"`: the (1 − level)/2 and (1 + level)/2 quantiles of the resampled statistic.
   * `"bca"`: those quantiles adjusted for bias (from the share of resamples below the
   * estimate) and skew (from a jackknife), as scipy's default.
   * @default "bca"
   */
  method?: BootstrapMethod;
}

/** A bootstrap confidence interval. */
export interface BootstrapResult {
  /** The statistic of the original sample. */
  estimate: number;
  /** The lower bound; `NaN` when the interval is undefined (see `reason`). */
  lo: number;
  /** The upper bound; `NaN` when the interval is undefined (see `reason`). */
  hi: number;
  /** The confidence level. */
  level: number;
  /** The number of resamples. */
  resamples: number;
  /** The method used. */
  method: BootstrapMethod;
  /** Why `lo` and `hi` are `NaN`; absent otherwise. */
  reason?: string;
}

/**
 * The q-quantile of ascending sorted values by linear interpolation between order
 * statistics (numpy's default `np.percentile` method, Hyndman & Fan type 7).
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0 || Number.isNaN(q)) return NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const t = h - lo;
  const a = sorted[lo];
  const b = sorted[hi];
  return t === 0 ? a : a + (b - a) * t;
}

/**
 * A bootstrap confidence interval for `statistic(values)`: `values` is resampled with
 * replacement `resamples` times, and the interval is read off the distribution of the
 * statistic over the resamples by the percentile or the BCa method, as
 * `scipy.stats.bootstrap` (the random streams differ, so intervals agree only to
 * Monte Carlo error).
 *
 * `values` may hold anything: numbers, or whole records (e.g. `[x, y]` pairs to
 * bootstrap a correlation), since `statistic` receives the resampled array. For speed the
 * array passed to `statistic` is one buffer reused across resamples: read it, and do not
 * keep it (sorting it in place is harmless). `values` itself is never modified.
 *
 * Edge cases: if the statistic is `NaN` on any resample, the interval is `NaN` (with a
 * `reason`), as scipy. For BCa: when the jackknife values are all equal the acceleration
 * is taken as 0 (scipy gives `NaN`), and when the estimate lies below or above every
 * resampled value the bias correction is infinite and the interval is `NaN`, as scipy.
 *
 * @param values The sample: at least 2 items.
 * @param statistic The statistic, a function of a sample (e.g. `mean`).
 * @param options `resamples`, `level`, `seed` and `method`.
 * @returns `{ estimate, lo, hi, level, resamples, method, reason? }`.
 * @throws {RangeError} If `values` holds fewer than 2 items, or an option is out of range.
 *
 * @example Seeded, so the interval is reproducible
 * ```ts
 * import { bootstrapCI, mean } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const scores = [3, 4, 4, 5, 2, 4, 3, 5, 4, 4, 1, 5];
 * const ci = bootstrapCI(scores, mean, { resamples: 2000, seed: 7, method: "percentile" });
 * assert.ok(ci.lo < ci.estimate && ci.estimate < ci.hi);
 * assert.deepEqual(bootstrapCI(scores, mean, { resamples: 2000, seed: 7, method: "percentile" }), ci);
 * ```
 *
 * @example A paired statistic: resample (x, y) pairs together
 * ```ts
 * import { bootstrapCI, pearson } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const pairs: [number, number][] = [[1, 2], [2, 3], [3, 5], [4, 4], [5, 7], [6, 8], [7, 7], [8, 9]];
 * const ci = bootstrapCI(pairs, (s) => pearson(s.map((p) => p[0]), s.map((p) => p[1])), {
 *   resamples: 1000,
 *   method: "percentile",
 * });
 * assert.ok(ci.hi <= 1);
 * ```
 */
export function bootstrapCI<T>(
  values: readonly T[],
  statistic: (sample: readonly T[]) => number,
  options: BootstrapOptions = {},
): BootstrapResult {
  const { resamples = 9999, level = 0.95, seed = 0, method = "bca" } = options;
  checkResamples("bootstrapCI", resamples);
  checkLevel("bootstrapCI", level);
  checkSeed("bootstrapCI", seed);
  if (method !== "percentile" && method !== "bca") {
    throw new RangeError(
      `bootstrapCI(): method must be "percentile" or "bca", got "${String(method)}"`,
    );
  }
  const n = values.length;
  if (n < 2) throw new RangeError(`bootstrapCI(): values must hold at least 2 items, got ${n}`);

  const estimate = statistic(values.slice());
  const thetas = resampledStatistic(values, statistic, resamples, seed);
  const result = { estimate, lo: NaN, hi: NaN, level, resamples, method };
  if (thetas.some(Number.isNaN)) {
    return { ...result, reason: "the statistic is NaN on some resamples" };
  }
  thetas.sort();
  const alpha = (1 - level) / 2;
  if (method === "percentile") {
    return {
      ...result,
      lo: quantileSorted(thetas, alpha),
      hi: quantileSorted(thetas, 1 - alpha),
    };
  }
  const z0 = biasCorrection(thetas, estimate);
  if (!Number.isFinite(z0)) {
    return {
      ...result,
      reason: Number.isNaN(estimate)
        ? "the statistic is NaN on the sample"
        : "the estimate lies outside the bootstrap distribution",
    };
  }
  const acceleration = jackknifeAcceleration(values, statistic);
  if (acceleration === null) {
    return { ...result, reason: "the statistic is NaN on some jackknife samples" };
  }
  const [alpha1, alpha2] = bcaLevels(z0, acceleration, alpha);
  return { ...result, lo: quantileSorted(thetas, alpha1), hi: quantileSorted(thetas, alpha2) };
}
