/**
 * Charts of the quarterly correlation, as Observable Plot options (render them with
 * `renderSvg`): the eval-delta vs prod-delta scatter per dimension, the correlations
 * with their intervals per metric, and the quarter-over-quarter trend.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type { PlotOptions } from "../plot.ts";
import type { Dimension } from "../schemas.ts";
import type { CorrelationResult } from "./correlate.ts";
import type { CorrelationTrend } from "./history.ts";
import { verdictColour } from "../validity/verdict.ts";

function fmt(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined) return "n/a";
  return (v < 0 ? "−" : "") + Math.abs(v).toFixed(digits);
}

/** One point of {@link deltaScatterChart}: a release pair. */
export interface ScatterPoint {
  label: string;
  eval: number;
  lo: number;
  hi: number;
  prod: number;
  lied: boolean;
}

/** The points of {@link deltaScatterChart}: one per release pair having the metric. */
export function scatterPoints(
  result: CorrelationResult,
  dimension: Dimension,
  metric: string,
): ScatterPoint[] {
  const lied = new Set(
    result.eval_lied.filter((l) => l.dimension === dimension && l.metric === metric)
      .map((l) => `${l.from}→${l.to}`),
  );
  return result.pairs.filter((p) => p.prod[metric]).map((p) => ({
    label: `${p.from}→${p.to}`,
    eval: p.eval[dimension].diff,
    lo: p.eval[dimension].ci[0],
    hi: p.eval[dimension].ci[1],
    prod: p.prod[metric]!.delta,
    lied: lied.has(`${p.from}→${p.to}`),
  }));
}

/** Options for {@link deltaScatterChart}. */
export interface DeltaScatterOptions {
  /** The prod metric on the y axis. @default "thumbs_down_rate" */
  metric?: string;
  /** Chart width in pixels. @default 420 */
  width?: number;
}

/**
 * One dimension's eval delta (x, with its 95% interval) against a prod metric's delta
 * (y) over release pairs, each point labelled by its pair, with the least-squares line
 * and its 95% confidence band; pairs where the eval lied are drawn in red.
 *
 * @param result A correlation result.
 * @param dimension The dimension on the x axis.
 * @param options The metric and the width.
 * @returns Plot options.
 *
 * @example
 * ```ts
 * import { deltaScatterChart } from "./charts.ts";
 * const result = { pairs: [], eval_lied: [], dimensions: { correctness: { thumbs_down_rate: { n: 0,
 *   pearson: null, pearson_ci: null } } }, metrics: { thumbs_down_rate: { direction: "lower" } } };
 * const options = deltaScatterChart(result as never, "correctness");
 * if (!String(options.caption).includes("not estimable")) throw new Error(String(options.caption));
 * ```
 */
export function deltaScatterChart(
  result: CorrelationResult,
  dimension: Dimension,
  options: DeltaScatterOptions = {},
): PlotOptions {
  const metric = options.metric ?? "thumbs_down_rate";
  const data = scatterPoints(result, dimension, metric);
  const cell = result.dimensions[dimension]?.[metric];
  const title = cell?.pearson === null || cell?.pearson === undefined
    ? `${dimension}: not estimable (${cell?.n ?? 0} pairs)`
    : `${dimension}: r = ${fmt(cell.pearson)} [${fmt(cell.pearson_ci?.[0])}, ${
      fmt(cell.pearson_ci?.[1])
    }], n = ${cell.n}`;
  return {
    caption: `${title} · red: the eval lied`,
    width: options.width ?? 420,
    height: 300,
    marginLeft: 56,
    inset: 14,
    grid: true,
    x: { label: `${dimension} eval Δ →` },
    y: {
      label: `↑ ${metric} Δ (${result.metrics[metric]?.direction ?? "lower"} is better)`,
    },
    marks: [
      Plot.ruleX([0], { stroke: "#999" }),
      Plot.ruleY([0], { stroke: "#999" }),
      ...(data.length >= 3
        ? [Plot.linearRegressionY(data, { x: "eval", y: "prod", ci: 0.95, stroke: "steelblue" })]
        : []),
      Plot.ruleY(data, { y: "prod", x1: "lo", x2: "hi", stroke: "#bbb" }),
      Plot.dot(data, {
        x: "eval",
        y: "prod",
        r: 4,
        fill: (d: ScatterPoint) => (d.lied ? "crimson" : "black"),
      }),
      Plot.text(data, { x: "eval", y: "prod", text: "label", dy: -9, fontSize: 9 }),
    ],
  };
}

/** Options for {@link correlationChart}. */
export interface CorrelationChartOptions {
  /** The prod metric. @default "thumbs_down_rate" */
  metric?: string;
}

/**
 * Each dimension's Pearson r with a prod metric and its 95% bootstrap interval, ranked
 * (best predictor on top); those whose interval clears 0 (`predicts prod`) in green, below 0
 * (`moves against prod`) in red, the rest (`not enough evidence`) in grey.
 *
 * @param result A correlation result.
 * @param options The metric.
 * @returns Plot options.
 *
 * @example
 * ```ts
 * import { correlationChart } from "./charts.ts";
 * import { analyzeReleases } from "./correlate.ts";
 * import { readReleaseRegistry } from "./registry.ts";
 * import { renderSvg } from "../plot.ts";
 * import { judgeDemoReleases } from "./demo.ts";
 * const out = await Deno.makeTempDir();
 * const { registry } = await judgeDemoReleases({ out, judge: "truth" });
 * const result = analyzeReleases(await readReleaseRegistry(registry), { resamples: 200, permutations: 200 });
 * if (!renderSvg(correlationChart(result)).includes("<svg")) throw new Error();
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export function correlationChart(
  result: CorrelationResult,
  options: CorrelationChartOptions = {},
): PlotOptions {
  const metric = options.metric ?? "thumbs_down_rate";
  const rows = (result.ranking[metric] ?? []).filter((r) => r.pearson !== null).map((r) => ({
    dimension: r.dimension,
    r: r.pearson!,
    lo: r.pearson_ci![0],
    hi: r.pearson_ci![1],
    verdict: r.verdict,
  }));

  return {
    caption:
      `Which dimensions predict ${metric}: Pearson r of eval Δ with ${metric} Δ over ${result.pairs.length} release pairs, 95% bootstrap interval` +
      (result.metrics[metric]?.direction === "lower" ? " (negative is good)" : ""),
    width: 520,
    height: 60 + 32 * Math.max(1, rows.length),
    marginLeft: 90,
    marginRight: 150,
    x: { domain: [-1, 1], label: "Pearson r", grid: true },
    y: { domain: rows.map((r) => r.dimension), label: null },
    marks: [
      Plot.ruleX([0], { stroke: "#999" }),
      Plot.ruleY(rows, {
        y: "dimension",
        x1: "lo",
        x2: "hi",
        stroke: (d: { verdict: string }) => verdictColour(d.verdict),
        strokeWidth: 2,
      }),
      Plot.dot(rows, {
        x: "r",
        y: "dimension",
        r: 5,
        fill: (d: { verdict: string }) => verdictColour(d.verdict),
      }),
      Plot.text(rows, {
        y: "dimension",
        text: "verdict",
        frameAnchor: "right",
        textAnchor: "start",
        dx: 8,
        fontSize: 10,
      }),
    ],
  };
}

/** Options for {@link trendChart}. */
export interface TrendChartOptions {
  /** The prod metric. @default "thumbs_down_rate" */
  metric?: string;
}

/**
 * Each dimension's Pearson r with a prod metric, quarter over quarter (estimable quarters
 * only), with its 95% interval as a vertical bar.
 *
 * @param trend A trend from {@link correlationTrend}.
 * @param options The metric.
 * @returns Plot options.
 *
 * @example
 * ```ts
 * import { trendChart } from "./charts.ts";
 * import { correlationTrend } from "./history.ts";
 * import { renderSvg } from "../plot.ts";
 * const cell = (r: number) => ({ n: 9, pearson: r, pearson_ci: [r - 0.3, r + 0.3], oriented: -r, oriented_ci: [-r - 0.3, -r + 0.3] });
 * const entry = (quarter: string, r: number) => ({ quarter, dimensions: { correctness: { thumbs_down_rate: cell(r) } } });
 * const trend = correlationTrend([entry("2026-Q2", -0.8), entry("2026-Q3", -0.6)] as never);
 * if (!renderSvg(trendChart(trend)).includes("<svg")) throw new Error();
 * ```
 */
export function trendChart(trend: CorrelationTrend, options: TrendChartOptions = {}): PlotOptions {
  const metric = options.metric ?? "thumbs_down_rate";
  const data = trend.rows.filter((r) => r.metric === metric).flatMap((r) =>
    r.points.filter((p) => p.pearson !== null).map((p) => ({
      dimension: r.dimension,
      quarter: p.quarter,
      r: p.pearson!,
      lo: p.pearson_ci![0],
      hi: p.pearson_ci![1],
    }))
  );
  return {
    caption: `Correlation with ${metric}, quarter over quarter: Pearson r of eval Δ with prod Δ ` +
      "per quarterly analysis, one panel per dimension; bars: 95% bootstrap interval",
    width: 760,
    height: 280,
    marginBottom: 40,
    fx: { domain: [...new Set(trend.rows.map((r) => r.dimension))], label: null },
    x: { type: "point", domain: trend.quarters, label: null, padding: 0.6, tickRotate: -30 },
    y: { domain: [-1, 1], label: "Pearson r", grid: true },
    marks: [
      Plot.ruleY([0], { stroke: "#999" }),
      Plot.ruleX(data, {
        fx: "dimension",
        x: "quarter",
        y1: "lo",
        y2: "hi",
        stroke: "steelblue",
        strokeOpacity: 0.4,
        strokeWidth: 6,
      }),
      Plot.line(data, { fx: "dimension", x: "quarter", y: "r", stroke: "steelblue" }),
      Plot.dot(data, { fx: "dimension", x: "quarter", y: "r", fill: "steelblue", r: 4 }),
      Plot.frame({ stroke: "#ddd" }),
    ],
  };
}

/** One row of {@link correlationTableRows}: numbers formatted for a table. */
export type CorrelationTableRow = {
  metric: string;
  rank: number;
  dimension: Dimension;
  /** `−0.76 [−0.94, −0.54]`, or the reason it is not estimable. */
  pearson: string;
  spearman: string;
  /** The permutation p-value of Pearson's r (`exact` when all n! orderings were counted). */
  p_value: string;
  /** `6/9`: release pairs where eval and prod moved the same good/bad way, of those where both moved. */
  directional_agreement: string;
  verdict: string;
  /** The verdict as shown: `not enough evidence (n = 9 release pairs)`. */
  verdict_label: string;
};

/**
 * The correlation table: per metric, the dimensions in rank order with Pearson and
 * Spearman (95% intervals), the permutation p-value, directional agreement and the verdict.
 *
 * @param result A correlation result.
 * @returns Rows for `htmlTable`.
 *
 * @example
 * ```ts
 * import { correlationTableRows } from "./charts.ts";
 * const cell = { n: 3, pearson: null, spearman: null, pearson_ci: null, spearman_ci: null, p_value: null,
 *   p_exact: null, directional_agreement: null, agree: 0, counted: 0, reason: "not estimable: 3 release pairs, at least 5 needed" };
 * const rows = correlationTableRows({ ranking: { thumbs_down_rate: [{ rank: 1, dimension: "length", verdict: "not enough evidence" }] },
 *   dimensions: { length: { thumbs_down_rate: cell } } } as never);
 * if (rows[0].pearson !== "not estimable: 3 release pairs, at least 5 needed") throw new Error(rows[0].pearson);
 * ```
 */
export function correlationTableRows(result: CorrelationResult): CorrelationTableRow[] {
  const withCi = (v: number | null, ci: [number, number] | null) =>
    v === null ? "" : `${fmt(v)} [${fmt(ci?.[0])}, ${fmt(ci?.[1])}]`;
  return Object.entries(result.ranking).flatMap(([metric, rows]) =>
    rows.map((r) => {
      const c = result.dimensions[r.dimension][metric];
      return {
        metric,
        rank: r.rank,
        dimension: r.dimension,
        pearson: c.pearson === null ? c.reason ?? "not estimable" : withCi(c.pearson, c.pearson_ci),
        spearman: withCi(c.spearman, c.spearman_ci),
        p_value: c.p_value === null ? "" : `${c.p_value.toFixed(3)}${c.p_exact ? " (exact)" : ""}`,
        directional_agreement: c.directional_agreement === null ? "" : `${c.agree}/${c.counted}`,
        verdict: r.verdict,
        verdict_label: r.verdict_label ?? r.verdict,
      };
    })
  );
}
