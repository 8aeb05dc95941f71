/**
 * Eval–prod correlation across release pairs, built for small n: Pearson and Spearman
 * of the eval deltas against the prod-metric deltas, percentile bootstrap intervals
 * over release pairs, a permutation p-value (exact over all n! orderings for small n),
 * and directional agreement under each metric's sign convention. Under `minPairs`
 * release pairs every value is `null` with a `reason`: "not estimable", never a number.
 *
 * @module
 */
import type { Dimension } from "../schemas.ts";
import { pairDimensions } from "./deltas.ts";
import { seededRandom } from "../stats/_random.ts";
import { quantileSorted } from "../stats/bootstrap.ts";
import { pearson, spearman } from "../stats/correlation.ts";
import { eachOrdering, orderingCounter, randomOrderings } from "./_permutation.ts";
import type { ReleasePair } from "./deltas.ts";
import type { MetricDirection } from "./registry.ts";

/** Options for {@link pairBootstrapCI}. */
export interface PairBootstrapOptions {
  /** Bootstrap resamples. @default 9999 */
  resamples?: number;
  /** Confidence level. @default 0.95 */
  level?: number;
  /** The seed. @default 0 */
  seed?: number;
}

/**
 * A percentile bootstrap interval of a correlation over (x, y) pairs, resampling pairs
 * with replacement. A resample whose x or y is constant has no correlation; it is drawn
 * again (so a handful of release pairs still gets an interval), and `redrawn` counts how
 * often that happened.
 *
 * @param x The first variable (at least 3 values, not constant).
 * @param y The second variable, paired with `x` by position (not constant).
 * @param statistic The correlation, e.g. `pearson`.
 * @param options `resamples`, `level` and `seed`.
 * @returns `{ lo, hi, redrawn }`.
 * @throws {RangeError} For fewer than 3 pairs, different lengths, constant x or y, or a
 * statistic that is NaN on almost every resample.
 *
 * @example
 * ```ts
 * import { pairBootstrapCI } from "./correlation.ts";
 * import { pearson } from "../stats/correlation.ts";
 * const ci = pairBootstrapCI([1, 2, 3, 4, 5, 6], [1.2, 1.9, 3.4, 3.8, 5.1, 6.3], pearson, { seed: 1 });
 * if (!(ci.lo > 0.8 && ci.hi <= 1)) throw new Error(JSON.stringify(ci));
 * ```
 */
export function pairBootstrapCI(
  x: readonly number[],
  y: readonly number[],
  statistic: (x: readonly number[], y: readonly number[]) => number,
  options: PairBootstrapOptions = {},
): { lo: number; hi: number; redrawn: number } {
  const { resamples = 9999, level = 0.95, seed = 0 } = options;
  const n = x.length;
  if (n !== y.length) throw new RangeError(`pairBootstrapCI(): x has ${n} values, y ${y.length}`);
  if (n < 3) throw new RangeError(`pairBootstrapCI(): needs at least 3 pairs, got ${n}`);
  if (new Set(x).size < 2 || new Set(y).size < 2) {
    throw new RangeError("pairBootstrapCI(): x and y must not be constant");
  }
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(
      `pairBootstrapCI(): resamples must be a positive integer, got ${resamples}`,
    );
  }
  if (!(level > 0 && level < 1)) {
    throw new RangeError(`pairBootstrapCI(): level must be between 0 and 1, got ${level}`);
  }
  const random = seededRandom(seed);
  const thetas = new Float64Array(resamples);
  const xs = new Array<number>(n);
  const ys = new Array<number>(n);
  let redrawn = 0;
  for (let b = 0; b < resamples; b++) {
    for (;;) {
      for (let i = 0; i < n; i++) {
        const j = Math.floor(random() * n);
        xs[i] = x[j];
        ys[i] = y[j];
      }
      const t = statistic(xs, ys);
      if (!Number.isNaN(t)) {
        thetas[b] = t;
        break;
      }
      if (++redrawn > 100 * resamples) {
        throw new RangeError("pairBootstrapCI(): the statistic is NaN on almost every resample");
      }
    }
  }
  thetas.sort();
  const alpha = (1 - level) / 2;
  return { lo: quantileSorted(thetas, alpha), hi: quantileSorted(thetas, 1 - alpha), redrawn };
}

/** Options for {@link permutationTest}. */
export interface PermutationOptions {
  /** Enumerate all n! orderings of y when n is at most this (at most 10). @default 8 */
  exactMaxN?: number;
  /** Random orderings otherwise. @default 10000 */
  permutations?: number;
  /** The seed of the random orderings. @default 0 */
  seed?: number;
}

/** Permutation p-values of Pearson's r and Spearman's rho. */
export interface PermutationResult {
  /** Two-sided p-value of Pearson's r for "no association". */
  pearson_p: number;
  /** Two-sided p-value of Spearman's rho. */
  spearman_p: number;
  /** All n! orderings were enumerated. */
  exact: boolean;
  /** Orderings counted (n! when exact). */
  permutations: number;
}

/**
 * Two-sided permutation p-values of Pearson's r and Spearman's rho: the share of
 * orderings of y whose |statistic| is at least the observed one (relative slack 1e-12 so
 * rounding cannot break ties). Exact over all n! orderings when n ≤ `exactMaxN`;
 * otherwise `permutations` seeded random orderings with the +1 correction,
 * (count + 1) / (permutations + 1). Under a permutation only Σ x·y changes, so the test
 * compares Σ (x − x̄)·y, which ranks orderings exactly as r does.
 *
 * @param x The first variable.
 * @param y The second variable, paired with `x` by position.
 * @param options `exactMaxN`, `permutations` and `seed`.
 * @returns `{ pearson_p, spearman_p, exact, permutations }`; a p-value is `NaN` when x or y is constant.
 * @throws {RangeError} For different lengths, fewer than 2 pairs, or an option out of range.
 *
 * @example Exact for six pairs: 720 orderings
 * ```ts
 * import { permutationTest } from "./correlation.ts";
 * const r = permutationTest([1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6]);
 * // Only the identity and its reverse reach |rho| = 1.
 * if (!r.exact || r.permutations !== 720 || r.spearman_p !== 2 / 720) throw new Error(JSON.stringify(r));
 * ```
 */
export function permutationTest(
  x: readonly number[],
  y: readonly number[],
  options: PermutationOptions = {},
): PermutationResult {
  const { exactMaxN = 8, permutations = 10000, seed = 0 } = options;
  const n = x.length;
  if (n !== y.length) throw new RangeError(`permutationTest(): x has ${n} values, y ${y.length}`);
  if (n < 2) throw new RangeError(`permutationTest(): needs at least 2 pairs, got ${n}`);
  if (!Number.isInteger(exactMaxN) || exactMaxN < 0 || exactMaxN > 10) {
    throw new RangeError(
      `permutationTest(): exactMaxN must be an integer from 0 to 10, got ${exactMaxN}`,
    );
  }
  if (!Number.isInteger(permutations) || permutations < 1) {
    throw new RangeError(
      `permutationTest(): permutations must be a positive integer, got ${permutations}`,
    );
  }
  const exact = n <= exactMaxN;
  const counter = orderingCounter(x, y);
  if (exact) eachOrdering(n, counter.swap, counter.visit);
  else randomOrderings(n, permutations, seededRandom(seed), counter.swap, counter.visit);
  const { total, pearson, spearman } = counter.counts();
  const p = (count: number) => exact ? count / total : (count + 1) / (total + 1);
  const defined = new Set(x).size >= 2 && new Set(y).size >= 2;
  return {
    pearson_p: defined ? p(pearson) : NaN,
    spearman_p: defined ? p(spearman) : NaN,
    exact,
    permutations: total,
  };
}

/** One dimension × metric correlation; values are `null` with `reason` when not estimable. */
export interface CorrelationCell {
  /** Release pairs with both an eval delta and this metric's delta. */
  n: number;
  pearson: number | null;
  spearman: number | null;
  pearson_ci: [number, number] | null;
  spearman_ci: [number, number] | null;
  /** Permutation p-value of Pearson's r (two-sided). */
  p_value: number | null;
  /** Permutation p-value of Spearman's rho (two-sided). */
  spearman_p_value: number | null;
  /** Whether the p-values enumerate all n! orderings. */
  p_exact: boolean | null;
  /** Share of pairs (both moved) where eval and prod moved the same good/bad way. */
  directional_agreement: number | null;
  /** Pairs where eval and prod agreed / where both moved at all. */
  agree: number;
  counted: number;
  /** Pearson's r signed so that positive means "higher score, better prod". */
  oriented: number | null;
  /** `pearson_ci` signed the same way, `[lo, hi]`. */
  oriented_ci: [number, number] | null;
  /** Why values are `null`; absent when estimable. */
  reason?: string;
}

/** Options for {@link correlateDeltas}. */
export interface CorrelateDeltasOptions {
  /** Fewer release pairs than this: "not estimable" (at least 3). @default 5 */
  minPairs?: number;
  /** Bootstrap resamples over release pairs. @default 9999 */
  resamples?: number;
  /** Confidence level. @default 0.95 */
  level?: number;
  /** The seed of bootstraps and random permutations. @default 0 */
  seed?: number;
  /** Exact permutation p-values up to this many pairs. @default 8 */
  exactMaxN?: number;
  /** Random permutations beyond `exactMaxN`. @default 10000 */
  permutations?: number;
}

/**
 * Correlate each dimension's eval deltas with each prod metric's deltas over release pairs.
 *
 * @param pairs Release pairs (from {@link releaseDeltas}).
 * @param directions Each metric's good direction (`"lower"` for thumbs-down).
 * @param options `minPairs`, `resamples`, `level`, `seed`, `exactMaxN`, `permutations`.
 * @returns `{ dimension: { metric: CorrelationCell } }`.
 *
 * @example Fewer than 5 pairs: not estimable
 * ```ts
 * import { correlateDeltas } from "./correlation.ts";
 * const cells = correlateDeltas([], { thumbs_down_rate: "lower" });
 * if (cells.correctness.thumbs_down_rate.pearson !== null) throw new Error();
 * if (!cells.correctness.thumbs_down_rate.reason?.startsWith("not estimable")) throw new Error();
 * ```
 */
export function correlateDeltas(
  pairs: readonly ReleasePair[],
  directions: Readonly<Record<string, MetricDirection>>,
  options: CorrelateDeltasOptions = {},
): Record<Dimension, Record<string, CorrelationCell>> {
  const { minPairs = 5, resamples = 9999, level = 0.95, seed = 0 } = options;
  const out = {} as Record<Dimension, Record<string, CorrelationCell>>;
  for (const d of pairDimensions(pairs) as Dimension[]) {
    out[d] = {};
    for (const [m, direction] of Object.entries(directions)) {
      const x: number[] = [];
      const y: number[] = [];
      for (const p of pairs) {
        const pm = p.prod[m];
        if (pm) {
          x.push(p.eval[d].diff);
          y.push(pm.delta);
        }
      }
      out[d][m] = correlationCell(x, y, direction, {
        minPairs,
        resamples,
        level,
        seed,
        exactMaxN: options.exactMaxN,
        permutations: options.permutations,
      });
    }
  }
  return out;
}

/**
 * One correlation cell from eval deltas `x` (higher is better) and metric deltas `y`.
 *
 * @param x Eval deltas per release pair.
 * @param y Metric deltas, paired with `x`.
 * @param direction Which way of the metric is good.
 * @param options As {@link correlateDeltas}.
 * @returns The cell; values `null` with `reason` when not estimable.
 */
export function correlationCell(
  x: readonly number[],
  y: readonly number[],
  direction: MetricDirection,
  options: CorrelateDeltasOptions = {},
): CorrelationCell {
  const { minPairs = 5, resamples = 9999, level = 0.95, seed = 0 } = options;
  const n = x.length;
  const sign = direction === "lower" ? -1 : 1;
  let agree = 0;
  let counted = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.sign(x[i]);
    const g = Math.sign(y[i]) * sign;
    if (e !== 0 && g !== 0) {
      counted++;
      if (e === g) agree++;
    }
  }
  const empty: CorrelationCell = {
    n,
    pearson: null,
    spearman: null,
    pearson_ci: null,
    spearman_ci: null,
    p_value: null,
    spearman_p_value: null,
    p_exact: null,
    directional_agreement: null,
    agree,
    counted,
    oriented: null,
    oriented_ci: null,
  };
  if (n < minPairs) {
    return {
      ...empty,
      reason: `not estimable: ${n} release pair${n === 1 ? "" : "s"}, at least ${minPairs} needed`,
    };
  }
  const constant = new Set(x).size < 2
    ? "the eval deltas"
    : new Set(y).size < 2
    ? "the metric deltas"
    : null;
  if (constant) {
    return { ...empty, reason: `not estimable: ${constant} are all equal` };
  }
  const r = pearson(x, y);
  const rho = spearman(x, y);
  const pci = pairBootstrapCI(x, y, pearson, { resamples, level, seed });
  const sci = pairBootstrapCI(x, y, spearman, { resamples, level, seed });
  const perm = permutationTest(x, y, {
    seed,
    exactMaxN: options.exactMaxN,
    permutations: options.permutations,
  });
  return {
    n,
    pearson: r,
    spearman: rho,
    pearson_ci: [pci.lo, pci.hi],
    spearman_ci: [sci.lo, sci.hi],
    p_value: perm.pearson_p,
    spearman_p_value: perm.spearman_p,
    p_exact: perm.exact,
    directional_agreement: counted === 0 ? null : agree / counted,
    agree,
    counted,
    oriented: sign * r,
    oriented_ci: sign > 0 ? [pci.lo, pci.hi] : [-pci.hi, -pci.lo],
  };
}
