/**
 * Each dimension's association with thumbs-down when the other dimensions and the stratum
 * are held fixed: an unpenalised logistic regression of thumbs-down on every score and
 * the stratum, with variance inflation factors to say when dimensions are too collinear to
 * separate.
 *
 * The fit is unweighted on purpose: sampling that depends on the outcome and the stratum
 * (`sample --oversample`, stratified draws) shifts only the intercepts of a logistic
 * model, so the slopes stay consistent without inclusion weights.
 *
 * @module
 */
import { logisticRegression, varianceInflation } from "../stats/logistic.ts";
import type { FeedbackRow } from "./compute.ts";

/** Above this variance inflation factor a dimension cannot be told apart from the others. */
export const VIF_LIMIT = 10;

/** One dimension's adjusted association. */
export interface AdjustedCoefficient {
  /** Change in the log-odds of thumbs-down per score point, the others held fixed. */
  coefficient: number;
  se: number;
  ci: [number, number];
  /** exp(coefficient): the odds ratio of thumbs-down per score point. */
  odds_ratio: number;
  p_value: number;
  vif: number;
}

/** The adjusted model, or null with the reason. */
export interface Adjusted {
  /** What is modelled: thumbs-down among answers with feedback, or against every other answer. */
  outcome: "down among up/down" | "down vs rest";
  n: number;
  n_down: number;
  /** The strata as indicator columns (the largest is the reference); constant-outcome strata merge into it. */
  strata: { reference: string | null; columns: string[] };
  coefficients: Record<string, AdjustedCoefficient> | null;
  /** Dimensions whose VIF exceeds {@link VIF_LIMIT}. */
  collinear: string[];
  reason?: string;
}

function strataColumns(
  rows: readonly FeedbackRow[],
): { reference: string | null; columns: string[] } {
  const counts = new Map<string, { n: number; down: number }>();
  for (const r of rows) {
    const c = counts.get(r.stratum) ?? { n: 0, down: 0 };
    c.n++;
    if (r.feedback === "down") c.down++;
    counts.set(r.stratum, c);
  }
  const sorted = [...counts].sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1));
  const reference = sorted[0]?.[0] ?? null;
  // A stratum whose answers are all down (or none are) would separate: merge it into the reference.
  const columns = sorted.slice(1)
    .filter(([, c]) => c.down > 0 && c.down < c.n)
    .map(([s]) => s);
  return { reference, columns };
}

/**
 * Fit thumbs-down on every dimension's score and the stratum.
 *
 * Edge cases: null coefficients with a reason when fewer than 10 down or 10 not-down
 * answers, when the design is singular (a constant score, duplicated dimensions) or the
 * outcome is separated; `collinear` lists dimensions with VIF above {@link VIF_LIMIT},
 * whose coefficients are reported but cannot be read one by one.
 *
 * @param rows Judged answers with feedback.
 * @param dimensions The dimensions, in the run's order.
 * @param options `outcome` ("up_vs_down": answers with feedback only) and `level`.
 */
export function adjustedAssociation(
  rows: readonly FeedbackRow[],
  dimensions: readonly string[],
  options: { outcome: "up_vs_down" | "down_vs_rest"; level: number },
): Adjusted {
  const used = options.outcome === "up_vs_down" ? rows.filter((r) => r.feedback !== null) : rows;
  const outcome = options.outcome === "up_vs_down" ? "down among up/down" : "down vs rest";
  const nDown = used.filter((r) => r.feedback === "down").length;
  const strata = strataColumns(used);
  const base = { outcome, n: used.length, n_down: nDown, strata } as const;
  if (nDown < 10 || used.length - nDown < 10) {
    return {
      ...base,
      coefficients: null,
      collinear: [],
      reason: `not enough evidence: needs at least 10 down and 10 other answers, got ${nDown} ` +
        `and ${used.length - nDown}`,
    };
  }
  const scoreRows = used.map((r) => dimensions.map((d) => r.scores[d]));
  const vif = dimensions.length > 1 ? varianceInflation(scoreRows) : dimensions.map(() => 1);
  const collinear = dimensions.filter((_, j) => !(vif[j] <= VIF_LIMIT));
  const x = used.map((r, i) => [
    ...scoreRows[i],
    ...strata.columns.map((s) => (r.stratum === s ? 1 : 0)),
  ]);
  const fit = logisticRegression(x, used.map((r) => (r.feedback === "down" ? 1 : 0)), {
    level: options.level,
  });
  if (fit.reason) {
    return {
      ...base,
      coefficients: null,
      collinear,
      reason: collinear.length
        ? `too collinear to separate (${collinear.join(", ")}): ${fit.reason}`
        : fit.reason,
    };
  }
  const coefficients: Record<string, AdjustedCoefficient> = {};
  dimensions.forEach((d, j) => {
    const k = j + 1; // after the intercept
    coefficients[d] = {
      coefficient: fit.coefficients[k],
      se: fit.standardErrors[k],
      ci: fit.ci[k],
      odds_ratio: Math.exp(fit.coefficients[k]),
      p_value: fit.pValues[k],
      vif: vif[j],
    };
  });
  return {
    ...base,
    coefficients,
    collinear,
    ...(collinear.length
      ? {
        reason: `too collinear to separate: ${collinear.join(", ")} (VIF above ${VIF_LIMIT}); ` +
          `their coefficients cannot be read one by one`,
      }
      : {}),
  };
}
