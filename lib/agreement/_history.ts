/**
 * The steps of {@link agreementDrift}: the latest entry of each month, and one month's
 * point of one dimension against the month before, with its flags.
 *
 * @module
 */
import type { Dimension } from "../schemas.ts";
import { round4 } from "./_items.ts";
import type { AgreementMetric, Estimate } from "./compute.ts";
import type { DriftFlag, DriftPoint, HistoryEntry } from "./history.ts";

/** What the history follows and flags. */
export interface DriftRule {
  metric: AgreementMetric;
  threshold: number;
  /** The largest month-over-month fall not flagged. */
  maxDrop: number;
}

/** The latest entry of each calendar month (`YYYY-MM` of its date), months oldest first. */
export function latestPerMonth(sorted: readonly HistoryEntry[]): Map<string, HistoryEntry> {
  const perMonth = new Map<string, HistoryEntry>();
  for (const e of sorted) perMonth.set(e.date.slice(0, 7), e);
  return perMonth;
}

/**
 * One month's point of one dimension: the figure of `rule.metric`, its verdict, the drop
 * from `prev` (the month before's point, null for the first), and the flags: `drop` when
 * it fell by more than `maxDrop`, `ci_below_threshold` when the interval's lower end moved
 * below the threshold.
 */
export function driftPoint(
  month: string,
  entry: HistoryEntry,
  dimension: Dimension,
  prev: DriftPoint | null,
  rule: DriftRule,
): { point: DriftPoint; flags: DriftFlag[] } {
  const { metric, threshold, maxDrop } = rule;
  const est = entry.report.dimensions[dimension]?.judge_vs_humans?.[metric] as
    | Estimate
    | undefined;
  const value = est?.value ?? null;
  const ci: [number | null, number | null] = est?.ci ?? [null, null];
  const drop = prev && prev.value !== null && value !== null ? round4(prev.value - value) : null;
  const flags: DriftFlag[] = [];
  if (drop !== null && drop > maxDrop + 1e-9) {
    flags.push({
      month,
      previous_month: prev!.month,
      dimension,
      kind: "drop",
      detail: `${metric} fell from ${prev!.value} to ${value} (by ${drop}, more than ${maxDrop})`,
    });
  }
  if (
    prev && prev.ci[0] !== null && prev.ci[0] >= threshold && ci[0] !== null && ci[0] < threshold
  ) {
    flags.push({
      month,
      previous_month: prev.month,
      dimension,
      kind: "ci_below_threshold",
      detail: `the ${metric} interval's lower end moved below ${threshold}: ${prev.ci[0]} → ${
        ci[0]
      }`,
    });
  }
  const point: DriftPoint = {
    month,
    date: entry.date,
    artifact: entry.artifact,
    value,
    ci,
    verdict: value === null ? "undetermined" : value < threshold ? "recalibrate" : "ok",
    drop,
    flags: flags.map((f) => f.kind),
  };
  return { point, flags };
}
