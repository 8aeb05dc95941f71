/**
 * One-line and table renderings of a validity result, shared by the CLI and the demo.
 *
 * @module
 */
import type { DimensionValidity, ItemValidity } from "./compute.ts";

const f2 = (x: number) => x.toFixed(2);

/**
 * `0.71 [0.65, 0.77]`, or `n/a (reason)` when not estimable.
 *
 * @example
 * ```ts
 * import { formatAuc } from "./format.ts";
 * if (formatAuc({ auc: 0.7712, auc_ci: [0.72, 0.81] } as never) !== "0.77 [0.72, 0.81]") throw new Error();
 * if (formatAuc({ auc: null } as never) !== "n/a") throw new Error();
 * ```
 */
export function formatAuc(d: Pick<DimensionValidity, "auc" | "auc_ci" | "reason">): string {
  if (d.auc === null) return "n/a";
  return d.auc_ci ? `${f2(d.auc)} [${f2(d.auc_ci[0])}, ${f2(d.auc_ci[1])}]` : f2(d.auc);
}

/**
 * The per-dimension AUCs in one line, e.g.
 * `correctness 0.71 [0.65, 0.77], …; 512 answers with feedback (88 down)`.
 *
 * @example
 * ```ts
 * import { validityLine } from "./format.ts";
 * import assert from "node:assert/strict";
 * const d = { auc: 0.7, auc_ci: [0.6, 0.8] as [number, number], reason: undefined };
 * const line = validityLine({ dimensions: { correctness: d }, n_down: 20, n_up: 30, n_none: 50 } as never);
 * assert.equal(line, "correctness 0.70 [0.60, 0.80]; 50 answers with feedback (20 down, 30 up), 50 without");
 * ```
 */
export function validityLine(v: ItemValidity): string {
  const dims = Object.entries(v.dimensions).map(([d, x]) => `${d} ${formatAuc(x)}`).join(", ");
  return `${dims}; ${
    v.n_down + v.n_up
  } answers with feedback (${v.n_down} down, ${v.n_up} up), ${v.n_none} without`;
}
