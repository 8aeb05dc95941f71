/**
 * Charts of a dimension investigation, as Observable Plot options (render them
 * with `renderSvg`): the score mix per stratum, and the dimension's mean
 * release by release with the step where it moved.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { DEFAULT_SCALE, type Scale, scaleLabel, scaleLabels } from "../dimensions.ts";
import type { PlotOptions } from "../plot.ts";
import type { Investigation, StratumRow } from "./investigate.ts";

/**
 * Colours of the scores 1–5, red to green (other scales: {@link scoreColors}).
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

function hex(rgb: readonly number[]): string {
  return `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;
}

function rgb(colour: string): number[] {
  return [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
}

/**
 * One colour per score of a scale, red (lowest) to green (highest): {@link SCORE_COLORS}
 * on 1–5, the same ramp interpolated for any other number of points.
 *
 * @example
 * ```ts
 * import { SCORE_COLORS, scoreColors } from "./charts.ts";
 * const ten = scoreColors({ min: 1, max: 10 });
 * if (ten.length !== 10 || ten[0] !== SCORE_COLORS[0] || ten[9] !== SCORE_COLORS[4]) throw new Error();
 * if (scoreColors({ min: 1, max: 5 }).join() !== SCORE_COLORS.join()) throw new Error();
 * ```
 */
export function scoreColors(scale: Scale): string[] {
  const n = scale.max - scale.min + 1;
  const stops = SCORE_COLORS.map(rgb);
  return Array.from({ length: n }, (_, i) => {
    const t = (i / (n - 1)) * (stops.length - 1);
    const k = Math.min(Math.floor(t), stops.length - 2);
    const f = t - k;
    return hex(stops[k].map((c, j) => c + (stops[k + 1][j] - c) * f));
  });
}

/** Options for {@link strataChart}. */
export interface StrataChartOptions {
  /** The run's scale (`investigation.scale`). @default 1–5 */
  scale?: Scale;
}

/**
 * The score mix of one dimension in each stratum: a bar per stratum split into the
 * shares of each score of the scale, with the stratum's mean and n at the end.
 *
 * @param strata The investigation's strata.
 * @param dimension The dimension, for the caption.
 * @param options The run's scale.
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
export function strataChart(
  strata: readonly StratumRow[],
  dimension: string,
  options: StrataChartOptions = {},
): PlotOptions {
  const scale = options.scale ?? DEFAULT_SCALE;
  const data = strata.flatMap((s) =>
    s.counts.map((count, i) => ({ stratum: s.stratum, score: scale.min + i, share: count / s.n }))
  );
  return {
    caption: `${dimension} by stratum: share of items per score (${scale.min} red … ${scale.max} ` +
      "green); right: the stratum's mean and n",
    width: 760,
    height: 50 + 34 * Math.max(1, strata.length),
    marginLeft: 90,
    marginRight: 120,
    x: { label: "share of items →", percent: true, domain: [0, 100] },
    y: { label: null, domain: strata.map((s) => s.stratum) },
    color: {
      legend: true,
      type: "ordinal",
      domain: scaleLabels(scale),
      range: scoreColors(scale),
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
 * step where it moved drawn thick in red (a drop) or green (a rise), on the run's scale.
 *
 * @param investigation An investigation.
 * @returns Plot options.
 *
 * @example
 * ```ts
 * import { historyChart } from "./charts.ts";
 * import { renderSvg } from "../plot.ts";
 * const point = (label: string, mean: number) => ({ label, run: label, date: null, mean, n: 9 });
 * const svg = renderSvg(historyChart({ dimension: "correctness", scale: { min: 1, max: 5 },
 *   history: [point("r1", 3.2), point("r2", 2.9)], moved: null } as never));
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
  const scale = investigation.scale ?? DEFAULT_SCALE;
  const pad = 0.075 * (scale.max - scale.min); // 0.3 on 1–5
  const lo = Math.max(scale.min, Math.min(...means) - pad);
  const hi = Math.min(scale.max, Math.max(...means) + pad);
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
    y: {
      domain: [lo, hi],
      // The scale is named when it is not the default 1–5.
      label: `mean ${investigation.dimension}${
        scale.min === 1 && scale.max === 5 ? "" : ` (${scaleLabel(scale)})`
      }`,
      grid: true,
    },
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
