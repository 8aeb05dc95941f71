/**
 * Which dimensions predict prod: per metric, the dimensions ranked by their correlation
 * with the metric, signed so that positive means "a higher score came with better prod"
 * (for thumbs-down, a negative Pearson r is the good sign), each with a verdict:
 *
 * - `watch`: the 95% interval of the signed correlation lies above 0. Its moves show up
 *   in prod: gate on it, and believe its gains.
 * - `unclear`: signed r ≥ `weakAt` but the interval reaches 0: promising, not yet shown;
 *   more releases will tell.
 * - `stop celebrating`: signed r < `weakAt` (and the interval reaches 0): its gains have
 *   not shown up in prod, so a better score on it is no news for users.
 * - `misleading`: the interval lies below 0: it moves against prod.
 * - `not estimable`: too few release pairs.
 *
 * @module
 */
import type { Dimension } from "../schemas.ts";
import type { CorrelationCell } from "./correlation.ts";

/** What to do about a dimension, for one metric. */
export type CorrelationVerdict =
  | "watch"
  | "unclear"
  | "stop celebrating"
  | "misleading"
  | "not estimable";

/** One dimension's place in a metric's ranking. */
export interface RankedDimension {
  rank: number;
  dimension: Dimension;
  pearson: number | null;
  pearson_ci: [number, number] | null;
  /** Pearson's r signed so that positive is "higher score, better prod". */
  oriented: number | null;
  oriented_ci: [number, number] | null;
  p_value: number | null;
  directional_agreement: number | null;
  verdict: CorrelationVerdict;
}

/** Options for {@link rankDimensions}. */
export interface RankOptions {
  /** A signed correlation below this (with an interval reaching 0) is "stop celebrating". @default 0.3 */
  weakAt?: number;
}

/** The verdict of one correlation cell. */
export function correlationVerdict(cell: CorrelationCell, weakAt = 0.3): CorrelationVerdict {
  if (cell.oriented === null || cell.oriented_ci === null) return "not estimable";
  if (cell.oriented_ci[0] > 0) return "watch";
  if (cell.oriented_ci[1] < 0) return "misleading";
  return cell.oriented >= weakAt ? "unclear" : "stop celebrating";
}

/**
 * Rank the dimensions per metric by signed correlation (best predictor first; not
 * estimable last), each with its verdict.
 *
 * @param cells `{ dimension: { metric: CorrelationCell } }` (from {@link correlateDeltas}).
 * @param options `weakAt`.
 * @returns `{ metric: RankedDimension[] }`.
 *
 * @example
 * ```ts
 * import { rankDimensions } from "./rank.ts";
 * const cell = (oriented: number, lo: number, hi: number) => ({ n: 9, pearson: -oriented, oriented,
 *   oriented_ci: [lo, hi], pearson_ci: [-hi, -lo], spearman: null, spearman_ci: null, p_value: 0.01,
 *   spearman_p_value: null, p_exact: false, directional_agreement: 0.8, agree: 8, counted: 10 });
 * const ranked = rankDimensions({ correctness: { thumbs_down_rate: cell(0.8, 0.5, 0.95) },
 *   length: { thumbs_down_rate: cell(0.05, -0.6, 0.7) } } as never);
 * if (ranked.thumbs_down_rate.map((r) => r.verdict).join() !== "watch,stop celebrating") throw new Error();
 * ```
 */
export function rankDimensions(
  cells: Readonly<Partial<Record<Dimension, Record<string, CorrelationCell>>>>,
  options: RankOptions = {},
): Record<string, RankedDimension[]> {
  const { weakAt = 0.3 } = options;
  const byMetric: Record<string, Omit<RankedDimension, "rank">[]> = {};
  for (
    const [d, metrics] of Object.entries(cells) as [Dimension, Record<string, CorrelationCell>][]
  ) {
    for (const [m, c] of Object.entries(metrics)) {
      (byMetric[m] ??= []).push({
        dimension: d,
        pearson: c.pearson,
        pearson_ci: c.pearson_ci,
        oriented: c.oriented,
        oriented_ci: c.oriented_ci,
        p_value: c.p_value,
        directional_agreement: c.directional_agreement,
        verdict: correlationVerdict(c, weakAt),
      });
    }
  }
  const out: Record<string, RankedDimension[]> = {};
  for (const [m, rows] of Object.entries(byMetric)) {
    const sorted = rows.slice().sort((a, b) =>
      (b.oriented ?? -Infinity) - (a.oriented ?? -Infinity) ||
      (b.oriented_ci?.[0] ?? -Infinity) - (a.oriented_ci?.[0] ?? -Infinity)
    );
    out[m] = sorted.map((r, i) => ({ rank: i + 1, ...r }));
  }
  return out;
}
