/**
 * Charts the report needs beyond those of the steps (score distributions,
 * paired differences, agreement, correlation scatter): the regression gate's
 * cases as tiles. Observable Plot options, rendered with `renderSvg`, so the
 * same chart shows inline in a notebook and in the report.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import type { PlotOptions } from "../plot.ts";
import type { GateReport } from "../regress/gate.ts";

/** What happened to a regression case, from the gate's point of view. */
export type CaseOutcome = "passed" | "fixed" | "still failing" | "new failing" | "regression";

/**
 * The colour of each {@link CaseOutcome}.
 *
 * @example
 * ```ts
 * import { CASE_OUTCOME_COLORS } from "./charts.ts";
 * if (CASE_OUTCOME_COLORS.regression === CASE_OUTCOME_COLORS.passed) throw new Error();
 * ```
 */
export const CASE_OUTCOME_COLORS: Record<CaseOutcome, string> = {
  passed: "#1a9850",
  fixed: "#91cf60",
  "still failing": "#fc8d59",
  "new failing": "#fdae61",
  regression: "#d73027",
};

/** One tile of {@link gateChart}. */
export interface CaseTile {
  id: string;
  /** The case id's number, or its position, as the tile's label. */
  label: string;
  column: number;
  row: number;
  outcome: CaseOutcome;
  reason: string;
}

/**
 * Each case's outcome: a regression (passed on the baseline, fails now), still
 * failing, new failing (the baseline lacks it, or there is no baseline), fixed,
 * or passed.
 *
 * @example
 * ```ts
 * import { caseOutcome } from "./charts.ts";
 * if (caseOutcome({ passed: false, baseline: "passed" }) !== "regression") throw new Error();
 * if (caseOutcome({ passed: true, baseline: "failed" }) !== "fixed") throw new Error();
 * ```
 */
export function caseOutcome(
  result: { passed: boolean; baseline: "passed" | "failed" | null },
): CaseOutcome {
  if (result.passed) return result.baseline === "failed" ? "fixed" : "passed";
  return result.baseline === "passed"
    ? "regression"
    : result.baseline === "failed"
    ? "still failing"
    : "new failing";
}

/**
 * The tiles of {@link gateChart}, `columns` to a row, in the gate's case order.
 *
 * @example
 * ```ts
 * import { caseTiles } from "./charts.ts";
 * const result = (id: string, passed: boolean) => ({ id, passed, baseline: "passed" as const });
 * const tiles = caseTiles({ results: [result("c1", true), result("c2", false)] as never }, 1);
 * if (tiles[1].outcome !== "regression" || tiles[1].row !== 1) throw new Error(JSON.stringify(tiles));
 * ```
 */
export function caseTiles(gate: Pick<GateReport, "results">, columns = 15): CaseTile[] {
  return gate.results.map((r, i) => ({
    id: r.id,
    label: /(\d+)$/.exec(r.id)?.[1].replace(/^0+(?=\d)/, "") ?? String(i + 1),
    column: i % columns,
    row: Math.floor(i / columns),
    outcome: caseOutcome(r),
    reason: r.reason,
  }));
}

/**
 * The regression gate as tiles, one per held-out case, coloured by outcome:
 * regressions in red stand out against passing cases in green.
 *
 * @param gate A gate report (`gate.json`).
 * @param options `columns` per row (default 15) and a `title`.
 * @returns Plot options.
 *
 * @example
 * ```ts
 * import { gateChart } from "./charts.ts";
 * import { renderSvg } from "../plot.ts";
 * const results = [
 *   { id: "case-001", passed: true, baseline: "passed" as const, reason: "" },
 *   { id: "case-002", passed: false, baseline: "passed" as const, reason: "says \"<b>\"" },
 * ];
 * const svg = renderSvg(gateChart({ results } as never));
 * if (!svg.includes("regression") || svg.includes("<b>")) throw new Error(svg);
 * ```
 */
export function gateChart(
  gate: Pick<GateReport, "results">,
  options: { columns?: number; title?: string } = {},
): PlotOptions {
  const columns = Math.max(1, Math.min(options.columns ?? 15, gate.results.length || 1));
  const tiles = caseTiles(gate, columns);
  const rows = Math.max(1, Math.ceil(tiles.length / columns));
  const outcomes = Object.keys(CASE_OUTCOME_COLORS) as CaseOutcome[];
  return {
    caption: options.title ??
      "Every held-out regression case, coloured by its outcome against the baseline",
    width: Math.min(760, 60 + 46 * columns),
    height: 40 + 40 * rows,
    marginTop: 10,
    marginBottom: 10,
    padding: 0.08,
    x: { axis: null, domain: Array.from({ length: columns }, (_, i) => i) },
    y: { axis: null, domain: Array.from({ length: rows }, (_, i) => i) },
    color: {
      legend: true,
      domain: outcomes,
      range: outcomes.map((o) => CASE_OUTCOME_COLORS[o]),
    },
    marks: [
      Plot.cell(tiles, {
        x: "column",
        y: "row",
        fill: "outcome",
        rx: 4,
        title: (t: CaseTile) => `${t.id}: ${t.outcome}${t.reason ? ` — ${t.reason}` : ""}`,
      }),
      Plot.text(tiles, {
        x: "column",
        y: "row",
        text: "label",
        fill: "white",
        fontWeight: "bold",
        fontSize: 11,
      }),
    ],
  };
}
