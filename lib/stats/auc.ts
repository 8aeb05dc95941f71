/**
 * The area under the ROC curve as the Mann–Whitney probability, its DeLong variance and
 * a seeded class-stratified bootstrap interval.
 *
 * The AUC of scores of positives against negatives is P(positive > negative) + ½·P(tie):
 * scikit-learn's `roc_auc_score(y, score)` and `U / (n₁·n₀)` of scipy's `mannwhitneyu`.
 * With weights, each pair counts `w_pos · w_neg` (as `roc_auc_score(…, sample_weight=w)`).
 *
 * @module
 */
import { checkFinite, checkLevel, checkResamples, checkSeed } from "./_check.ts";
import { sfc32 } from "./_random.ts";
import { normalQuantile } from "./_special.ts";
import { quantileSorted } from "./bootstrap.ts";

/** Weights of the two groups for {@link mannWhitneyAuc}. */
export interface AucOptions {
  /** One weight per positive (e.g. an inverse inclusion probability). @default all 1 */
  positiveWeights?: readonly number[];
  /** One weight per negative. @default all 1 */
  negativeWeights?: readonly number[];
}

function checkWeights(fn: string, name: string, w: readonly number[] | undefined, n: number) {
  if (w === undefined) return;
  if (w.length !== n) {
    throw new RangeError(
      `${fn}(): ${name} must hold one weight per score, got ${w.length} for ${n}`,
    );
  }
  for (let i = 0; i < n; i++) {
    if (!(Number.isFinite(w[i]) && w[i] > 0)) {
      throw new RangeError(`${fn}(): ${name}[${i}] must be a positive number, got ${w[i]}`);
    }
  }
}

/**
 * Per positive, the (weighted) share of negatives it beats, ties counting half:
 * DeLong's structural components V₁₀, and per negative the share of positives above it (V₀₁).
 */
function placements(
  pos: readonly number[],
  neg: readonly number[],
  wp: readonly number[] | undefined,
  wn: readonly number[] | undefined,
): { v10: Float64Array; v01: Float64Array; totalPos: number; totalNeg: number } {
  const all = [
    ...pos.map((s, i) => ({ s, pos: true, i, w: wp ? wp[i] : 1 })),
    ...neg.map((s, i) => ({ s, pos: false, i, w: wn ? wn[i] : 1 })),
  ].sort((a, b) => a.s - b.s);
  const totalPos = all.reduce((t, x) => t + (x.pos ? x.w : 0), 0);
  const totalNeg = all.reduce((t, x) => t + (x.pos ? 0 : x.w), 0);
  const v10 = new Float64Array(pos.length);
  const v01 = new Float64Array(neg.length);
  let negBelow = 0;
  let posBelow = 0;
  for (let start = 0; start < all.length;) {
    let end = start;
    let negHere = 0;
    let posHere = 0;
    while (end < all.length && all[end].s === all[start].s) {
      if (all[end].pos) posHere += all[end].w;
      else negHere += all[end].w;
      end++;
    }
    for (let k = start; k < end; k++) {
      const x = all[k];
      if (x.pos) v10[x.i] = (negBelow + negHere / 2) / totalNeg;
      else v01[x.i] = (totalPos - posBelow - posHere + posHere / 2) / totalPos;
    }
    negBelow += negHere;
    posBelow += posHere;
    start = end;
  }
  return { v10, v01, totalPos, totalNeg };
}

/**
 * The Mann–Whitney AUC: the probability that a positive scores above a negative, ties
 * counting half (weighted when weights are given).
 *
 * Edge cases: `NaN` when either group is empty; 0.5 when every score is equal.
 *
 * @param positives Scores of the positive group (e.g. answers not thumbed down).
 * @param negatives Scores of the negative group (e.g. answers thumbed down).
 * @param options Optional weights per score.
 * @returns The AUC in [0, 1], or `NaN`.
 * @throws {RangeError} On a non-finite score or a weight that is not positive.
 *
 * @example
 * ```ts
 * import { mannWhitneyAuc } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(mannWhitneyAuc([3, 4, 5], [1, 2]), 1);
 * assert.equal(mannWhitneyAuc([2, 3], [2, 1]), 0.875);
 * assert.equal(mannWhitneyAuc([3, 3], [3]), 0.5);
 * ```
 */
export function mannWhitneyAuc(
  positives: readonly number[],
  negatives: readonly number[],
  options: AucOptions = {},
): number {
  checkFinite("mannWhitneyAuc", "positives", positives);
  checkFinite("mannWhitneyAuc", "negatives", negatives);
  checkWeights("mannWhitneyAuc", "positiveWeights", options.positiveWeights, positives.length);
  checkWeights("mannWhitneyAuc", "negativeWeights", options.negativeWeights, negatives.length);
  if (positives.length === 0 || negatives.length === 0) return NaN;
  const { v10, totalPos } = placements(
    positives,
    negatives,
    options.positiveWeights,
    options.negativeWeights,
  );
  let sum = 0;
  for (let i = 0; i < v10.length; i++) sum += v10[i] * (options.positiveWeights?.[i] ?? 1);
  return sum / totalPos;
}

/** Options for {@link delongAuc}. */
export interface DelongOptions {
  /** The confidence level. @default 0.95 */
  level?: number;
}

/** An AUC with its DeLong variance and normal-theory interval. */
export interface DelongResult {
  auc: number;
  /** DeLong, DeLong & Clarke-Pearson (1988): S₁₀/n₁ + S₀₁/n₀. */
  variance: number;
  se: number;
  /** `auc ± z·se`, clipped to [0, 1]. */
  lo: number;
  hi: number;
  level: number;
}

function sampleVarianceOf(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m += v[i];
  m /= v.length;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] - m) ** 2;
  return s / (v.length - 1);
}

/**
 * The AUC with DeLong's variance (structural components, each with an n − 1
 * denominator) and the interval `auc ± z·se` clipped to [0, 1].
 *
 * Edge cases: everything `NaN` when a group is empty; variance and interval `NaN` when a
 * group holds one score; variance 0 (a zero-width interval) when every score is equal.
 *
 * @param positives Scores of the positive group.
 * @param negatives Scores of the negative group.
 * @param options `level`.
 * @returns `{ auc, variance, se, lo, hi, level }`.
 * @throws {RangeError} On a non-finite score or a level outside (0, 1).
 *
 * @example
 * ```ts
 * import { delongAuc } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const r = delongAuc([3, 4, 4, 5, 2, 5], [1, 2, 3, 2, 4]);
 * assert.ok(r.lo < r.auc && r.auc < r.hi);
 * ```
 */
export function delongAuc(
  positives: readonly number[],
  negatives: readonly number[],
  options: DelongOptions = {},
): DelongResult {
  const { level = 0.95 } = options;
  checkLevel("delongAuc", level);
  checkFinite("delongAuc", "positives", positives);
  checkFinite("delongAuc", "negatives", negatives);
  const n1 = positives.length;
  const n0 = negatives.length;
  if (n1 === 0 || n0 === 0) {
    return { auc: NaN, variance: NaN, se: NaN, lo: NaN, hi: NaN, level };
  }
  const { v10, v01 } = placements(positives, negatives, undefined, undefined);
  let auc = 0;
  for (let i = 0; i < n1; i++) auc += v10[i];
  auc /= n1;
  const variance = n1 < 2 || n0 < 2 ? NaN : sampleVarianceOf(v10) / n1 + sampleVarianceOf(v01) / n0;
  const se = Math.sqrt(variance);
  const z = normalQuantile(1 - (1 - level) / 2);
  return {
    auc,
    variance,
    se,
    lo: Number.isNaN(se) ? NaN : Math.max(0, auc - z * se),
    hi: Number.isNaN(se) ? NaN : Math.min(1, auc + z * se),
    level,
  };
}

/** Options for {@link aucBootstrapCI}. */
export interface AucBootstrapOptions extends AucOptions {
  /** Bootstrap resamples. @default 2000 */
  resamples?: number;
  /** The confidence level. @default 0.95 */
  level?: number;
  /** The seed (a safe integer). @default 0 */
  seed?: number;
}

/** A bootstrap interval of an AUC. */
export interface AucBootstrapResult {
  estimate: number;
  lo: number;
  hi: number;
  level: number;
  resamples: number;
  method: "stratified percentile";
}

const TWO_POW_32 = 4294967296;

/**
 * A seeded bootstrap percentile interval of the (weighted) AUC, resampling the positives
 * and the negatives separately, so every resample keeps both groups' sizes.
 *
 * Edge cases: `NaN` bounds when a group is empty.
 *
 * @param positives Scores of the positive group.
 * @param negatives Scores of the negative group.
 * @param options Weights, `resamples`, `level`, `seed`.
 * @returns `{ estimate, lo, hi, level, resamples, method }`.
 * @throws {RangeError} On bad scores, weights or options.
 *
 * @example
 * ```ts
 * import { aucBootstrapCI } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const ci = aucBootstrapCI([3, 4, 4, 5, 2, 5], [1, 2, 3, 2, 4], { resamples: 500, seed: 1 });
 * assert.ok(ci.lo <= ci.estimate && ci.estimate <= ci.hi);
 * ```
 */
export function aucBootstrapCI(
  positives: readonly number[],
  negatives: readonly number[],
  options: AucBootstrapOptions = {},
): AucBootstrapResult {
  const { resamples = 2000, level = 0.95, seed = 0 } = options;
  checkResamples("aucBootstrapCI", resamples);
  checkLevel("aucBootstrapCI", level);
  checkSeed("aucBootstrapCI", seed);
  const estimate = mannWhitneyAuc(positives, negatives, options);
  const result = { estimate, lo: NaN, hi: NaN, level, resamples, method: "stratified percentile" };
  if (Number.isNaN(estimate)) return result as AucBootstrapResult;
  const next = sfc32(seed, 15);
  const draw = (scores: readonly number[], weights: readonly number[] | undefined) => {
    const s = new Array<number>(scores.length);
    const w = new Array<number>(scores.length);
    for (let i = 0; i < scores.length; i++) {
      const k = Math.floor((next() * scores.length) / TWO_POW_32);
      s[i] = scores[k];
      w[i] = weights ? weights[k] : 1;
    }
    return { s, w };
  };
  const thetas = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    const p = draw(positives, options.positiveWeights);
    const q = draw(negatives, options.negativeWeights);
    thetas[b] = mannWhitneyAuc(p.s, q.s, { positiveWeights: p.w, negativeWeights: q.w });
  }
  thetas.sort();
  const alpha = (1 - level) / 2;
  return {
    ...result,
    lo: quantileSorted(thetas, alpha),
    hi: quantileSorted(thetas, 1 - alpha),
    method: "stratified percentile",
  };
}
