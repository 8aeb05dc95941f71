/**
 * Charts of a dimension investigation, as Observable Plot options (render them
 * with `renderSvg`): the score mix per stratum, and the dimension's mean
 * release by release with the step where it moved.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type { PlotOptions } from "../plot.ts";
import type { Investigation, StratumRow } from "./investigate.ts";

/**
 * Colours of the scores 1–5, red to green.
 *
 * @example
 * ```ts
 * import { SCORE_COLORS } from "./charts.ts";
 * if (SCORE_COLORS.length !== 5) throw new Error();
 * ```
 */
export const SCORE_COLORS: readonly string[] = [
  "#d73027",
  "#fc8d59",
  "#fee08b",
  "#91cf60",
  "#1a9850",
];

/**
 * The score mix of one dimension in each stratum: a bar per stratum split into the
 * shares of scores 1–5, with the stratum's mean and n at the end.
 *
 * @param strata The investigation's strata.
 * @param dimension The dimension, for the caption.
 * @returns Plot options.
 *
 * @example
 * ```ts
 * import { strataChart } from "./charts.ts";
 * import { renderSvg } from "../plot.ts";
 * const row = { stratum: "billing", n: 4, mean: 3, ci: null, low_share: 0.25, counts: [0, 1, 2, 1, 0] as [number, number, number, number, number], change: null };
 * if (!renderSvg(strataChart([row], "correctness")).includes("billing")) throw new Error();
 * ```
 */
export function strataChart(strata: readonly StratumRow[], dimension: string): PlotOptions {
  const data = strata.flatMap((s) =>
    s.counts.map((count, i) => ({ stratum: s.stratum, score: i + 1, share: count / s.n }))
  );
  return {
    caption: `${dimension} by stratum: share of items per score (1 red … 5 green); ` +
      "right: the stratum's mean and n",
    width: 760,
    height: 50 + 34 * Math.max(1, strata.length),
    marginLeft: 90,
    marginRight: 120,
    x: { label: "share of items →", percent: true, domain: [0, 100] },
    y: { label: null, domain: strata.map((s) => s.stratum) },
    color: {
      legend: true,
      type: "ordinal",
      domain: [1, 2, 3, 4, 5],
      range: [...SCORE_COLORS],
      label: "score",
    },
    marks: [
      Plot.barX(data, Plot.stackX({ x: "share", y: "stratum", fill: "score", order: "score" })),
      Plot.text(strata, {
        y: "stratum",
        text: (s: StratumRow) => `mean ${s.mean.toFixed(2)} · n ${s.n}`,
        frameAnchor: "right",
        textAnchor: "start",
        dx: 8,
      }),
    ],
  };
}

/**
 * The dimension's mean release by release (same eval set, judge and prompt), with the
 * step where it moved drawn thick in red (a drop) or green (a rise).
 *
 * @param investigation An investigation.
 * @returns Plot options.
 *
 * @example
 * ```ts
 * import { historyChart } from "./charts.ts";
 * import { renderSvg } from "../plot.ts";
 * const point = (label: string, mean: number) => ({ label, run: label, date: null, mean, n: 9 });
 * const svg = renderSvg(historyChart({ dimension: "correctness", history: [point("r1", 3.2),
 *   point("r2", 2.9)], moved: null } as never));
 * if (!svg.includes("<svg")) throw new Error();
 * ```
 */
export function historyChart(investigation: Investigation): PlotOptions {
  const points = investigation.history;
  const moved = investigation.moved?.step;
  const link = moved
    ? [{
      from: moved.from,
      to: moved.to,
      y1: moved.from_mean,
      y2: moved.to_mean,
    }]
    : [];
  const colour = moved && moved.diff < 0 ? "#d73027" : "#1a9850";
  const means = points.map((p) => p.mean);
  const lo = Math.max(1, Math.min(...means) - 0.3);
  const hi = Math.min(5, Math.max(...means) + 0.3);
  return {
    caption: `${investigation.dimension}: mean score per release${
      moved
        ? `; thick: ${moved.from} → ${moved.to}, ${moved.diff >= 0 ? "+" : ""}${
          moved.diff.toFixed(2)
        } [${moved.ci[0].toFixed(2)}, ${moved.ci[1].toFixed(2)}] (${moved.verdict})`
        : ""
    }`,
    width: 760,
    height: 260,
    marginLeft: 50,
    x: { type: "point", domain: points.map((p) => p.label), label: null, padding: 0.4 },
    y: { domain: [lo, hi], label: `mean ${investigation.dimension}`, grid: true },
    marks: [
      Plot.line(points, { x: "label", y: "mean", stroke: "#9aa5b1", strokeWidth: 1.5 }),
      Plot.link(link, {
        x1: "from",
        x2: "to",
        y1: "y1",
        y2: "y2",
        stroke: colour,
        strokeWidth: 4,
      }),
      Plot.dot(points, { x: "label", y: "mean", fill: "#1f2933", r: 4 }),
      Plot.text(points, {
        x: "label",
        y: "mean",
        text: (p: { mean: number }) => p.mean.toFixed(2),
        dy: -12,
        fontSize: 10,
      }),
    ],
  };
}
