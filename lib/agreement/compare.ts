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
 * Pure.
 *
 * @module
 */
import { type Dimension, DIMENSIONS, type HumanRating, type Judgment } from "../schemas.ts";
import { bootstrapCI, pairedDifference } from "../stats/mod.ts";
import {
  AGREEMENT_METRICS,
  agreementIndicators,
  type AgreementMetric,
  type AgreementOptions,
  type AgreementReport,
  agreementValue,
  computeAgreement,
  type Estimate,
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

function round4(x: number): number {
  const r = Math.round(x * 1e4) / 1e4;
  return r === 0 ? 0 : r;
}

function okIds(judgments: readonly Judgment[]): Set<string> {
  return new Set(
    judgments.filter((j) => j.status === "ok" && j.scores).map((j) => String(j.item_id)),
  );
}

/**
 * Compare an old and a new judge run's agreement with the same human ratings.
 *
 * @param oldJudgments The current prompt's judgments.
 * @param newJudgments The candidate prompt's judgments of the same items.
 * @param ratings The human ratings.
 * @param options As {@link computeAgreement}.
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
  const rated = new Set(ratings.map((r) => String(r.item_id)));
  const oldOk = okIds(oldJudgments);
  const newOk = okIds(newJudgments);
  const common = new Set([...rated].filter((id) => oldOk.has(id) && newOk.has(id)));
  const eitherOnly = [...rated].filter((id) => oldOk.has(id) !== newOk.has(id)).length;
  if (common.size < 2) {
    throw new RangeError(
      `comparePrompts(): the two runs judged ${common.size} of the ${rated.size} rated items in ` +
        `common; judge the same items with both prompts`,
    );
  }
  const keep = (js: readonly Judgment[]) => js.filter((j) => common.has(String(j.item_id)));
  const oldJ = keep(oldJudgments);
  const newJ = keep(newJudgments);
  const oldReport = computeAgreement(oldJ, ratings, options);
  const newReport = computeAgreement(newJ, ratings, options);
  const { metric, threshold, resamples, level, seed } = newReport;

  const ids = [...common].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const oldBy = new Map(oldJ.map((j) => [String(j.item_id), j.scores!]));
  const newBy = new Map(newJ.map((j) => [String(j.item_id), j.scores!]));
  const humanSums = new Map<string, Record<Dimension, { s: number; k: number }>>();
  for (const r of ratings) {
    const id = String(r.item_id);
    if (!common.has(id)) continue;
    const acc = humanSums.get(id) ??
      Object.fromEntries(DIMENSIONS.map((d) => [d, { s: 0, k: 0 }])) as Record<
        Dimension,
        { s: number; k: number }
      >;
    for (const d of DIMENSIONS) {
      acc[d].s += r[d];
      acc[d].k++;
    }
    humanSums.set(id, acc);
  }

  const dimensions = {} as Record<Dimension, PromptDimensionComparison>;
  for (const d of DIMENSIONS) {
    const a = ids.map((id) => oldBy.get(id)![d]);
    const b = ids.map((id) => newBy.get(id)![d]);
    const h = ids.map((id) => humanSums.get(id)![d].s / humanSums.get(id)![d].k);
    const differences = {} as Record<AgreementMetric, MetricDifference>;
    for (const m of AGREEMENT_METRICS) {
      const before = (oldReport.dimensions[d].judge_vs_humans[m] as Estimate).value;
      const after = (newReport.dimensions[d].judge_vs_humans[m] as Estimate).value;
      if (m === "exact" || m === "adjacent") {
        const pd = pairedDifference(agreementIndicators(m, a, h), agreementIndicators(m, b, h), {
          resamples,
          level,
          seed,
          method: "percentile",
        });
        const ciOk = Number.isFinite(pd.ci[0]) && Number.isFinite(pd.ci[1]);
        differences[m] = {
          old: before,
          new: after,
          diff: round4(pd.diff),
          ci: ciOk ? [round4(pd.ci[0]), round4(pd.ci[1])] : [null, null],
          p_value: round4(pd.p_value),
        };
        continue;
      }
      const idx = ids.map((_, i) => i);
      const stat = (sample: readonly number[]) => {
        const hs = sample.map((i) => h[i]);
        return agreementValue(m, sample.map((i) => b[i]), hs) -
          agreementValue(m, sample.map((i) => a[i]), hs);
      };
      const diff = stat(idx);
      if (Number.isNaN(diff)) {
        differences[m] = {
          old: before,
          new: after,
          diff: null,
          ci: [null, null],
          p_value: null,
          reason: "undefined for one of the runs (constant scores)",
        };
        continue;
      }
      const ci = bootstrapCI(idx, stat, { resamples, level, seed, method: "percentile" });
      const ciOk = Number.isFinite(ci.lo) && Number.isFinite(ci.hi);
      differences[m] = {
        old: before,
        new: after,
        diff: round4(diff),
        ci: ciOk ? [round4(ci.lo), round4(ci.hi)] : [null, null],
        p_value: null,
        ...(ciOk ? {} : { reason: `no interval: ${ci.reason ?? "undefined on some resamples"}` }),
      };
    }
    const primary = differences[metric];
    const verdict = primary.ci[0] !== null && primary.ci[0] > 0
      ? "better"
      : primary.ci[1] !== null && primary.ci[1] < 0
      ? "worse"
      : "same";
    dimensions[d] = {
      metric,
      verdict,
      old_verdict: oldReport.dimensions[d].verdict,
      new_verdict: newReport.dimensions[d].verdict,
      differences,
    };
  }
  const better = DIMENSIONS.filter((d) => dimensions[d].verdict === "better");
  const worse = DIMENSIONS.filter((d) => dimensions[d].verdict === "worse");
  const adopt = worse.length === 0 && better.length > 0;
  const recommendation = adopt
    ? `adopt the new prompt: it agrees better on ${better.join(", ")} and worse on none`
    : worse.length > 0
    ? `keep the old prompt: the new one agrees worse on ${worse.join(", ")}`
    : `keep the old prompt: no dimension agrees clearly better (rate more items to tell a small gain from noise)`;
  return {
    metric,
    threshold,
    items: common.size,
    left_out: eitherOnly,
    old: oldReport,
    new: newReport,
    dimensions,
    adopt,
    recommendation,
  };
}
