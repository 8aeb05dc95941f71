/**
 * Charts of judge–human agreement, as Observable Plot options (render them with
 * `renderSvg`): the agreement per dimension with intervals, the confusion
 * matrix of judge vs human mean per dimension, and the drift trend.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type { PlotOptions } from "../plot.ts";
import { type AgreementMetric, type AgreementReport, SCORE_LABELS } from "./compute.ts";
import { type Scale, scaleLabels } from "../dimensions.ts";
import type { AgreementDrift } from "./history.ts";

/**
 * Agreement per dimension with 95% intervals: the judge against the human mean, the judge
 * against a single human (averaged over raters), and human against human, with the
 * threshold as a dashed rule.
 *
 * @param report An agreement report.
 * @param metric The metric to show. @default the report's primary metric
 *
 * @example
 * ```ts
 * import { agreementChart, computeAgreement } from "./mod.ts";
 * import { renderSvg } from "../plot.ts";
 * const s = (v: number) => ({ correctness: v, relevance: v, clarity: v, calibration: v, length: v });
 * const judgments = [1, 2, 3, 4, 5, 4].map((v, i) => ({ item_id: `q${i}`, judge_model: "m",
 *   prompt_sha256: "0".repeat(64), scores: s(v), rationale: "", usage: { prompt_tokens: 0, completion_tokens: 0 },
 *   status: "ok" as const }));
 * const ratings = [1, 2, 4, 4, 5, 3].map((v, i) => ({ item_id: `q${i}`, rater: "ana", ...s(v) }));
 * const svg = renderSvg(agreementChart(computeAgreement(judgments, ratings, { resamples: 100 })));
 * if (!svg.includes("<svg")) throw new Error("no chart");
 * ```
 */
export function agreementChart(report: AgreementReport, metric?: AgreementMetric): PlotOptions {
  const m = metric ?? report.metric;
  const dimensions = Object.keys(report.dimensions) as (keyof AgreementReport["dimensions"])[];
  const data = dimensions.flatMap((dimension) => {
    const d = report.dimensions[dimension];
    return [
      { dimension, who: "judge vs human mean", e: d.judge_vs_humans[m] },
      { dimension, who: "judge vs one human", e: d.judge_vs_single[m] },
      { dimension, who: "human vs human", e: d.human_vs_human[m] },
    ].filter((r) => r.e.value !== null).map((r) => ({
      dimension: r.dimension,
      who: r.who,
      value: r.e.value as number,
      lo: r.e.ci[0] ?? r.e.value,
      hi: r.e.ci[1] ?? r.e.value,
    }));
  });
  return {
    caption:
      `${m} agreement per dimension, with ${
        Math.round(report.level * 100)
      }% bootstrap intervals; ` +
      `dashed: the threshold ${report.threshold}`,
    width: 720,
    height: 70 + 56 * dimensions.length,
    marginLeft: 90,
    color: {
      legend: true,
      domain: ["judge vs human mean", "judge vs one human", "human vs human"],
      range: ["steelblue", "#7fb3d5", "#e08214"],
    },
    x: { label: m, domain: m === "exact" || m === "adjacent" ? [0, 1] : [-0.2, 1], grid: true },
    y: { axis: null, domain: ["judge vs human mean", "judge vs one human", "human vs human"] },
    fy: { label: null, domain: dimensions },
    marks: [
      Plot.ruleY(data, {
        fy: "dimension",
        y: "who",
        x1: "lo",
        x2: "hi",
        stroke: "who",
        strokeWidth: 2,
      }),
      Plot.dot(data, { fy: "dimension", y: "who", x: "value", fill: "who", r: 4 }),
      Plot.ruleX([report.threshold], { strokeDasharray: "4,3", stroke: "#c0392b" }),
    ],
  };
}

/**
 * A confusion-matrix heatmap per dimension: the judge's score (rows) against the human
 * mean rounded half to even (columns), counts in the cells. Agreement sits on the
 * diagonal; a judge that is too lenient fills the cells above it.
 *
 * @param report An agreement report.
 *
 * @example
 * ```ts
 * import { confusionChart } from "./charts.ts";
 * import { renderSvg } from "../plot.ts";
 * import { computeAgreement } from "./compute.ts";
 * const s = (v: number) => ({ correctness: v, relevance: v, clarity: v, calibration: v, length: v });
 * const truth = [5, 4, 4, 2, 1, 3, 5, 2, 3, 4];
 * const judgments = truth.map((v, i) => ({ item_id: `q${i}`, judge_model: "m", prompt_sha256: "0".repeat(64),
 *   scores: s(v), rationale: "", usage: { prompt_tokens: 0, completion_tokens: 0 }, status: "ok" as const }));
 * const ratings = ["ana", "ben"].flatMap((rater) =>
 *   truth.map((v, i) => ({ item_id: `q${i}`, rater, ...s(rater === "ben" && i % 3 === 0 ? Math.max(1, v - 2) : v) })));
 * const report = computeAgreement(judgments, ratings, { resamples: 200 });
 * if (!renderSvg(confusionChart(report)).includes("<svg")) throw new Error();
 * ```
 */
export function confusionChart(report: AgreementReport, scale?: Scale): PlotOptions {
  const dimensions = Object.keys(report.dimensions) as (keyof AgreementReport["dimensions"])[];
  const size = report.dimensions[dimensions[0]]?.confusion.length ?? SCORE_LABELS.length;
  const labels = scale
    ? scaleLabels(scale)
    : size === SCORE_LABELS.length
    ? [...SCORE_LABELS]
    : Array.from({ length: size }, (_, i) => i + 1);
  const data = dimensions.flatMap((dimension) =>
    report.dimensions[dimension].confusion.flatMap((row, i) =>
      row.map((count, j) => ({ dimension, judge: labels[i], human: labels[j], count }))
    )
  );
  return {
    caption:
      "Judge score (rows) vs human mean (columns), items per cell; the diagonal is exact agreement",
    width: 900,
    height: 240,
    padding: 0.05,
    color: { scheme: "blues", label: "items" },
    fx: { label: null, domain: dimensions },
    x: { label: "human mean →", domain: labels },
    y: { label: "↑ judge", domain: [...labels].reverse() },
    marks: [
      Plot.cell(data, { fx: "dimension", x: "human", y: "judge", fill: "count", inset: 0.5 }),
      Plot.text(data, {
        fx: "dimension",
        x: "human",
        y: "judge",
        text: (d: { count: number }) => (d.count > 0 ? String(d.count) : ""),
        fill: (d: { count: number }) => (d.count > 8 ? "white" : "black"),
      }),
    ],
  };
}

/**
 * The drift trend: the primary metric per dimension month by month with its interval,
 * the threshold dashed, and flagged months ringed in red.
 *
 * @param drift From `agreementDrift`.
 *
 * @example
 * ```ts
 * import { driftChart } from "./charts.ts";
 * import { agreementDrift, type HistoryEntry } from "./history.ts";
 * import { renderSvg } from "../plot.ts";
 * import { computeAgreement } from "./compute.ts";
 * const s = (v: number) => ({ correctness: v, relevance: v, clarity: v, calibration: v, length: v });
 * const truth = [5, 4, 4, 2, 1, 3, 5, 2, 3, 4];
 * const judgments = truth.map((v, i) => ({ item_id: `q${i}`, judge_model: "m", prompt_sha256: "0".repeat(64),
 *   scores: s(v), rationale: "", usage: { prompt_tokens: 0, completion_tokens: 0 }, status: "ok" as const }));
 * const ratings = ["ana", "ben"].flatMap((rater) =>
 *   truth.map((v, i) => ({ item_id: `q${i}`, rater, ...s(rater === "ben" && i % 3 === 0 ? Math.max(1, v - 2) : v) })));
 * const report = computeAgreement(judgments, ratings, { resamples: 200 });
 * const entry = (date: string) => ({ artifact: date, id: date, date, created_at: date, run: null,
 *   judge_model: "m", prompt_sha256: null, report }) as HistoryEntry;
 * const drift = agreementDrift([entry("2026-07-10"), entry("2026-08-12")]);
 * if (!renderSvg(driftChart(drift)).includes("<svg")) throw new Error();
 * ```
 */
export function driftChart(drift: AgreementDrift): PlotOptions {
  const dimensions = Object.keys(drift.dimensions) as (keyof AgreementDrift["dimensions"])[];
  const data = dimensions.flatMap((dimension) =>
    drift.dimensions[dimension].filter((p) => p.value !== null).map((p) => ({
      dimension,
      month: new Date(`${p.month}-01T00:00:00Z`),
      value: p.value as number,
      lo: p.ci[0] ?? (p.value as number),
      hi: p.ci[1] ?? (p.value as number),
      flagged: p.flags.length > 0,
    }))
  );
  return {
    caption:
      `${drift.metric} agreement (judge vs human mean) month by month; dashed: the threshold ` +
      `${drift.threshold}; red rings: a drop > ${drift.max_drop} or an interval moving below the threshold`,
    width: 720,
    height: 320,
    color: { legend: true, domain: dimensions },
    x: {
      label: null,
      type: "utc",
      ticks: drift.months.map((m) => new Date(`${m}-01T00:00:00Z`)),
      tickFormat: "%b %Y",
      inset: 20,
    },
    y: { label: drift.metric, grid: true },
    marks: [
      Plot.areaY(data, { x: "month", y1: "lo", y2: "hi", fill: "dimension", fillOpacity: 0.08 }),
      Plot.lineY(data, { x: "month", y: "value", stroke: "dimension", marker: "dot" }),
      Plot.dot(data.filter((d) => d.flagged), {
        x: "month",
        y: "value",
        r: 8,
        stroke: "#c0392b",
        strokeWidth: 2,
      }),
      Plot.ruleY([drift.threshold], { strokeDasharray: "4,3", stroke: "#c0392b" }),
    ],
  };
}
