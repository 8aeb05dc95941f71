/**
 * Summaries of a judgment run for notebooks and reports: counts, means per
 * dimension (each on its own, never combined), score distributions as small
 * multiples, failures and the lowest-scored items per dimension.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type { PlotOptions } from "../plot.ts";
import type { Dimension, Judgment } from "../schemas.ts";
import { DEFAULT_DIMENSION_SET, type DimensionSet, scaleLabels } from "../dimensions.ts";
import { INJECTION_FLAG } from "./injection.ts";

/** How many judgments gave one score on one dimension. */
export interface ScoreCount {
  dimension: Dimension | string;
  score: number;
  count: number;
}

/**
 * Count scores per dimension (failed judgments have none and are left out).
 *
 * @param set The run's dimensions and scale (`dimensionSetOf(manifest)`). @default the five on 1–5
 * @returns One row per dimension and score of the scale, zeros included, in dimension order.
 *
 * @example
 * ```ts
 * import { scoreDistribution } from "./summary.ts";
 * const rows = scoreDistribution([]);
 * if (rows.length !== 25 || rows.some((r) => r.count !== 0)) throw new Error();
 * ```
 */
export function scoreDistribution(
  judgments: readonly Judgment[],
  set: DimensionSet = DEFAULT_DIMENSION_SET,
): ScoreCount[] {
  const rows: ScoreCount[] = [];
  for (const dimension of set.dimensions) {
    for (const score of scaleLabels(set.scale)) {
      const count = judgments.filter((j) => scoreOf(j, dimension) === score).length;
      rows.push({ dimension, score, count });
    }
  }
  return rows;
}

/**
 * Score distributions per dimension as small multiples (one panel per dimension): Plot options.
 *
 * @example
 * ```ts
 * import { scoreDistribution, scoreDistributionChart } from "./summary.ts";
 * import { renderSvg } from "../plot.ts";
 * const j = (item_id: string, v: number) => ({ item_id, judge_model: "m", prompt_sha256: "0".repeat(64),
 *   scores: { correctness: v, relevance: v, clarity: v, calibration: v, length: v }, rationale: "",
 *   usage: { prompt_tokens: 0, completion_tokens: 0 }, status: "ok" as const });
 * if (!renderSvg(scoreDistributionChart(scoreDistribution([j("a", 2), j("b", 5)]))).includes("<svg")) throw new Error();
 * ```
 */
export function scoreDistributionChart(
  rows: readonly ScoreCount[],
  options: { title?: string } = {},
): PlotOptions {
  const dimensions = [...new Set(rows.map((r) => r.dimension))];
  const scores = [...new Set(rows.map((r) => r.score))].sort((a, b) => a - b);
  const top = scores.at(-1) ?? 5;
  const lengthNote = dimensions.includes("length") ? `; length ${top} = ideal length` : "";
  return {
    caption: options.title ??
      `Score distribution per dimension (${top} = best${lengthNote})`,
    width: 760,
    height: 190,
    marginTop: 24,
    fx: { label: null, domain: dimensions },
    x: { label: "score", domain: scores.length ? scores : [1, 2, 3, 4, 5] },
    y: { label: "items", grid: true },
    marks: [
      Plot.barY(rows, { fx: "dimension", x: "score", y: "count", fill: "steelblue" }),
      Plot.ruleY([0]),
    ],
  };
}

/** Counts and per-dimension means of a run. */
export interface JudgmentSummary {
  items: number;
  ok: number;
  failed: number;
  /** Judgments flagged `possible_injection`. */
  flagged: number;
  /** Mean score per dimension over ok judgments (null when none). */
  means: Record<Dimension | string, number | null>;
  /** Failed judgments and why. */
  failures: { item_id: string; error: string }[];
  /** Input and output tokens over every judgment. */
  usage: { prompt_tokens: number; completion_tokens: number };
}

/**
 * Summarise judgments.
 *
 * @param set The run's dimensions (`dimensionSetOf(manifest)`). @default the five
 *
 * @example
 * ```ts
 * import { summarizeJudgments } from "./summary.ts";
 * const s = summarizeJudgments([]);
 * if (s.items !== 0 || s.means.correctness !== null) throw new Error();
 * ```
 */
export function summarizeJudgments(
  judgments: readonly Judgment[],
  set: DimensionSet = DEFAULT_DIMENSION_SET,
): JudgmentSummary {
  const ok = judgments.filter((j) => j.status === "ok" && j.scores);
  const means = {} as Record<string, number | null>;
  for (const d of set.dimensions) {
    means[d] = ok.length === 0
      ? null
      : Math.round((ok.reduce((s, j) => s + (scoreOf(j, d) ?? 0), 0) / ok.length) * 1000) / 1000;
  }
  return {
    items: judgments.length,
    ok: ok.length,
    failed: judgments.filter((j) => j.status === "failed").length,
    flagged: judgments.filter((j) => j.flags?.includes(INJECTION_FLAG)).length,
    means,
    failures: judgments.filter((j) => j.status === "failed")
      .map((j) => ({ item_id: String(j.item_id), error: j.error ?? "" })),
    usage: {
      prompt_tokens: judgments.reduce((s, j) => s + j.usage.prompt_tokens, 0),
      completion_tokens: judgments.reduce((s, j) => s + j.usage.completion_tokens, 0),
    },
  };
}

/**
 * The `n` lowest-scored ok judgments on one dimension (ties keep run order).
 *
 * @example
 * ```ts
 * import { lowestItems } from "./summary.ts";
 * if (lowestItems([], "clarity", 5).length !== 0) throw new Error();
 * ```
 */
export function lowestItems(
  judgments: readonly Judgment[],
  dimension: Dimension | string,
  n = 5,
): Judgment[] {
  return judgments
    .map((j, i) => ({ j, i }))
    .filter(({ j }) => j.status === "ok" && scoreOf(j, dimension) !== undefined)
    .sort((a, b) => scoreOf(a.j, dimension)! - scoreOf(b.j, dimension)! || a.i - b.i)
    .slice(0, n)
    .map(({ j }) => j);
}

/** A judgment's score on a dimension of any set. */
function scoreOf(j: Judgment, dimension: string): number | undefined {
  return (j.scores as Record<string, number> | null)?.[dimension];
}
