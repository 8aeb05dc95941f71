/**
 * Charts of a release comparison, as Observable Plot options (render with
 * `renderSvg`): data in, options out.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type { Dimension } from "../schemas.ts";
import type { PlotOptions } from "../plot.ts";
import type { PairedComparison, Verdict } from "./compare.ts";

/**
 * Colours of the three verdicts.
 *
 * @example
 * ```ts
 * import { VERDICT_COLORS } from "./charts.ts";
 * if (VERDICT_COLORS.improved === VERDICT_COLORS.regressed) throw new Error();
 * ```
 */
export const VERDICT_COLORS: Record<Verdict, string> = {
  improved: "#1a9850",
  regressed: "#d73027",
  "no detectable change": "#7b8794",
};

/** One row of {@link pairedDifferenceRows}. */
export interface DifferenceRow {
  dimension: string;
  /** `"raw"` or `"prod-weighted"`. */
  estimate: string;
  diff: number;
  lo: number;
  hi: number;
  verdict: Verdict;
  /** The minimum detectable difference (raw rows only). */
  mdd: number | null;
}

/**
 * The rows the difference chart draws: per dimension the raw paired
 * difference and, when known, the prod-weighted one, each with its interval.
 *
 * @example
 * ```ts
 * import { pairedDifferenceRows } from "./charts.ts";
 * import { comparePaired } from "./compare.ts";
 * import { pairJudgments } from "./pair.ts";
 * const j = (item_id: string, c: number) => ({ item_id, judge_model: "m", prompt_sha256: "0".repeat(64),
 *   rationale: "", usage: { prompt_tokens: 0, completion_tokens: 0 }, status: "ok" as const,
 *   scores: { correctness: c, relevance: 4, clarity: 3, calibration: 3, length: 3 } });
 * const ids = Array.from({ length: 30 }, (_, i) => `q${i}`);
 * const comparison = comparePaired(pairJudgments(ids.map((id) => j(id, 3)), ids.map((id) => j(id, 4))),
 *   { resamples: 499 });
 * const rows = pairedDifferenceRows(comparison);
 * if (rows.find((r) => r.dimension === "correctness")?.verdict !== "improved") throw new Error();
 * ```
 */
export function pairedDifferenceRows(
  comparison: Pick<PairedComparison, "dimensions">,
): DifferenceRow[] {
  return (Object.keys(comparison.dimensions) as Dimension[]).flatMap((d) => {
    const c = comparison.dimensions[d];
    const rows: DifferenceRow[] = [{
      dimension: d,
      estimate: "raw",
      diff: c.diff,
      lo: c.ci[0],
      hi: c.ci[1],
      verdict: c.verdict,
      mdd: c.mdd,
    }];
    const w = c.prod_weighted;
    if (w) {
      rows.push({
        dimension: d,
        estimate: "prod-weighted",
        diff: w.diff,
        lo: w.ci[0],
        hi: w.ci[1],
        verdict: w.ci[0] > 0 ? "improved" : w.ci[1] < 0 ? "regressed" : "no detectable change",
        mdd: null,
      });
    }
    return rows;
  });
}

/**
 * A dot-and-interval chart of the paired differences per dimension: a dot at
 * the mean difference (candidate − baseline), a line across its confidence
 * interval, coloured by verdict; a rule at 0; grey ticks at ± the minimum
 * detectable difference. With a prod mix, each dimension has a second,
 * prod-weighted row. One row per dimension, never a combined score.
 *
 * @param comparison A comparison (from `comparePaired` or `compareRuns`).
 * @param options `title` for the caption.
 * @returns Plot options.
 *
 * @example
 * ```ts
 * import { pairedDifferenceChart } from "./charts.ts";
 * import { renderSvg } from "../plot.ts";
 * const dim = { n: 50, baseline_mean: 3, candidate_mean: 3.2, diff: 0.2, ci: [0.05, 0.35] as [number, number],
 *   p_value: 0.01, p_exact: false, verdict: "improved" as const, diff_relative: 0.067, wins: 20,
 *   ties: 20, losses: 10, sd_diff: 0.5, mdd: 0.2, prod_weighted: null };
 * const dimensions = { correctness: dim, relevance: dim, clarity: dim, calibration: dim, length: dim };
 * const svg = renderSvg(pairedDifferenceChart({ dimensions }));
 * if (!svg.includes("correctness")) throw new Error("no dimension label");
 * ```
 */
export function pairedDifferenceChart(
  comparison: Pick<PairedComparison, "dimensions">,
  options: { title?: string } = {},
): PlotOptions {
  const rows = pairedDifferenceRows(comparison);
  const dims = Object.keys(comparison.dimensions);
  const weighted = rows.some((r) => r.estimate === "prod-weighted");
  const extent = Math.max(
    0.25,
    ...rows.flatMap((r) => [Math.abs(r.lo), Math.abs(r.hi), Math.abs(r.mdd ?? 0)]),
  ) * 1.1;
  const mddTicks = rows.filter((r) => r.mdd !== null).flatMap((r) => [
    { ...r, x: -r.mdd! },
    { ...r, x: r.mdd! },
  ]);
  const verdicts = Object.keys(VERDICT_COLORS) as Verdict[];
  // With prod-weighted rows: one facet row per dimension, raw and weighted inside it.
  const y = weighted ? "estimate" : "dimension";
  const fy = weighted ? "dimension" : undefined;
  return {
    caption: options.title ??
      "Paired difference per dimension (candidate − baseline) with its 95% interval; " +
        "grey ticks: ± the minimum detectable difference at 80% power",
    width: 680,
    height: 70 + (weighted ? 60 : 34) * dims.length,
    marginLeft: weighted ? 190 : 100,
    x: {
      label: "difference in mean score (candidate − baseline)",
      domain: [-extent, extent],
      grid: true,
    },
    y: weighted ? { label: null, domain: ["raw", "prod-weighted"] } : { label: null, domain: dims },
    ...(weighted ? { fy: { label: null, domain: dims, axis: "left" as const } } : {}),
    color: { legend: true, domain: verdicts, range: verdicts.map((v) => VERDICT_COLORS[v]) },
    marks: [
      Plot.ruleX([0], { stroke: "#333" }),
      Plot.tickX(mddTicks, { x: "x", y, fy, stroke: "#9aa5b1", strokeDasharray: "3,2" }),
      Plot.ruleY(rows, { y, fy, x1: "lo", x2: "hi", stroke: "verdict", strokeWidth: 2.5 }),
      Plot.dot(rows, {
        x: "diff",
        y,
        fy,
        fill: "verdict",
        r: 5,
        title: (r: DifferenceRow) =>
          `${r.dimension} (${r.estimate}): ${r.diff.toFixed(3)} [${r.lo.toFixed(3)}, ${
            r.hi.toFixed(3)
          }] ${r.verdict}`,
      }),
    ],
  };
}
