/**
 * The honest release comparison: per dimension, never combined. Pure
 * functions from two runs' paired scores (see {@link pairJudgments}) to the
 * numbers a release decision needs.
 *
 * Per dimension:
 * - the baseline's and the candidate's mean over the items both judged `ok`;
 * - the paired mean difference (candidate − baseline) with a seeded 95% BCa
 *   bootstrap interval and a two-sided sign-flip permutation p-value
 *   ({@link pairedDifference});
 * - win / tie / loss counts (items where the candidate scored higher / the
 *   same / lower);
 * - a verdict read off the interval: `improved` when it lies above 0,
 *   `regressed` when below, `no detectable change` when it holds 0;
 * - the minimum detectable difference at 80% power for this n
 *   ({@link minimumDetectableDifference}): a true change smaller than it is
 *   likely to come out as "no detectable change";
 * - prod-weighted means (post-stratified with the prod mix, see
 *   {@link postStratify}) beside the raw ones.
 *
 * When the items carry unequal inclusion weights (`sample --oversample`), every
 * estimate that describes prod is weighted (see lib/compare/weighted.ts): the means,
 * the difference and its interval (a bootstrap resampling items with their weights),
 * the p-value (sign flips of the weighted differences), the MDD (weighted sd, Kish's
 * effective n), the post-stratified means, the strata, the confidently-wrong and hedge
 * rates. Win / tie / loss stay counts of items. Without weights nothing changes.
 *
 * Besides: the per-stratum breakdown (the same paired comparison within each
 * stratum: read it as description, five dimensions times several strata is
 * many intervals, and some will exclude 0 by chance), the confidently-wrong
 * rate (correctness ≤ 2 and calibration ≤ 2, by the judge) and the hedge rate
 * (from the response text, see {@link hedges}) of both runs.
 *
 * No composite score is computed anywhere.
 *
 * @module
 */
import type { Dimension } from "../schemas.ts";
import { pairedDifference } from "../stats/paired.ts";
import { normalQuantile } from "../stats/_special.ts";
import type { PairedScores } from "./pair.ts";
import { hedges } from "./hedge.ts";
import { kishEffectiveN, weightedPairedDifference, weightedSd } from "./weighted.ts";

/** The verdict on one dimension. */
export type Verdict = "improved" | "regressed" | "no detectable change";

/** Options for {@link comparePaired}. */
export interface ComparePairedOptions {
  /** Seed of the bootstrap and the permutation test. @default 0 */
  seed?: number;
  /** Bootstrap resamples and Monte Carlo sign flips. @default 9999 */
  resamples?: number;
  /** Confidence level of the intervals. @default 0.95 */
  level?: number;
  /** Power at which the minimum detectable difference is given. @default 0.8 */
  power?: number;
  /** Each item's stratum (item id → stratum). @default none: no strata, no prod weighting */
  strata?: ReadonlyMap<string, string> | null;
  /** The prod mix (stratum → share) to post-stratify with. @default none */
  mix?: Readonly<Record<string, number>> | null;
  /** Each run's response text per item, for the hedge rate. @default none */
  responses?: {
    baseline: ReadonlyMap<string, string>;
    candidate: ReadonlyMap<string, string>;
  } | null;
  /**
   * Each item's inclusion weight (item id → weight, from `sample --oversample`); unequal
   * weights make every prod estimate weighted. @default none: unweighted
   */
  weights?: ReadonlyMap<string, number> | null;
  /**
   * The scores' scale. The confidently-wrong and hedge rates cut at the kit's 1–5 anchors
   * (≤ 2 wrong, ≥ 4 right), so they are given only on 1–5. @default 1–5
   */
  scale?: { min: number; max: number };
}

/** The inclusion weights as used. */
export interface WeightUse {
  /** Paired items, all weighted. */
  items: number;
  min: number;
  max: number;
  /** Kish's effective sample size (Σ w)² / Σ w². */
  effective_n: number;
}

/** A paired comparison of one measure. */
export interface PairedStat {
  n: number;
  baseline_mean: number;
  candidate_mean: number;
  /** mean(candidate − baseline). */
  diff: number;
  ci: [number, number];
  p_value: number;
  /** Whether the p-value is exact (all sign flips) rather than Monte Carlo. */
  p_exact: boolean;
  verdict: Verdict;
}

/** Prod-weighted (post-stratified) means of one dimension. */
export interface WeightedStat {
  baseline_mean: number;
  candidate_mean: number;
  diff: number;
  /** Normal-approximation interval from the stratified variance Σ w² s²/n. */
  ci: [number, number];
}

/** One dimension's comparison. */
export interface DimensionComparison extends PairedStat {
  /** diff / baseline_mean: the "x% better" that must survive the interval. */
  diff_relative: number | null;
  wins: number;
  ties: number;
  losses: number;
  /** Sample standard deviation of the paired differences. */
  sd_diff: number;
  /** The smallest true difference this n detects with `power` at the level's α (paired, normal approximation). */
  mdd: number | null;
  /** Raw means beside prod-weighted ones; null without strata and a prod mix. */
  prod_weighted: WeightedStat | null;
}

/** One run's rate of a yes/no property over the paired items. */
export interface RateComparison {
  baseline: number;
  candidate: number;
  baseline_count: number;
  candidate_count: number;
  /** The paired comparison of the 0/1 indicators: diff, CI, p-value. */
  diff: number;
  ci: [number, number];
  p_value: number;
}

/** Hedge rates of one run. */
export interface HedgeRates {
  /** Share of responses that hedge. */
  rate: number;
  /** Share among answers the judge scored correct (correctness ≥ 4): needless hedging. */
  among_correct: number | null;
  /** Share among answers the judge scored wrong (correctness ≤ 2): honest hedging. */
  among_wrong: number | null;
  n: number;
}

/** The prod mix as applied. */
export interface MixUse {
  /** The shares used, renormalised over the strata the paired items cover. */
  weights: Record<string, number>;
  /** Mix strata without any paired item, and their share (left out of the weighting). */
  uncovered: Record<string, number>;
  /** Paired items whose stratum is not in the mix (left out of the weighting). */
  unweighted_items: number;
}

/** What {@link comparePaired} finds. */
export interface PairedComparison {
  n: number;
  dimensions: Record<Dimension, DimensionComparison>;
  /** How the prod mix was applied; null without strata and a mix. */
  mix: MixUse | null;
  /** Per stratum: its n, its share of the paired items, the prod share, and each dimension's paired comparison (null when n < 2). */
  strata:
    | Record<string, {
      n: number;
      share_eval: number;
      share_prod: number | null;
      dimensions: Record<Dimension, PairedStat | null>;
    }>
    | null;
  /** Correctness ≤ 2 and calibration ≤ 2. */
  /** Null when the runs' dimensions lack correctness or calibration (an own rubric). */
  confidently_wrong: RateComparison | null;
  /** From the response text; null without the responses. */
  hedge_rate: { baseline: HedgeRates; candidate: HedgeRates } | null;
  /** Present only when the items carry unequal inclusion weights and the estimates use them. */
  weights?: WeightUse;
}

/**
 * The minimum detectable difference of a paired comparison: the smallest true
 * mean difference that a two-sided test at level α detects with the given
 * power, by the normal approximation
 * `MDD = (z₁₋α/₂ + z_power) · sd(diff) / √n` (≈ 2.80 · sd / √n at α = 0.05 and 80%).
 *
 * @param sdDiff The standard deviation of the paired differences.
 * @param n The number of pairs.
 * @param options `level` (1 − α, default 0.95) and `power` (default 0.8).
 * @returns The MDD, or null when n < 2.
 *
 * @example
 * ```ts
 * import { minimumDetectableDifference } from "./compare.ts";
 * const mdd = minimumDetectableDifference(1, 100)!;
 * if (Math.abs(mdd - 0.2802) > 1e-4) throw new Error(String(mdd));
 * ```
 */
export function minimumDetectableDifference(
  sdDiff: number,
  n: number,
  options: { level?: number; power?: number } = {},
): number | null {
  const level = options.level ?? 0.95;
  const power = options.power ?? 0.8;
  if (n < 2 || !Number.isFinite(sdDiff)) return null;
  const z = normalQuantile(1 - (1 - level) / 2) + normalQuantile(power);
  return (z * sdDiff) / Math.sqrt(n);
}

/**
 * Post-stratified means: the mean of each stratum, weighted by its prod
 * share. Strata of the mix with no value are left out and the other weights
 * renormalised; values whose stratum is not in the mix are left out.
 *
 * @param values The values (e.g. one dimension's scores or paired differences).
 * @param strata Each value's stratum, aligned with `values`.
 * @param mix The prod mix, stratum → share.
 * @param options `weights`: each value's inclusion weight; the stratum means are then
 * weighted means, and their variance n/(n − 1) · Σ wᵢ²(xᵢ − m)² / (Σ wᵢ)². @default unweighted
 * @returns The weighted mean, its standard error (Σ w² s²/n, 0 for a stratum of one value), and the mix as applied.
 *
 * @example
 * ```ts
 * import { postStratify } from "./compare.ts";
 * // The eval set over-samples "b" (half the items), prod is 80/20.
 * const r = postStratify([1, 1, 5, 5], ["a", "a", "b", "b"], { a: 0.8, b: 0.2 });
 * if (Math.abs(r.mean - 1.8) > 1e-12) throw new Error(String(r.mean));
 * ```
 */
export function postStratify(
  values: readonly number[],
  strata: readonly string[],
  mix: Readonly<Record<string, number>>,
  options: { weights?: readonly number[] | null } = {},
): { mean: number; se: number; use: MixUse } {
  const groups = new Map<string, number[]>();
  const groupWeights = new Map<string, number[]>();
  let unweighted = 0;
  values.forEach((v, i) => {
    const s = strata[i];
    if (!(s in mix)) {
      unweighted++;
      return;
    }
    const g = groups.get(s) ?? [];
    g.push(v);
    groups.set(s, g);
    if (options.weights) {
      const gw = groupWeights.get(s) ?? [];
      gw.push(options.weights[i]);
      groupWeights.set(s, gw);
    }
  });
  const covered = Object.keys(mix).filter((s) => groups.has(s));
  const uncovered: Record<string, number> = {};
  for (const s of Object.keys(mix)) if (!groups.has(s)) uncovered[s] = mix[s];
  const total = covered.reduce((a, s) => a + mix[s], 0);
  if (covered.length === 0 || total <= 0) {
    throw new RangeError("postStratify(): no value falls in a stratum of the mix");
  }
  const weights: Record<string, number> = {};
  let mean = 0;
  let variance = 0;
  for (const s of covered) {
    const w = mix[s] / total;
    weights[s] = w;
    const g = groups.get(s)!;
    if (options.weights) {
      const stratum = weightedStratumMean(g, groupWeights.get(s)!);
      mean += w * stratum.mean;
      variance += w * w * stratum.variance;
      continue;
    }
    const m = g.reduce((a, b) => a + b, 0) / g.length;
    mean += w * m;
    if (g.length > 1) {
      const v = g.reduce((a, b) => a + (b - m) ** 2, 0) / (g.length - 1);
      variance += (w * w * v) / g.length;
    }
  }
  return {
    mean,
    se: Math.sqrt(variance),
    use: { weights, uncovered, unweighted_items: unweighted },
  };
}

/** A stratum's weighted mean and the variance of that mean (0 for one value). */
function weightedStratumMean(
  values: readonly number[],
  weights: readonly number[],
): { mean: number; variance: number } {
  const n = values.length;
  const sw = weights.reduce((a, b) => a + b, 0);
  const mean = values.reduce((a, v, i) => a + weights[i] * v, 0) / sw;
  if (n < 2) return { mean, variance: 0 };
  const ss = values.reduce((a, v, i) => a + (weights[i] * (v - mean)) ** 2, 0);
  return { mean, variance: (n / (n - 1)) * ss / (sw * sw) };
}

/**
 * The verdict an interval gives: above 0, below 0, or holding 0.
 *
 * @example
 * ```ts
 * import { verdictOf } from "./compare.ts";
 * if (verdictOf([0.05, 0.2]) !== "improved" || verdictOf([-0.1, 0.2]) !== "no detectable change") throw new Error();
 * ```
 */
export function verdictOf(ci: readonly [number, number]): Verdict {
  if (ci[0] > 0) return "improved";
  if (ci[1] < 0) return "regressed";
  return "no detectable change";
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function sampleSd(values: readonly number[]): number {
  if (values.length < 2) return NaN;
  const m = mean(values);
  return Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1));
}

/** The paired difference, weighted when weights are given. */
function difference(
  a: readonly number[],
  b: readonly number[],
  options: StatOptions,
  weights: readonly number[] | null,
) {
  return weights
    ? weightedPairedDifference(a, b, weights, options)
    : pairedDifference(a, b, options);
}

function pairedStat(
  a: readonly number[],
  b: readonly number[],
  options: StatOptions,
  weights: readonly number[] | null = null,
): PairedStat {
  const r = difference(a, b, options, weights);
  return {
    n: r.n,
    baseline_mean: r.mean_a,
    candidate_mean: r.mean_b,
    diff: r.diff,
    ci: r.ci,
    p_value: r.p_value,
    p_exact: r.exact,
    verdict: verdictOf(r.ci),
  };
}

function rateComparison(
  a: readonly number[],
  b: readonly number[],
  options: StatOptions,
  weights: readonly number[] | null,
): RateComparison {
  const r = difference(a, b, options, weights);
  return {
    baseline: r.mean_a,
    candidate: r.mean_b,
    baseline_count: a.filter((x) => x === 1).length,
    candidate_count: b.filter((x) => x === 1).length,
    diff: r.diff,
    ci: r.ci,
    p_value: r.p_value,
  };
}

function hedgeRates(
  items: readonly string[],
  texts: ReadonlyMap<string, string>,
  correctness: readonly number[],
  weights: readonly number[] | null,
): HedgeRates {
  const hedged = items.map((id) => hedges(texts.get(id) ?? ""));
  if (weights) {
    const share = (keep: (c: number) => boolean) => {
      const idx = hedged.flatMap((_, i) => (keep(correctness[i]) ? [i] : []));
      const sw = idx.reduce((a, i) => a + weights[i], 0);
      return idx.length === 0
        ? null
        : idx.reduce((a, i) => a + (hedged[i] ? weights[i] : 0), 0) / sw;
    };
    return {
      rate: share(() => true) ?? 0,
      among_correct: share((c) => c >= 4),
      among_wrong: share((c) => c <= 2),
      n: hedged.length,
    };
  }
  const share = (keep: (c: number) => boolean) => {
    const picked = hedged.filter((_, i) => keep(correctness[i]));
    return picked.length === 0 ? null : picked.filter(Boolean).length / picked.length;
  };
  return {
    rate: hedged.filter(Boolean).length / Math.max(1, hedged.length),
    among_correct: share((c) => c >= 4),
    among_wrong: share((c) => c <= 2),
    n: hedged.length,
  };
}

/**
 * Compare two runs' paired scores dimension by dimension.
 *
 * @param paired The two runs aligned by item (see {@link pairJudgments}).
 * @param options Seed, resamples, level, power; strata, prod mix and responses when known.
 * @returns Per dimension the means, the paired difference with CI and p-value, wins/ties/losses,
 * verdict and MDD; prod-weighted means; strata; confidently-wrong and hedge rates. No composite.
 * @throws {RangeError} When fewer than 2 items are paired.
 *
 * @example
 * ```ts
 * import { comparePaired } from "./compare.ts";
 * import { pairJudgments } from "./pair.ts";
 * const j = (item_id: string, c: number, r: number) => ({ item_id, judge_model: "m",
 *   prompt_sha256: "0".repeat(64), rationale: "", usage: { prompt_tokens: 0, completion_tokens: 0 },
 *   status: "ok" as const, scores: { correctness: c, relevance: r, clarity: 3, calibration: 3, length: 3 } });
 * const ids = Array.from({ length: 30 }, (_, i) => `q${i}`);
 * const paired = pairJudgments(ids.map((id) => j(id, 3, 4)), ids.map((id, i) => j(id, 4, i % 2 ? 4 : 3)));
 * const c = comparePaired(paired, { resamples: 999 });
 * if (c.dimensions.correctness.verdict !== "improved") throw new Error("correctness");
 * if (c.dimensions.relevance.verdict !== "regressed") throw new Error("relevance");
 * if (c.dimensions.clarity.verdict !== "no detectable change") throw new Error("clarity");
 * ```
 */
export function comparePaired(
  paired: PairedScores,
  options: ComparePairedOptions = {},
): PairedComparison {
  const n = paired.items.length;
  if (n < 2) {
    throw new RangeError(`comparePaired(): needs at least 2 items judged in both runs, got ${n}`);
  }
  const stat = {
    seed: options.seed ?? 0,
    resamples: options.resamples ?? 9999,
    level: options.level ?? 0.95,
  };
  const power = options.power ?? 0.8;
  const strataOf = options.strata
    ? paired.items.map((id) => options.strata!.get(id) ?? "(none)")
    : null;
  const mix = options.mix && strataOf ? options.mix : null;
  const w = itemWeights(paired.items, options.weights);
  let mixUse: MixUse | null = null;

  const dimensions = {} as Record<Dimension, DimensionComparison>;
  const dims = Object.keys(paired.baseline) as Dimension[];
  for (const d of dims) {
    const a = paired.baseline[d];
    const b = paired.candidate[d];
    const weighted = mix && strataOf ? prodWeighted(a, b, strataOf, mix, stat.level, w) : null;
    if (weighted) mixUse = weighted.use;
    dimensions[d] = dimensionComparison(a, b, weighted?.stat ?? null, { ...stat, power }, w);
  }
  const strata = strataOf ? strataBreakdown(paired, dims, strataOf, mixUse, stat, w) : null;
  const onFive = (options.scale?.min ?? 1) === 1 && (options.scale?.max ?? 5) === 5;
  const kit = onFive && dims.includes("correctness" as Dimension) &&
    dims.includes("calibration" as Dimension);
  return {
    n,
    dimensions,
    mix: mixUse,
    strata,
    confidently_wrong: kit ? confidentlyWrong(paired, stat, w) : null,
    hedge_rate: options.responses && kit ? hedgeRatesOf(paired, options.responses, w) : null,
    ...(w ? { weights: weightUse(w) } : {}),
  };
}

type StatOptions = { seed: number; resamples: number; level: number };

/**
 * The paired items' weights, or null when there are none or all are equal (then the
 * unweighted estimators give the same estimates).
 *
 * @throws {RangeError} When some paired items have a weight and others do not.
 */
function itemWeights(
  items: readonly string[],
  weights: ReadonlyMap<string, number> | null | undefined,
): number[] | null {
  if (!weights || weights.size === 0) return null;
  const missing = items.filter((id) => !weights.has(id));
  if (missing.length) {
    throw new RangeError(
      `comparePaired(): ${missing.length} paired items have no inclusion weight (e.g. "${
        missing[0]
      }"); an eval set's items carry a weight all or none`,
    );
  }
  const w = items.map((id) => weights.get(id)!);
  return w.every((x) => x === w[0]) ? null : w;
}

function weightUse(w: readonly number[]): WeightUse {
  return {
    items: w.length,
    min: Math.min(...w),
    max: Math.max(...w),
    effective_n: kishEffectiveN(w),
  };
}

/** One dimension's paired comparison: the difference, wins/ties/losses, MDD, prod-weighted means. */
function dimensionComparison(
  a: readonly number[],
  b: readonly number[],
  weighted: WeightedStat | null,
  options: StatOptions & { power: number },
  w: readonly number[] | null,
): DimensionComparison {
  const diffs = a.map((x, i) => b[i] - x);
  const base = pairedStat(a, b, options, w);
  const sd = w ? weightedSd(diffs, w) : sampleSd(diffs);
  const n = w ? kishEffectiveN(w) : a.length;
  return {
    ...base,
    diff_relative: base.baseline_mean === 0 ? null : base.diff / base.baseline_mean,
    wins: diffs.filter((x) => x > 0).length,
    ties: diffs.filter((x) => x === 0).length,
    losses: diffs.filter((x) => x < 0).length,
    sd_diff: sd,
    mdd: minimumDetectableDifference(sd, n, { level: options.level, power: options.power }),
    prod_weighted: weighted,
  };
}

/** Post-stratified means of both runs and of the differences, with a normal interval. */
function prodWeighted(
  a: readonly number[],
  b: readonly number[],
  strataOf: readonly string[],
  mix: Readonly<Record<string, number>>,
  level: number,
  weights: readonly number[] | null,
): { stat: WeightedStat; use: MixUse } {
  const diffs = a.map((x, i) => b[i] - x);
  const wa = postStratify(a, strataOf, mix, { weights });
  const wb = postStratify(b, strataOf, mix, { weights });
  const wd = postStratify(diffs, strataOf, mix, { weights });
  const z = normalQuantile(1 - (1 - level) / 2);
  return {
    stat: {
      baseline_mean: wa.mean,
      candidate_mean: wb.mean,
      diff: wd.mean,
      ci: [wd.mean - z * wd.se, wd.mean + z * wd.se],
    },
    use: wd.use,
  };
}

/** The same paired comparison within each stratum (null for a dimension when the stratum has < 2 items). */
function strataBreakdown(
  paired: PairedScores,
  dims: readonly Dimension[],
  strataOf: readonly string[],
  mixUse: MixUse | null,
  stat: StatOptions,
  w: readonly number[] | null,
): NonNullable<PairedComparison["strata"]> {
  const strata: NonNullable<PairedComparison["strata"]> = {};
  for (const s of [...new Set(strataOf)].sort()) {
    const idx = strataOf.flatMap((x, i) => (x === s ? [i] : []));
    const perDim = {} as Record<Dimension, PairedStat | null>;
    for (const d of dims) {
      perDim[d] = idx.length < 2 ? null : pairedStat(
        idx.map((i) => paired.baseline[d][i]),
        idx.map((i) => paired.candidate[d][i]),
        stat,
        w ? idx.map((i) => w[i]) : null,
      );
    }
    strata[s] = {
      n: idx.length,
      share_eval: idx.length / strataOf.length,
      share_prod: mixUse ? (mixUse.weights[s] ?? null) : null,
      dimensions: perDim,
    };
  }
  return strata;
}

/** Both runs' rate of correctness ≤ 2 and calibration ≤ 2, compared pairwise. */
function confidentlyWrong(
  paired: PairedScores,
  stat: StatOptions,
  w: readonly number[] | null,
): RateComparison {
  const wrong = (c: readonly number[], k: readonly number[]) =>
    c.map((x, i) => (x <= 2 && k[i] <= 2 ? 1 : 0));
  return rateComparison(
    wrong(paired.baseline.correctness, paired.baseline.calibration),
    wrong(paired.candidate.correctness, paired.candidate.calibration),
    stat,
    w,
  );
}

function hedgeRatesOf(
  paired: PairedScores,
  responses: NonNullable<ComparePairedOptions["responses"]>,
  w: readonly number[] | null,
): { baseline: HedgeRates; candidate: HedgeRates } {
  return {
    baseline: hedgeRates(paired.items, responses.baseline, paired.baseline.correctness, w),
    candidate: hedgeRates(paired.items, responses.candidate, paired.candidate.correctness, w),
  };
}
