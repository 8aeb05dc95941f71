/**
 * Judge–human and human–human agreement per dimension, each figure with a
 * seeded bootstrap confidence interval, and a verdict: `ok`, or `recalibrate`
 * when the primary metric of the judge against the human mean is below the
 * threshold.
 *
 * The comparisons, per dimension:
 *
 * - `judge_vs_humans`: the judge against the human mean of each item (the
 *   consensus; an item rated by one person has that person's score). The verdict
 *   reads this one.
 * - `judge_vs_rater`: the judge against each rater alone, and `judge_vs_single`,
 *   their average over raters: the figure comparable with `human_vs_human`.
 * - `human_vs_human`: every pair of raters on the items both rated, averaged over
 *   pairs (`pairs` lists each pair).
 * - `alpha`: Krippendorff's alpha (ordinal) over all human raters, and
 *   `alpha_with_judge` with the judge as one more rater.
 * - `ceiling`: whether the judge agrees with a single human at least as well as the
 *   humans agree with each other (`judge_vs_single` ≥ `human_vs_human` on the primary
 *   metric): beyond that, a "better" judge cannot be told apart from noise.
 *
 * The metrics: `exact` (same score), `adjacent` (within one point), `qwk` (quadratic
 * weighted Cohen's kappa on the categories 1–5) and `spearman`. Against the human mean,
 * `adjacent` and `spearman` use the mean itself (|judge − mean| ≤ 1), while `exact` and
 * `qwk`, which need a category, use the mean rounded half to even (2.5 → 2, 3.5 → 4, as
 * numpy's `round`, so ties favour neither side).
 *
 * Why `adjacent` is the default primary metric: the practice's rule "agreement below
 * 0.80 → recalibrate" reads naturally as the share of items within one point of the
 * humans, which is what a 1–5 rubric can promise (two careful people rarely agree exactly
 * on 1–5 but nearly always within one point). It does not see a judge that is off by one
 * everywhere, so the report shows QWK and Spearman beside it; `--metric qwk` makes the
 * gate strict (QWK ≥ 0.8 is "almost perfect" agreement on Landis and Koch's scale).
 *
 * Intervals: the percentile bootstrap over items, the same seed for every figure (so
 * every figure resamples the same items: common random numbers). A figure that is not
 * estimable is `null` with a `reason` (no items; a constant side for Spearman; both sides
 * one and the same score for QWK); an interval needs at least 2 items.
 *
 * Pure: judgments and ratings in, a report out.
 *
 * @module
 */
import { type Dimension, DIMENSIONS, type HumanRating, type Judgment } from "../schemas.ts";
import {
  adjacentAgreement,
  bootstrapCI,
  cohenKappa,
  confusionMatrix,
  exactAgreement,
  krippendorffAlpha,
  pearson,
} from "../stats/mod.ts";
import {
  type ComparedItems,
  comparedItems,
  disagreementOf,
  disagreementOrder,
  indexRatings,
  raterCoverage,
  type RatingIndex,
  round4,
} from "./_items.ts";

/**
 * The agreement metrics, in report order.
 *
 * @example
 * ```ts
 * import { AGREEMENT_METRICS } from "./compute.ts";
 * if (AGREEMENT_METRICS.join() !== "exact,adjacent,qwk,spearman") throw new Error();
 * ```
 */
export const AGREEMENT_METRICS = ["exact", "adjacent", "qwk", "spearman"] as const;
/** One agreement metric. */
export type AgreementMetric = typeof AGREEMENT_METRICS[number];

/**
 * The score categories.
 *
 * @example
 * ```ts
 * import { SCORE_LABELS } from "./compute.ts";
 * if (SCORE_LABELS.length !== 5 || SCORE_LABELS[0] !== 1) throw new Error();
 * ```
 */
export const SCORE_LABELS: readonly number[] = [1, 2, 3, 4, 5];

/** A figure with its confidence interval; `null` with a `reason` when not estimable. */
export interface Estimate {
  value: number | null;
  /** `[lo, hi]` at the report's level; `[null, null]` when there is no interval. */
  ci: [number | null, number | null];
  /** Items behind the figure. */
  n: number;
  /** Why `value` or `ci` is null. */
  reason?: string;
}

/** The four metrics of one comparison. */
export interface MetricSet {
  /** Items compared. */
  n: number;
  exact: Estimate;
  adjacent: Estimate;
  qwk: Estimate;
  spearman: Estimate;
}

/** Human–human agreement: averaged over rater pairs, and each pair. */
export interface HumanAgreement extends MetricSet {
  pairs: ({ raters: [string, string] } & MetricSet)[];
}

/** A dimension's verdict. */
export type AgreementVerdict = "ok" | "recalibrate" | "undetermined";

/** Agreement on one dimension. */
export interface DimensionAgreement {
  /** `ok`; `recalibrate` when the primary metric is below the threshold; `undetermined` when it cannot be estimated. */
  verdict: AgreementVerdict;
  /** The primary metric and its figure (judge vs the human mean). */
  metric: AgreementMetric;
  value: number | null;
  ci: [number | null, number | null];
  /** The interval's lower end is below the threshold (even when the verdict is `ok`). */
  ci_below_threshold: boolean | null;
  judge_vs_humans: MetricSet;
  judge_vs_rater: Record<string, MetricSet>;
  judge_vs_single: MetricSet;
  human_vs_human: HumanAgreement;
  /** Krippendorff's alpha, ordinal, over the human raters. */
  alpha: Estimate;
  /** The same with the judge as one more rater. */
  alpha_with_judge: Estimate;
  ceiling: {
    metric: AgreementMetric;
    judge: number | null;
    humans: number | null;
    reaches: boolean | null;
  };
  /** Judge mean, human mean and their difference (judge − humans) on the compared items. */
  means: { judge: number | null; humans: number | null; diff: number | null };
  /** Counts: rows are the judge's score 1–5, columns the human mean (rounded half to even) 1–5. */
  confusion: number[][];
  /** Items where the judge and the human mean differ by 2 or more. */
  disagreements: number;
}

/** One item where the judge and the humans differ by 2 or more on a dimension. */
export interface Disagreement {
  item_id: string;
  dimension: Dimension;
  judge: number;
  human_mean: number;
  /** judge − human mean. */
  gap: number;
  humans: Record<string, number>;
  rationale: string;
  notes: Record<string, string>;
}

/** Options for {@link computeAgreement}. */
export interface AgreementOptions {
  /** The primary metric the verdict reads. @default "adjacent" */
  metric?: AgreementMetric;
  /** The verdict's threshold on the primary metric. @default 0.8 */
  threshold?: number;
  /** Bootstrap resamples per interval. @default 2000 */
  resamples?: number;
  /** The intervals' confidence level. @default 0.95 */
  level?: number;
  /** The bootstrap seed (a safe integer). @default 0 */
  seed?: number;
  /** The smallest |judge − human mean| listed as a disagreement. @default 2 */
  disagreementGap?: number;
  /** The dimensions compared, in report order (from the run's manifest). @default the five */
  dimensions?: readonly string[];
  /** The scale's categories, lowest first. @default 1–5 */
  labels?: readonly number[];
}

/** The agreement of one judge run with human ratings. */
export interface AgreementReport {
  metric: AgreementMetric;
  threshold: number;
  level: number;
  resamples: number;
  seed: number;
  /** `recalibrate` when any dimension is not `ok`. */
  verdict: "ok" | "recalibrate";
  /** Dimensions whose verdict is not `ok`. */
  recalibrate: Dimension[];
  raters: string[];
  items: {
    /** Items with at least one human rating. */
    rated: number;
    /** Rated items the judge scored (judged ok): the items compared. */
    compared: number;
    /** Compared items per rater. */
    per_rater: Record<string, number>;
    /** Compared items rated by 2 or more raters. */
    overlap: number;
    /** Rated items the run did not judge, or whose judgment failed. */
    left_out: { not_in_run: number; judge_failed: number };
  };
  dimensions: Record<Dimension, DimensionAgreement>;
  /** Every disagreement, by dimension, then largest gap, then item. */
  disagreements: Disagreement[];
}

/** One item of one dimension: the judge's score and each rater's (null when unrated). */
interface Row {
  judge: number | null;
  humans: (number | null)[];
}

/** Aligned scores of one comparison: `a` against `raw` (`cat` is `raw` as a category). */
interface Pairing {
  a: number[];
  raw: number[];
  cat: number[];
}

/**
 * Round half to even, as numpy's `round`: how a human mean becomes a category.
 *
 * @example
 * ```ts
 * import { roundHalfEven } from "./compute.ts";
 * if ([2.5, 3.5, 3.4].map(roundHalfEven).join() !== "2,4,3") throw new Error("unexpected");
 * ```
 */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

function meanOf(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/**
 * Average ranks (ties share the mean of the ranks they span) by counting the few distinct
 * values that scores and score means take, instead of sorting every value: O(n + k log k)
 * for k distinct values. The ranks equal `rank()` of lib/stats exactly.
 */
function countingRanks(values: readonly number[]): number[] {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const rankOf = new Map<number, number>();
  let below = 0;
  for (const v of [...counts.keys()].sort((a, b) => a - b)) {
    const c = counts.get(v)!;
    rankOf.set(v, below + (c + 1) / 2);
    below += c;
  }
  return values.map((v) => rankOf.get(v)!);
}

/**
 * Spearman's rho as lib/stats `spearman` (Pearson's r of average ranks, `NaN` for fewer than
 * 2 pairs or a constant side), with ranks by counting: the bootstrap calls it thousands of
 * times on 1–5 scores, where sorting dominated the run time. Bit-identical to `spearman`
 * (tests/agreement_test.ts checks it).
 *
 * @example
 * ```ts
 * import { spearmanOfScores } from "./compute.ts";
 * import { spearman } from "../stats/mod.ts";
 * const a = [1, 2, 2, 3, 5, 4, 4, 1];
 * const b = [1.5, 2, 3, 3, 5, 4.5, 4, 2];
 * if (spearmanOfScores(a, b) !== spearman(a, b)) throw new Error("differs from lib/stats");
 * ```
 */
export function spearmanOfScores(a: readonly number[], b: readonly number[]): number {
  if (a.length < 2) return NaN;
  return pearson(countingRanks(a), countingRanks(b));
}

function metricValue(
  metric: AgreementMetric,
  p: Pairing,
  labels: readonly number[] = SCORE_LABELS,
): number {
  if (p.a.length === 0) return NaN;
  switch (metric) {
    case "exact":
      return exactAgreement(p.a, p.cat);
    case "adjacent":
      return adjacentAgreement(p.a, p.raw, 1);
    case "qwk":
      return cohenKappa(p.a, p.cat, { weights: "quadratic", labels: [...labels] });
    case "spearman":
      return spearmanOfScores(p.a, p.raw);
  }
}

const UNDEFINED_REASON: Record<AgreementMetric, string> = {
  exact: "no items",
  adjacent: "no items",
  qwk: "undefined: both sides gave one and the same score to every item",
  spearman: "undefined: one side's scores are constant (or fewer than 2 items)",
};

type Selector = (rows: readonly Row[]) => Pairing;

function judgeVsMean(rows: readonly Row[]): Pairing {
  const p: Pairing = { a: [], raw: [], cat: [] };
  for (const r of rows) {
    if (r.judge === null) continue;
    let s = 0;
    let k = 0;
    for (const h of r.humans) {
      if (h !== null) {
        s += h;
        k++;
      }
    }
    if (k === 0) continue;
    const m = s / k;
    p.a.push(r.judge);
    p.raw.push(m);
    p.cat.push(roundHalfEven(m));
  }
  return p;
}

function judgeVsRater(k: number): Selector {
  return (rows) => {
    const p: Pairing = { a: [], raw: [], cat: [] };
    for (const r of rows) {
      const h = r.humans[k];
      if (r.judge === null || h === null) continue;
      p.a.push(r.judge);
      p.raw.push(h);
      p.cat.push(h);
    }
    return p;
  };
}

function raterVsRater(k: number, l: number): Selector {
  return (rows) => {
    const p: Pairing = { a: [], raw: [], cat: [] };
    for (const r of rows) {
      const a = r.humans[k];
      const b = r.humans[l];
      if (a === null || b === null) continue;
      p.a.push(a);
      p.raw.push(b);
      p.cat.push(b);
    }
    return p;
  };
}

interface Ctx {
  resamples: number;
  level: number;
  seed: number;
  /** The scale's categories (QWK labels, confusion matrix). */
  labels: readonly number[];
}

function estimateOf(
  rows: readonly Row[],
  n: number,
  statistic: (sample: readonly Row[]) => number,
  undefinedReason: string,
  ctx: Ctx,
): Estimate {
  if (n === 0) return { value: null, ci: [null, null], n, reason: "no items" };
  const value = statistic(rows);
  if (Number.isNaN(value)) return { value: null, ci: [null, null], n, reason: undefinedReason };
  if (n < 2 || rows.length < 2) {
    return { value: round4(value), ci: [null, null], n, reason: "fewer than 2 items: no interval" };
  }
  const ci = bootstrapCI(rows, statistic, {
    resamples: ctx.resamples,
    level: ctx.level,
    seed: ctx.seed,
    method: "percentile",
  });
  if (Number.isNaN(ci.lo) || Number.isNaN(ci.hi)) {
    return {
      value: round4(value),
      ci: [null, null],
      n,
      reason: `no interval: ${ci.reason ?? "the statistic is undefined on some resamples"}`,
    };
  }
  return { value: round4(value), ci: [round4(ci.lo), round4(ci.hi)], n };
}

/** The four metrics of one pairing, bootstrapped over the pairing's own items. */
function metricSet(rows: readonly Row[], select: Selector, ctx: Ctx): MetricSet {
  const own = rows.filter((r) => select([r]).a.length === 1);
  const n = own.length;
  const set = { n } as MetricSet;
  for (const m of AGREEMENT_METRICS) {
    set[m] = estimateOf(
      own,
      n,
      (s) => metricValue(m, select(s), ctx.labels),
      UNDEFINED_REASON[m],
      ctx,
    );
  }
  return set;
}

/** The four metrics averaged over pairings, bootstrapped over the union of their items. */
function averagedSet(rows: readonly Row[], selectors: readonly Selector[], ctx: Ctx): MetricSet {
  const present = selectors.filter((s) => s(rows).a.length > 0);
  const own = rows.filter((r) => present.some((s) => s([r]).a.length === 1));
  const n = own.length;
  const set = { n } as MetricSet;
  for (const m of AGREEMENT_METRICS) {
    const statistic = (sample: readonly Row[]) => {
      let sum = 0;
      let k = 0;
      for (const select of present) {
        const p = select(sample);
        if (p.a.length === 0) continue;
        sum += metricValue(m, p, ctx.labels);
        k++;
      }
      return k === 0 ? NaN : sum / k;
    };
    set[m] = estimateOf(
      own,
      present.length === 0 ? 0 : n,
      statistic,
      UNDEFINED_REASON[m],
      ctx,
    );
  }
  return set;
}

function alphaOf(rows: readonly Row[], withJudge: boolean): number {
  const raters = rows[0] ? rows[0].humans.length : 0;
  const data: (number | null)[][] = Array.from({ length: raters + (withJudge ? 1 : 0) }, () => []);
  for (const r of rows) {
    for (let k = 0; k < raters; k++) data[k].push(r.humans[k]);
    if (withJudge) data[raters].push(r.judge);
  }
  return krippendorffAlpha(data, { level: "ordinal" });
}

function alphaEstimate(rows: readonly Row[], withJudge: boolean, ctx: Ctx): Estimate {
  const count = (r: Row) =>
    r.humans.filter((h) => h !== null).length + (withJudge && r.judge !== null ? 1 : 0);
  const pairable = rows.filter((r) => count(r) >= 2);
  if (pairable.length === 0) {
    return {
      value: null,
      ci: [null, null],
      n: 0,
      reason: withJudge
        ? "no item rated by a human and judged"
        : "no item rated by 2 or more raters",
    };
  }
  return estimateOf(
    pairable,
    pairable.length,
    (s) => alphaOf(s, withJudge),
    "undefined: every pairable rating is one and the same score",
    ctx,
  );
}

function checkOptions(options: AgreementOptions): Required<AgreementOptions> {
  const {
    metric = "adjacent",
    threshold = 0.8,
    resamples = 2000,
    level = 0.95,
    seed = 0,
    disagreementGap = 2,
    dimensions = DIMENSIONS,
    labels = SCORE_LABELS,
  } = options;
  if (!AGREEMENT_METRICS.includes(metric)) {
    throw new RangeError(
      `computeAgreement(): metric must be one of ${AGREEMENT_METRICS.join(", ")}, got "${
        String(metric)
      }"`,
    );
  }
  if (!(Number.isFinite(threshold) && threshold >= -1 && threshold <= 1)) {
    throw new RangeError(
      `computeAgreement(): threshold must be between -1 and 1, got ${threshold}`,
    );
  }
  if (!(Number.isInteger(resamples) && resamples >= 100)) {
    throw new RangeError(
      `computeAgreement(): resamples must be an integer ≥ 100, got ${resamples}`,
    );
  }
  if (!(level > 0 && level < 1)) {
    throw new RangeError(`computeAgreement(): level must be between 0 and 1, got ${level}`);
  }
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`computeAgreement(): seed must be a safe integer, got ${seed}`);
  }
  if (!(disagreementGap > 0)) {
    throw new RangeError(
      `computeAgreement(): disagreementGap must be positive, got ${disagreementGap}`,
    );
  }
  return { metric, threshold, resamples, level, seed, disagreementGap, dimensions, labels };
}

/**
 * Agreement of a judge run with human ratings, per dimension, with bootstrap intervals
 * and verdicts. Works with any number of raters (one rater gives no human–human figures)
 * and any overlap: every figure uses the items its raters share.
 *
 * @param judgments The judge run's judgments (failed ones are left out).
 * @param ratings Human ratings (any raters; one per item per rater).
 * @param options Primary metric, threshold, bootstrap settings.
 * @returns The report: per-dimension figures, verdicts and the disagreements.
 * @throws {RangeError} For a bad option, or a rater rating an item twice.
 *
 * @example Two raters, one judge
 * ```ts
 * import { computeAgreement } from "./compute.ts";
 * const s = (v: number) => ({ correctness: v, relevance: v, clarity: v, calibration: v, length: v });
 * const truth = [5, 4, 4, 2, 1, 3, 5, 2, 3, 4];
 * const judgments = truth.map((v, i) => ({ item_id: `q${i}`, judge_model: "m", prompt_sha256: "0".repeat(64),
 *   scores: s(v), rationale: "", usage: { prompt_tokens: 0, completion_tokens: 0 }, status: "ok" as const }));
 * const ratings = ["ana", "ben"].flatMap((rater) =>
 *   truth.map((v, i) => ({ item_id: `q${i}`, rater, ...s(rater === "ben" && i % 3 === 0 ? Math.max(1, v - 1) : v) })));
 * const report = computeAgreement(judgments, ratings, { resamples: 200 });
 * if (report.dimensions.correctness.verdict !== "ok") throw new Error("expected ok");
 * if (report.dimensions.correctness.human_vs_human.pairs.length !== 1) throw new Error("one pair");
 * ```
 */
export function computeAgreement(
  judgments: readonly Judgment[],
  ratings: readonly HumanRating[],
  options: AgreementOptions = {},
): AgreementReport {
  const opts = checkOptions(options);
  const ctx: Ctx = {
    resamples: opts.resamples,
    level: opts.level,
    seed: opts.seed,
    labels: opts.labels,
  };
  const dims = opts.dimensions as readonly Dimension[];
  const index = indexRatings(ratings);
  const items = comparedItems(index.byItem, judgments);
  const dimensions = {} as Record<Dimension, DimensionAgreement>;
  const disagreements: Disagreement[] = [];
  for (const d of dims) {
    const rows = dimensionRows(items, index, d);
    const found = dimensionDisagreements(rows, items, index, d, opts.disagreementGap);
    dimensions[d] = dimensionAgreement(rows, index.raters, found.length, opts, ctx);
    disagreements.push(...found);
  }
  disagreements.sort(disagreementOrder(dims));
  const recalibrate = dims.filter((d) => dimensions[d].verdict !== "ok");
  return {
    metric: opts.metric,
    threshold: opts.threshold,
    level: opts.level,
    resamples: opts.resamples,
    seed: opts.seed,
    verdict: recalibrate.length ? "recalibrate" : "ok",
    recalibrate,
    raters: index.raters,
    items: {
      rated: index.byItem.size,
      compared: items.ids.length,
      ...raterCoverage(items.ids, index),
      left_out: { not_in_run: items.notInRun, judge_failed: items.judgeFailed },
    },
    dimensions,
    disagreements,
  };
}

/** One dimension's rows: per compared item, the judge's score and each rater's. */
function dimensionRows(items: ComparedItems, index: RatingIndex, d: Dimension): Row[] {
  return items.ids.map((id) => ({
    judge: items.judged.get(id)!.scores![d],
    humans: index.byItem.get(id)!.map((r) => (r ? r[d] : null)),
  }));
}

/** One dimension's items where the judge and the human mean are at least `gap` apart, in item order. */
function dimensionDisagreements(
  rows: readonly Row[],
  items: ComparedItems,
  index: RatingIndex,
  d: Dimension,
  gap: number,
): Disagreement[] {
  const found: Disagreement[] = [];
  rows.forEach((row, i) => {
    const m = judgeVsMean([row]);
    if (m.a.length === 0 || Math.abs(m.a[0] - m.raw[0]) < gap) return;
    const id = items.ids[i];
    found.push(disagreementOf(items.judged.get(id)!, d, m.raw[0], index.byItem.get(id)!));
  });
  return found;
}

/** Every rater pair's agreement, and their average (a single pair's own figures when one). */
function humanVsHuman(rows: readonly Row[], raters: readonly string[], ctx: Ctx): HumanAgreement {
  const pairSelectors: { raters: [string, string]; select: Selector }[] = [];
  for (let k = 0; k < raters.length; k++) {
    for (let l = k + 1; l < raters.length; l++) {
      pairSelectors.push({ raters: [raters[k], raters[l]], select: raterVsRater(k, l) });
    }
  }
  const pairs = pairSelectors.map((p) => ({
    raters: p.raters,
    ...metricSet(rows, p.select, ctx),
  }));
  return {
    ...(pairs.length === 1
      ? (({ raters: _, ...rest }) => rest)(pairs[0])
      : averagedSet(rows, pairSelectors.map((p) => p.select), ctx)),
    pairs,
  };
}

/** `ok`, `recalibrate` below the threshold, or `undetermined` without a figure. */
function verdictOf(value: number | null, threshold: number): AgreementVerdict {
  return value === null ? "undetermined" : value < threshold ? "recalibrate" : "ok";
}

/** Judge mean, human mean and their difference on a judge-vs-mean pairing. */
function meansOf(mean: Pairing): DimensionAgreement["means"] {
  const judge = mean.a.length ? meanOf(mean.a) : null;
  const humans = mean.raw.length ? meanOf(mean.raw) : null;
  return {
    judge: judge === null ? null : round4(judge),
    humans: humans === null ? null : round4(humans),
    diff: judge === null || humans === null ? null : round4(judge - humans),
  };
}

/** Every figure of one dimension, its verdict and its ceiling. */
function dimensionAgreement(
  rows: readonly Row[],
  raters: readonly string[],
  disagreements: number,
  opts: Required<AgreementOptions>,
  ctx: Ctx,
): DimensionAgreement {
  const vsMean = metricSet(rows, judgeVsMean, ctx);
  const raterSelectors = raters.map((_, k) => judgeVsRater(k));
  const vsRater = Object.fromEntries(
    raters.map((r, k) => [r, metricSet(rows, raterSelectors[k], ctx)]),
  );
  const hh = humanVsHuman(rows, raters, ctx);
  const single = raters.length === 1 ? vsRater[raters[0]] : averagedSet(rows, raterSelectors, ctx);
  const primary = vsMean[opts.metric];
  const mean = judgeVsMean(rows);
  const ceilJudge = single[opts.metric].value;
  const ceilHumans = hh[opts.metric].value;
  return {
    verdict: verdictOf(primary.value, opts.threshold),
    metric: opts.metric,
    value: primary.value,
    ci: primary.ci,
    ci_below_threshold: primary.ci[0] === null ? null : primary.ci[0] < opts.threshold,
    judge_vs_humans: vsMean,
    judge_vs_rater: vsRater,
    judge_vs_single: single,
    human_vs_human: hh,
    alpha: alphaEstimate(rows, false, ctx),
    alpha_with_judge: alphaEstimate(rows, true, ctx),
    ceiling: {
      metric: opts.metric,
      judge: ceilJudge,
      humans: ceilHumans,
      reaches: ceilJudge === null || ceilHumans === null ? null : ceilJudge >= ceilHumans,
    },
    means: meansOf(mean),
    confusion: mean.a.length
      ? confusionMatrix(mean.a, mean.cat, [...opts.labels])
      : opts.labels.map(() => opts.labels.map(() => 0)),
    disagreements,
  };
}

/**
 * Per-item agreement of a judge with the human mean on one dimension, for paired
 * comparisons: 1 when they agree by `metric` (`exact` or `adjacent`), else 0, on the
 * given items (each must be judged and rated).
 *
 * @example
 * ```ts
 * import { agreementIndicators } from "./compute.ts";
 * if (agreementIndicators("adjacent", [5, 3, 1], [4, 4.5, 3]).join() !== "1,0,0") throw new Error();
 * if (agreementIndicators("exact", [4, 4], [4.5, 3.5]).join() !== "1,1") throw new Error();
 * ```
 */
export function agreementIndicators(
  metric: "exact" | "adjacent",
  judge: readonly number[],
  humanMeans: readonly number[],
): number[] {
  return judge.map((j, i) =>
    metric === "exact"
      ? (j === roundHalfEven(humanMeans[i]) ? 1 : 0)
      : (Math.abs(j - humanMeans[i]) <= 1 ? 1 : 0)
  );
}

/**
 * The value of one agreement metric of judge scores against human means (pure, no interval).
 * `labels` are the scale's categories, for `qwk` (default 1–5).
 *
 * @example
 * ```ts
 * import { agreementValue } from "./compute.ts";
 * if (agreementValue("exact", [4, 3, 5], [4, 3.5, 5]) !== 2 / 3) throw new Error();
 * if (agreementValue("adjacent", [4, 3, 5], [4, 3.5, 2]) !== 2 / 3) throw new Error();
 * ```
 */
export function agreementValue(
  metric: AgreementMetric,
  judge: readonly number[],
  humanMeans: readonly number[],
  labels: readonly number[] = SCORE_LABELS,
): number {
  return metricValue(metric, {
    a: [...judge],
    raw: [...humanMeans],
    cat: humanMeans.map(roundHalfEven),
  }, labels);
}
