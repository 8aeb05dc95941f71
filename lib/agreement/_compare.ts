/**
 * The steps of {@link comparePrompts}: the items both runs judged, the human mean of
 * each, the paired difference of one metric, a dimension's verdict, and the
 * recommendation.
 *
 * @module
 */
import { type Dimension, DIMENSIONS, type HumanRating, type Judgment } from "../schemas.ts";
import { bootstrapCI, pairedDifference } from "../stats/mod.ts";
import { byItemId, judgedOk, round4 } from "./_items.ts";
import type { MetricDifference, PromptDimensionComparison } from "./compare.ts";
import { agreementIndicators, type AgreementMetric, agreementValue } from "./compute.ts";

/** The rated items both runs judged ok. */
export interface CommonItems {
  /** In natural order. */
  ids: string[];
  common: Set<string>;
  /** Rated items judged ok by one run only. */
  leftOut: number;
}

/**
 * The rated items both runs judged ok, and how many only one of them did.
 *
 * @throws {RangeError} When fewer than 2 rated items were judged ok by both.
 */
export function commonItems(
  ratings: readonly HumanRating[],
  oldJudgments: readonly Judgment[],
  newJudgments: readonly Judgment[],
): CommonItems {
  const rated = new Set(ratings.map((r) => String(r.item_id)));
  const okIds = (js: readonly Judgment[]) =>
    new Set(js.filter(judgedOk).map((j) => String(j.item_id)));
  const oldOk = okIds(oldJudgments);
  const newOk = okIds(newJudgments);
  const common = new Set([...rated].filter((id) => oldOk.has(id) && newOk.has(id)));
  if (common.size < 2) {
    throw new RangeError(
      `comparePrompts(): the two runs judged ${common.size} of the ${rated.size} rated items in ` +
        `common; judge the same items with both prompts`,
    );
  }
  return {
    ids: [...common].sort(byItemId),
    common,
    leftOut: [...rated].filter((id) => oldOk.has(id) !== newOk.has(id)).length,
  };
}

/**
 * Per item of `items`, the mean human score of each dimension over its raters.
 *
 * @param dimensions The dimensions to average (the runs' set). @default the five
 */
export function humanMeans(
  ratings: readonly HumanRating[],
  items: ReadonlySet<string>,
  dimensions: readonly string[] = DIMENSIONS,
): Map<string, Record<Dimension, number>> {
  const dims = dimensions as readonly Dimension[];
  const sums = new Map<string, Record<Dimension, { s: number; k: number }>>();
  for (const r of ratings) {
    const id = String(r.item_id);
    if (!items.has(id)) continue;
    const acc = sums.get(id) ??
      Object.fromEntries(dims.map((d) => [d, { s: 0, k: 0 }])) as Record<
        Dimension,
        { s: number; k: number }
      >;
    for (const d of dims) {
      acc[d].s += r[d];
      acc[d].k++;
    }
    sums.set(id, acc);
  }
  return new Map(
    [...sums].map(([id, acc]) => [
      id,
      Object.fromEntries(dims.map((d) => [d, acc[d].s / acc[d].k])) as Record<
        Dimension,
        number
      >,
    ]),
  );
}

/** Aligned per-item scores of one dimension: the old run's, the new run's, the human mean. */
export interface PairedScores {
  old: readonly number[];
  new: readonly number[];
  humans: readonly number[];
}

/** The bootstrap settings of a comparison, and the scale's categories (for `qwk`). */
export interface DifferenceSettings {
  resamples: number;
  level: number;
  seed: number;
  /** The scale's categories, lowest first. @default 1–5 */
  labels?: readonly number[];
}

/**
 * The paired difference new − old of one metric, with its interval: per-item agreement
 * and a sign-flip p-value for `exact` and `adjacent`, a bootstrap over items (no
 * p-value) for `qwk` and `spearman`. `before` and `after` are the two reports' figures.
 */
export function metricDifference(
  metric: AgreementMetric,
  scores: PairedScores,
  before: number | null,
  after: number | null,
  { labels, ...settings }: DifferenceSettings,
): MetricDifference {
  if (metric === "exact" || metric === "adjacent") {
    const pd = pairedDifference(
      agreementIndicators(metric, scores.old, scores.humans),
      agreementIndicators(metric, scores.new, scores.humans),
      { ...settings, method: "percentile" },
    );
    const ciOk = Number.isFinite(pd.ci[0]) && Number.isFinite(pd.ci[1]);
    return {
      old: before,
      new: after,
      diff: round4(pd.diff),
      ci: ciOk ? [round4(pd.ci[0]), round4(pd.ci[1])] : [null, null],
      p_value: round4(pd.p_value),
    };
  }
  const { old: a, new: b, humans: h } = scores;
  const stat = (sample: readonly number[]) => {
    const hs = sample.map((i) => h[i]);
    return agreementValue(metric, sample.map((i) => b[i]), hs, labels) -
      agreementValue(metric, sample.map((i) => a[i]), hs, labels);
  };
  const idx = a.map((_, i) => i);
  const diff = stat(idx);
  if (Number.isNaN(diff)) {
    return {
      old: before,
      new: after,
      diff: null,
      ci: [null, null],
      p_value: null,
      reason: "undefined for one of the runs (constant scores)",
    };
  }
  const ci = bootstrapCI(idx, stat, { ...settings, method: "percentile" });
  const ciOk = Number.isFinite(ci.lo) && Number.isFinite(ci.hi);
  return {
    old: before,
    new: after,
    diff: round4(diff),
    ci: ciOk ? [round4(ci.lo), round4(ci.hi)] : [null, null],
    p_value: null,
    ...(ciOk ? {} : { reason: `no interval: ${ci.reason ?? "undefined on some resamples"}` }),
  };
}

/** `better` when the difference's interval lies above 0, `worse` below, else `same`. */
export function differenceVerdict(d: MetricDifference): PromptDimensionComparison["verdict"] {
  return d.ci[0] !== null && d.ci[0] > 0
    ? "better"
    : d.ci[1] !== null && d.ci[1] < 0
    ? "worse"
    : "same";
}

/**
 * Adopt the new prompt when no dimension is worse and one or more are better, and say why.
 * The dimensions are the record's, in its order.
 */
export function recommend(
  verdicts: Readonly<Record<Dimension, PromptDimensionComparison>>,
): { adopt: boolean; recommendation: string } {
  const dims = Object.keys(verdicts) as Dimension[];
  const better = dims.filter((d) => verdicts[d].verdict === "better");
  const worse = dims.filter((d) => verdicts[d].verdict === "worse");
  const adopt = worse.length === 0 && better.length > 0;
  const recommendation = adopt
    ? `adopt the new prompt: it agrees better on ${better.join(", ")} and worse on none`
    : worse.length > 0
    ? `keep the old prompt: the new one agrees worse on ${worse.join(", ")}`
    : `keep the old prompt: no dimension agrees clearly better (rate more items to tell a small gain from noise)`;
  return { adopt, recommendation };
}
