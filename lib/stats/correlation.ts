/**
 * Correlation coefficients that treat ties exactly as scipy.stats does:
 * Pearson's r, Spearman's rho (Pearson's r on average ranks) and Kendall's
 * tau-b, with `*Test` variants that add scipy's two-sided p-values.
 *
 * Edge cases, the same for every coefficient here:
 * - `x` and `y` of different lengths: a `RangeError`.
 * - Fewer than 2 pairs (including empty input): `NaN` (scipy's `pearsonr` raises,
 *   `spearmanr` and `kendalltau` return `nan`; one rule is simpler to handle).
 * - A constant `x` or `y`: `NaN`, as scipy (the coefficient is undefined).
 * - A `NaN` anywhere: `NaN`, as scipy's default `nan_policy="propagate"`.
 * The `*Test` variants say which of these happened in `reason`.
 *
 * @module
 */
import { checkSameLength, hasNaN, isConstant } from "./_check.ts";
import { normalSf, regularizedBeta } from "./_special.ts";

/** A correlation coefficient with its two-sided p-value. */
export interface CorrelationTest {
  /** The coefficient: Pearson's r, Spearman's rho or Kendall's tau-b; `NaN` when undefined. */
  statistic: number;
  /** The two-sided p-value for "no association", as scipy computes it; `NaN` when undefined. */
  p_value: number;
  /** The number of pairs. */
  n: number;
  /** Why `statistic` or `p_value` is `NaN`; absent when both are numbers. */
  reason?: string;
}

/** Why a correlation of `x` and `y` is undefined, or undefined when it is defined. */
function undefinedReason(x: readonly number[], y: readonly number[]): string | undefined {
  if (x.length < 2) return `fewer than 2 pairs (n = ${x.length})`;
  if (hasNaN(x)) return "x contains NaN";
  if (hasNaN(y)) return "y contains NaN";
  if (isConstant(x)) return "x is constant";
  if (isConstant(y)) return "y is constant";
  return undefined;
}

/** Pearson's r of two equal-length arrays with at least 2 values, neither constant. */
function pearsonCore(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i];
    sy += y[i];
  }
  const mx = sx / n;
  const my = sy / n;
  // Scale deviations by their largest magnitude so squares cannot overflow.
  let ax = 0;
  let ay = 0;
  for (let i = 0; i < n; i++) {
    ax = Math.max(ax, Math.abs(x[i] - mx));
    ay = Math.max(ay, Math.abs(y[i] - my));
  }
  if (ax === 0 || ay === 0) return NaN;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] - mx) / ax;
    const dy = (y[i] - my) / ay;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  const r = sxy / (Math.sqrt(sxx) * Math.sqrt(syy));
  return Math.max(-1, Math.min(1, r));
}

/** Average ranks (1-based) of values without NaN. */
function averageRanks(values: readonly number[]): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => values[i] - values[j]);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = r;
    i = j + 1;
  }
  return ranks;
}

/**
 * Ranks with ties given the average of the ranks they span, starting at 1, as
 * `scipy.stats.rankdata(values, method="average")`.
 *
 * @param values The values to rank; not modified.
 * @returns The rank of each value, in input order; all `NaN` if any value is `NaN`
 * (as scipy's default), `[]` for empty input.
 *
 * @example Ties share the average rank
 * ```ts
 * import { rank } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(rank([10, 20, 20, 5]), [2, 3.5, 3.5, 1]);
 * ```
 */
export function rank(values: readonly number[]): number[] {
  if (hasNaN(values)) return values.map(() => NaN);
  return Array.from(averageRanks(values));
}

/**
 * Pearson's product-moment correlation coefficient r, as `scipy.stats.pearsonr(x, y).statistic`.
 *
 * @param x The first variable.
 * @param y The second variable, paired with `x` by position.
 * @returns r in [−1, 1]; `NaN` for fewer than 2 pairs, a constant `x` or `y`, or any `NaN`.
 * @throws {RangeError} If `x` and `y` have different lengths.
 *
 * @example
 * ```ts
 * import { pearson } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(pearson([1, 2, 3, 4], [2, 4, 6, 8]), 1);
 * assert.ok(Number.isNaN(pearson([1, 2, 3], [5, 5, 5]))); // constant y
 * ```
 */
export function pearson(x: readonly number[], y: readonly number[]): number {
  checkSameLength("pearson", x, y, ["x", "y"]);
  if (undefinedReason(x, y) !== undefined) return NaN;
  if (x.length === 2) return Math.sign(x[1] - x[0]) * Math.sign(y[1] - y[0]);
  return pearsonCore(x, y);
}

/**
 * Pearson's r with its two-sided p-value, as `scipy.stats.pearsonr(x, y)`: the p-value is
 * exact for bivariate normal data (r follows a Beta(n/2 − 1, n/2 − 1) law on [−1, 1]).
 * With n = 2, r is ±1 and the p-value is 1, as scipy.
 *
 * @param x The first variable.
 * @param y The second variable, paired with `x` by position.
 * @returns `{ statistic, p_value, n, reason? }`; `reason` says why a value is `NaN`.
 * @throws {RangeError} If `x` and `y` have different lengths.
 *
 * @example
 * ```ts
 * import { pearsonTest } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const { statistic, p_value } = pearsonTest([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]);
 * assert.ok(Math.abs(statistic - 0.8) < 1e-12);
 * assert.ok(Math.abs(p_value - 0.10408803866182785) < 1e-9);
 * ```
 */
export function pearsonTest(x: readonly number[], y: readonly number[]): CorrelationTest {
  checkSameLength("pearsonTest", x, y, ["x", "y"]);
  const n = x.length;
  const reason = undefinedReason(x, y);
  if (reason !== undefined) return { statistic: NaN, p_value: NaN, n, reason };
  if (n === 2) return { statistic: pearson(x, y), p_value: 1, n };
  const r = pearsonCore(x, y);
  const ab = n / 2 - 1;
  const p = 2 * regularizedBeta((1 - Math.abs(r)) / 2, ab, ab);
  return { statistic: r, p_value: Math.min(1, p), n };
}

/**
 * Spearman's rank correlation rho, as `scipy.stats.spearmanr(x, y).statistic`: Pearson's r
 * of the average ranks, so ties are handled exactly as scipy.
 *
 * @param x The first variable.
 * @param y The second variable, paired with `x` by position.
 * @returns rho in [−1, 1]; `NaN` for fewer than 2 pairs, a constant `x` or `y`, or any `NaN`.
 * @throws {RangeError} If `x` and `y` have different lengths.
 *
 * @example
 * ```ts
 * import { spearman } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(spearman([1, 2, 3, 4], [1, 4, 9, 16]), 1); // monotonic, not linear
 * ```
 */
export function spearman(x: readonly number[], y: readonly number[]): number {
  checkSameLength("spearman", x, y, ["x", "y"]);
  if (undefinedReason(x, y) !== undefined) return NaN;
  return pearsonCore(averageRanks(x), averageRanks(y));
}

/**
 * Spearman's rho with its two-sided p-value, as `scipy.stats.spearmanr(x, y)`: a t test
 * with n − 2 degrees of freedom on t = rho √((n − 2) / (1 − rho²)). With n = 2 the p-value
 * is `NaN` (no degrees of freedom), as scipy.
 *
 * @param x The first variable.
 * @param y The second variable, paired with `x` by position.
 * @returns `{ statistic, p_value, n, reason? }`; `reason` says why a value is `NaN`.
 * @throws {RangeError} If `x` and `y` have different lengths.
 *
 * @example
 * ```ts
 * import { spearmanTest } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const { statistic, p_value } = spearmanTest([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]);
 * assert.ok(Math.abs(statistic - 0.8207826816681233) < 1e-12);
 * assert.ok(Math.abs(p_value - 0.08858700531354381) < 1e-9);
 * ```
 */
export function spearmanTest(x: readonly number[], y: readonly number[]): CorrelationTest {
  checkSameLength("spearmanTest", x, y, ["x", "y"]);
  const n = x.length;
  const reason = undefinedReason(x, y);
  if (reason !== undefined) return { statistic: NaN, p_value: NaN, n, reason };
  const rho = pearsonCore(averageRanks(x), averageRanks(y));
  const dof = n - 2;
  if (dof === 0) {
    return { statistic: rho, p_value: NaN, n, reason: "n = 2 leaves no degrees of freedom" };
  }
  const t = rho * Math.sqrt(Math.max(0, dof / ((rho + 1) * (1 - rho))));
  const p = regularizedBeta(dof / (dof + t * t), dof / 2, 0.5);
  return { statistic: rho, p_value: Math.min(1, p), n };
}

/** Pair counts behind Kendall's tau, as scipy's `kendalltau` computes them. */
interface KendallCounts {
  /** Number of pairs of observations, n(n − 1)/2. */
  tot: number;
  /** Pairs tied in x. */
  xtie: number;
  /** Pairs tied in y. */
  ytie: number;
  /** Pairs tied in both. */
  ntie: number;
  /** Discordant pairs. */
  dis: number;
  /** Σ t(t − 1)(t − 2) over tie groups of x, and of y. */
  x0: number;
  y0: number;
  /** Σ t(t − 1)(2t + 5) over tie groups of x, and of y. */
  x1: number;
  y1: number;
}

/** Counts pairs in O(n log n): sort by (x, y), then count inversions of y by merge sort. */
function kendallCounts(x: readonly number[], y: readonly number[]): KendallCounts {
  const n = x.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => x[i] - x[j] || y[i] - y[j]);
  let xtie = 0;
  let ntie = 0;
  let x0 = 0;
  let x1 = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && x[order[j + 1]] === x[order[i]]) j++;
    const t = j - i + 1;
    xtie += (t * (t - 1)) / 2;
    x0 += t * (t - 1) * (t - 2);
    x1 += t * (t - 1) * (2 * t + 5);
    // Joint ties: runs of equal y inside the run of equal x (y is sorted there).
    let k = i;
    while (k <= j) {
      let m = k;
      while (m + 1 <= j && y[order[m + 1]] === y[order[k]]) m++;
      const u = m - k + 1;
      ntie += (u * (u - 1)) / 2;
      k = m + 1;
    }
    i = j + 1;
  }
  // Discordant pairs are the strict inversions of y in (x, y) order.
  let a = Float64Array.from(order, (k) => y[k]);
  let b = new Float64Array(n);
  let dis = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let p = lo;
      let q = mid;
      let out = lo;
      while (p < mid && q < hi) {
        if (a[p] <= a[q]) {
          b[out++] = a[p++];
        } else {
          dis += mid - p;
          b[out++] = a[q++];
        }
      }
      while (p < mid) b[out++] = a[p++];
      while (q < hi) b[out++] = a[q++];
    }
    [a, b] = [b, a];
  }
  let ytie = 0;
  let y0 = 0;
  let y1 = 0;
  i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && a[j + 1] === a[i]) j++;
    const t = j - i + 1;
    ytie += (t * (t - 1)) / 2;
    y0 += t * (t - 1) * (t - 2);
    y1 += t * (t - 1) * (2 * t + 5);
    i = j + 1;
  }
  return { tot: (n * (n - 1)) / 2, xtie, ytie, ntie, dis, x0, y0, x1, y1 };
}

function tauB(c: KendallCounts): number {
  const conMinusDis = c.tot - c.xtie - c.ytie + c.ntie - 2 * c.dis;
  const tau = conMinusDis / Math.sqrt(c.tot - c.xtie) / Math.sqrt(c.tot - c.ytie);
  return Math.max(-1, Math.min(1, tau));
}

function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

/** scipy's exact two-sided p-value of Kendall's tau without ties (`_kendall_p_exact`). */
function kendallExactP(n: number, concordant: number): number {
  const tot = (n * (n - 1)) / 2;
  const c = Math.min(concordant, tot - concordant);
  let prob: number;
  if (n <= 2) {
    prob = 1;
  } else if (c === 0) {
    prob = n < 171 ? 2 / factorial(n) : 0;
  } else if (c === 1) {
    prob = n < 172 ? 2 / factorial(n - 1) : 0;
  } else if (4 * c === n * (n - 1)) {
    prob = 1;
  } else {
    // Counts of permutations of 1..j with k inversions, k ≤ c, built up j by j.
    const counts = new Float64Array(c + 1);
    counts[0] = 1;
    counts[1] = 1;
    for (let j = 3; j <= n; j++) {
      for (let k = 1; k <= c; k++) counts[k] += counts[k - 1];
      if (n >= 171) { for (let k = 0; k <= c; k++) counts[k] /= j; }
      if (j <= c) { for (let k = c; k >= j; k--) counts[k] -= counts[k - j]; }
    }
    let sum = 0;
    for (let k = 0; k <= c; k++) sum += counts[k];
    prob = n < 171 ? (2 * sum) / factorial(n) : sum;
  }
  return Math.max(0, Math.min(1, prob));
}

/**
 * Kendall's tau-b, as `scipy.stats.kendalltau(x, y).statistic` (variant "b"):
 * (concordant − discordant) / √((pairs − x ties)(pairs − y ties)). O(n log n).
 *
 * @param x The first variable.
 * @param y The second variable, paired with `x` by position.
 * @returns tau-b in [−1, 1]; `NaN` for fewer than 2 pairs, a constant `x` or `y`, or any `NaN`.
 * @throws {RangeError} If `x` and `y` have different lengths.
 *
 * @example Ties in both variables
 * ```ts
 * import { kendallTauB } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const tau = kendallTauB([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]);
 * assert.ok(Math.abs(tau - -0.47140452079103173) < 1e-12);
 * ```
 */
export function kendallTauB(x: readonly number[], y: readonly number[]): number {
  checkSameLength("kendallTauB", x, y, ["x", "y"]);
  if (undefinedReason(x, y) !== undefined) return NaN;
  return tauB(kendallCounts(x, y));
}

/**
 * Kendall's tau-b with its two-sided p-value, as `scipy.stats.kendalltau(x, y)` with
 * `method="auto"`: exact when neither variable has ties and n ≤ 33 (or nearly all pairs
 * agree), otherwise the normal approximation with the tie-corrected variance.
 *
 * @param x The first variable.
 * @param y The second variable, paired with `x` by position.
 * @returns `{ statistic, p_value, n, reason? }`; `reason` says why a value is `NaN`.
 * @throws {RangeError} If `x` and `y` have different lengths.
 *
 * @example
 * ```ts
 * import { kendallTauBTest } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const { statistic, p_value } = kendallTauBTest([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]);
 * assert.ok(Math.abs(statistic - -0.47140452079103173) < 1e-12);
 * assert.ok(Math.abs(p_value - 0.28274545993277467) < 1e-9);
 * ```
 */
export function kendallTauBTest(x: readonly number[], y: readonly number[]): CorrelationTest {
  checkSameLength("kendallTauBTest", x, y, ["x", "y"]);
  const n = x.length;
  const reason = undefinedReason(x, y);
  if (reason !== undefined) return { statistic: NaN, p_value: NaN, n, reason };
  const c = kendallCounts(x, y);
  const tau = tauB(c);
  let p: number;
  if (c.xtie === 0 && c.ytie === 0 && (n <= 33 || Math.min(c.dis, c.tot - c.dis) <= 1)) {
    p = kendallExactP(n, c.tot - c.dis);
  } else {
    const conMinusDis = c.tot - c.xtie - c.ytie + c.ntie - 2 * c.dis;
    const m = n * (n - 1);
    const variance = (m * (2 * n + 5) - c.x1 - c.y1) / 18 + (2 * c.xtie * c.ytie) / m +
      (c.x0 * c.y0) / (9 * m * (n - 2));
    p = 2 * normalSf(Math.abs(conMinusDis / Math.sqrt(variance)));
  }
  return { statistic: tau, p_value: p, n };
}
