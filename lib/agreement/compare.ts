/**
 * Compare two judge prompt versions (or two judges) on the same human
 * ratings: the recalibration loop's decision. Both runs are scored on the same
 * items (rated, and judged ok by both), and per dimension the paired
 * difference new − old of every agreement metric against the human mean gets a
 * bootstrap interval:
 *
 * - `exact` and `adjacent` are per-item (agree or not), so their difference is
 *   {@link pairedDifference} of the two runs' per-item agreement, with a sign-flip
 *   permutation p-value;
 * - `qwk` and `spearman` are not per-item, so their difference is bootstrapped over items
 *   (both runs on each resample of items); no p-value.
 *
 * A dimension is `better` when the primary metric's interval lies above 0, `worse` when
 * below, `same` otherwise. `adopt` is true when no dimension is worse and at least one is
 * better: a new prompt is adopted only when it agrees better. With ~50 rated items
 * intervals are wide; `same` everywhere means "cannot tell", and rating more items is
 * the way to tell.
 *
 * The dimensions and score categories are `options.dimensions` and `options.labels` (the
 * runs' shared set), as for {@link computeAgreement}.
 *
 * Pure.
 *
 * @module
 */
import { type Dimension, DIMENSIONS, type HumanRating, type Judgment } from "../schemas.ts";
import {
  commonItems,
  differenceVerdict,
  humanMeans,
  metricDifference,
  recommend,
} from "./_compare.ts";
import {
  AGREEMENT_METRICS,
  type AgreementMetric,
  type AgreementOptions,
  type AgreementReport,
  computeAgreement,
  type Estimate,
  SCORE_LABELS,
} from "./compute.ts";

/** The paired difference new − old of one metric. */
export interface MetricDifference {
  old: number | null;
  new: number | null;
  diff: number | null;
  ci: [number | null, number | null];
  /** Sign-flip permutation p-value (exact and adjacent only). */
  p_value: number | null;
  reason?: string;
}

/** One dimension of a prompt comparison. */
export interface PromptDimensionComparison {
  metric: AgreementMetric;
  /** On the primary metric: `better` (interval above 0), `worse` (below) or `same`. */
  verdict: "better" | "worse" | "same";
  old_verdict: string;
  new_verdict: string;
  differences: Record<AgreementMetric, MetricDifference>;
}

/** Two judge runs compared on the same human ratings. */
export interface PromptComparison {
  metric: AgreementMetric;
  threshold: number;
  /** Items compared: rated, and judged ok by both runs. */
  items: number;
  /** Rated items judged ok by only one run (left out of both reports). */
  left_out: number;
  old: AgreementReport;
  new: AgreementReport;
  dimensions: Record<Dimension, PromptDimensionComparison>;
  /** No dimension worse, at least one better. */
  adopt: boolean;
  recommendation: string;
}

/**
 * Compare an old and a new judge run's agreement with the same human ratings.
 *
 * @param oldJudgments The current prompt's judgments.
 * @param newJudgments The candidate prompt's judgments of the same items.
 * @param ratings The human ratings.
 * @param options As {@link computeAgreement}, whose `dimensions` and `labels` (the scale's
 * categories) are the runs' set.
 * @returns Both reports on the common items, the per-dimension paired differences, and
 * whether to adopt the new prompt.
 * @throws {RangeError} For a bad option, or when fewer than 2 rated items were judged by both runs.
 *
 * @example
 * ```ts
 * import { comparePrompts } from "./compare.ts";
 * const s = (v: number) => ({ correctness: v, relevance: v, clarity: v, calibration: v, length: v });
 * const human = [5, 4, 4, 2, 1, 3, 5, 2, 3, 4, 1, 2];
 * const run = (f: (v: number, i: number) => number) => human.map((v, i) => ({ item_id: `q${i}`,
 *   judge_model: "m", prompt_sha256: "0".repeat(64), scores: s(f(v, i)), rationale: "",
 *   usage: { prompt_tokens: 0, completion_tokens: 0 }, status: "ok" as const }));
 * const ratings = human.map((v, i) => ({ item_id: `q${i}`, rater: "ana", ...s(v) }));
 * const c = comparePrompts(run((v) => (v <= 2 ? 5 : v)), run((v) => v), ratings, { resamples: 200 });
 * if (c.dimensions.correctness.differences.adjacent.diff! <= 0) throw new Error("new should agree better");
 * ```
 */
export function comparePrompts(
  oldJudgments: readonly Judgment[],
  newJudgments: readonly Judgment[],
  ratings: readonly HumanRating[],
  options: AgreementOptions = {},
): PromptComparison {
  const items = commonItems(ratings, oldJudgments, newJudgments);
  const keep = (js: readonly Judgment[]) => js.filter((j) => items.common.has(String(j.item_id)));
  const oldJ = keep(oldJudgments);
  const newJ = keep(newJudgments);
  const oldReport = computeAgreement(oldJ, ratings, options);
  const newReport = computeAgreement(newJ, ratings, options);
  const { metric, threshold, resamples, level, seed } = newReport;
  const oldBy = new Map(oldJ.map((j) => [String(j.item_id), j.scores!]));
  const newBy = new Map(newJ.map((j) => [String(j.item_id), j.scores!]));
  const dims = (options.dimensions ?? DIMENSIONS) as readonly Dimension[];
  const labels = options.labels ?? SCORE_LABELS;
  const means = humanMeans(ratings, items.common, dims);
  const dimensions = {} as Record<Dimension, PromptDimensionComparison>;
  for (const d of dims) {
    const scores = {
      old: items.ids.map((id) => oldBy.get(id)![d]),
      new: items.ids.map((id) => newBy.get(id)![d]),
      humans: items.ids.map((id) => means.get(id)![d]),
    };
    const differences = {} as Record<AgreementMetric, MetricDifference>;
    for (const m of AGREEMENT_METRICS) {
      const before = (oldReport.dimensions[d].judge_vs_humans[m] as Estimate).value;
      const after = (newReport.dimensions[d].judge_vs_humans[m] as Estimate).value;
      differences[m] = metricDifference(m, scores, before, after, {
        resamples,
        level,
        seed,
        labels,
      });
    }
    dimensions[d] = {
      metric,
      verdict: differenceVerdict(differences[metric]),
      old_verdict: oldReport.dimensions[d].verdict,
      new_verdict: newReport.dimensions[d].verdict,
      differences,
    };
  }
  return {
    metric,
    threshold,
    items: items.common.size,
    left_out: items.leftOut,
    old: oldReport,
    new: newReport,
    dimensions,
    ...recommend(dimensions),
  };
}
