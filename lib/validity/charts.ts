/**
 * Charts of item-level validity (Plot options; render with {@link renderSvg}): the AUC
 * forest plot, one dimension's thumbs-down rate by score, and the rows they draw.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type { PlotOptions } from "../plot.ts";
import type { DimensionValidity, ItemValidity } from "./compute.ts";
import { evalProdVerdict, NO_EFFECT_HIGH, NO_EFFECT_LOW, verdictColour } from "./verdict.ts";

/** One row of {@link aucForestChart}: a dimension's AUC, interval and item-level verdict. */
export interface AucForestRow {
  dimension: string;
  auc: number | null;
  lo: number | null;
  hi: number | null;
  /** Answers with feedback behind it. */
  n: number;
  verdict: string;
  /** `not enough evidence (n = 522 answers with feedback)`, or the reason it is not estimable. */
  label: string;
}

const feedbackN = (d: Pick<DimensionValidity, "primary" | "n_down" | "n_up" | "n">) =>
  d.primary === "up_vs_down" ? d.n_down + d.n_up : d.n;

/**
 * Each dimension's AUC and its item-level verdict ({@link evalProdVerdict} on the AUC alone).
 *
 * @param validity A validity result (`validity.json`).
 * @returns One row per dimension, in the result's order.
 *
 * @example
 * ```ts
 * import { aucForestRows } from "./charts.ts";
 * const d = { auc: 0.5, auc_ci: [0.46, 0.54], primary: "up_vs_down", n: 900, n_down: 300, n_up: 600 };
 * const rows = aucForestRows({ dimensions: { length: d } } as never);
 * if (rows[0].verdict !== "does not predict prod") throw new Error(rows[0].verdict);
 * ```
 */
export function aucForestRows(validity: Pick<ItemValidity, "dimensions">): AucForestRow[] {
  return Object.entries(validity.dimensions).map(([dimension, d]) => {
    const n = feedbackN(d);
    const v = evalProdVerdict({ item: { auc: d.auc, ci: d.auc_ci, n } });
    return {
      dimension,
      auc: d.auc,
      lo: d.auc_ci?.[0] ?? null,
      hi: d.auc_ci?.[1] ?? null,
      n,
      verdict: v.verdict,
      label: d.auc === null ? `not estimable: ${d.reason ?? "too few answers"}` : v.label,
    };
  });
}

/**
 * The AUC forest plot: each dimension's AUC (a thumbed-up answer outscores a thumbed-down
 * one) with its 95% interval, the no-effect band [0.45, 0.55] shaded, 0.5 ruled, each
 * interval coloured by its verdict (green predicts prod, blue inside the band, grey not
 * enough evidence, red against).
 *
 * @param validity A validity result.
 * @returns Plot options.
 *
 * @example
 * ```ts
 * import { aucForestChart } from "./charts.ts";
 * import { renderSvg } from "../plot.ts";
 * const d = { auc: 0.77, auc_ci: [0.72, 0.81], primary: "up_vs_down", n: 522, n_down: 121, n_up: 401 };
 * const svg = renderSvg(aucForestChart({ n_down: 121, n_up: 401, primary: "up_vs_down", dimensions: { correctness: d } } as never));
 * if (!svg.includes("predicts prod")) throw new Error(svg);
 * ```
 */
export function aucForestChart(
  validity: Pick<ItemValidity, "dimensions" | "n_down" | "n_up" | "primary">,
): PlotOptions {
  const rows = aucForestRows(validity);
  const drawn = rows.filter((r) => r.auc !== null);
  const what = validity.primary === "up_vs_down"
    ? `a thumbed-up answer outscores a thumbed-down one (${validity.n_down} down, ${validity.n_up} up)`
    : `a thumbed-down answer scores lower than the rest (${validity.n_down} down; no thumbs-up logged)`;
  return {
    caption: `Does the score predict the user's feedback? AUC: the chance ${what}; 95% interval. ` +
      `Shaded: [${NO_EFFECT_LOW}, ${NO_EFFECT_HIGH}], no useful effect.`,
    width: 640,
    height: 60 + 32 * Math.max(1, rows.length),
    marginLeft: 90,
    marginRight: 300,
    x: { domain: [0.3, 1], label: "AUC", grid: true },
    y: { domain: rows.map((r) => r.dimension), label: null },
    marks: [
      Plot.rectX([{ x1: NO_EFFECT_LOW, x2: NO_EFFECT_HIGH }], {
        x1: "x1",
        x2: "x2",
        fill: "#dde6f0",
      }),
      Plot.ruleX([0.5], { stroke: "#999" }),
      Plot.ruleY(drawn, {
        y: "dimension",
        x1: "lo",
        x2: "hi",
        stroke: (d: AucForestRow) => verdictColour(d.verdict),
        strokeWidth: 2,
      }),
      Plot.dot(drawn, {
        x: "auc",
        y: "dimension",
        r: 5,
        fill: (d: AucForestRow) => verdictColour(d.verdict),
      }),
      Plot.text(rows, {
        y: "dimension",
        text: "label",
        frameAnchor: "right",
        textAnchor: "start",
        dx: 8,
        fontSize: 10,
      }),
    ],
  };
}

/**
 * One dimension's thumbs-down rate (among answers with feedback) at each score, with its
 * Wilson 95% interval and the count at each score. A score that predicts the feedback
 * slopes down: higher scores, fewer thumbs-down.
 *
 * @param validity A validity result.
 * @param dimension The dimension.
 * @returns Plot options.
 * @throws {RangeError} When the result has no such dimension.
 *
 * @example
 * ```ts
 * import { downRateChart } from "./charts.ts";
 * import { renderSvg } from "../plot.ts";
 * const at = (score: number, rate: number) => ({ score, n: 50, n_feedback: 20, down: rate * 20, rate, ci: [rate / 2, (1 + rate) / 2] });
 * const v = { dimensions: { correctness: { down_rate_by_score: [at(1, 0.6), at(5, 0.1)] } } };
 * if ((renderSvg(downRateChart(v as never, "correctness")).match(/<circle/g) ?? []).length !== 2) throw new Error();
 * ```
 */
export function downRateChart(
  validity: Pick<ItemValidity, "dimensions">,
  dimension: string,
): PlotOptions {
  const d = validity.dimensions[dimension];
  if (!d) {
    throw new RangeError(
      `Unknown dimension "${dimension}": the result has ${
        Object.keys(validity.dimensions).map((x) => `"${x}"`).join(", ")
      }`,
    );
  }
  // With thumbs-down only logged, every answer with feedback is down: the rate among
  // all answers is the one that can move.
  const all = d.primary === "down_vs_rest";
  const rows = d.down_rate_by_score.flatMap((r) => {
    const rate = all ? r.share_of_all : r.rate;
    const ci = all ? r.share_of_all_ci : r.ci;
    if (rate === null || rate === undefined) return [];
    return [{
      score: r.score,
      rate,
      lo: ci?.[0] ?? rate,
      hi: ci?.[1] ?? rate,
      label: `${r.down}/${all ? r.n : r.n_feedback}`,
    }];
  });
  return {
    caption: `${dimension}: thumbs-down rate by score (${
      all ? "all answers" : "answers with feedback"
    }; Wilson 95%)`,
    width: 300,
    height: 220,
    x: { domain: d.down_rate_by_score.map((r) => r.score), label: "score", type: "point" },
    y: { domain: [0, 1], label: "thumbs-down rate", grid: true },
    marks: [
      Plot.ruleX(rows, { x: "score", y1: "lo", y2: "hi", stroke: "#7b8794", strokeWidth: 2 }),
      Plot.line(rows, { x: "score", y: "rate", stroke: "crimson" }),
      Plot.dot(rows, { x: "score", y: "rate", r: 4, fill: "crimson" }),
      Plot.text(rows, { x: "score", y: "hi", text: "label", dy: -8, fontSize: 9 }),
    ],
  };
}
