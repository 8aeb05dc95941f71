/**
 * Which dimensions predict prod: per metric, the dimensions ranked by their correlation
 * with the metric, signed so that positive means "a higher score came with better prod"
 * (for thumbs-down, a negative Pearson r is the good sign), each with the release-level
 * verdict of {@link evalProdVerdict}:
 *
 * - `predicts prod`: the 95% interval of the signed correlation lies above 0. Its moves
 *   show up in prod: gate on it, and believe its gains.
 * - `moves against prod`: the interval lies below 0.
 * - `not enough evidence`: the interval reaches 0, or too few release pairs. A handful of
 *   release pairs gives wide intervals; a wide interval is no evidence of no effect, so the
 *   release level alone never says "does not predict prod" (the item-level AUC of
 *   `evalkit validity` can; the report reads both).
 *
 * @module
 */
import type { Dimension } from "../schemas.ts";
import { evalProdVerdict } from "../validity/verdict.ts";
import type { CorrelationCell } from "./correlation.ts";

/** The release-level verdict on a dimension, for one metric. */
export type CorrelationVerdict =
  | "predicts prod"
  | "moves against prod"
  | "not enough evidence";

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
  /** The verdict as shown, with the evidence's size when not enough: `not enough evidence (n = 9 release pairs)`. */
  verdict_label: string;
}

/**
 * The release-level verdict of one correlation cell (see {@link evalProdVerdict}).
 *
 * @param cell A cell from {@link correlateDeltas}: `n`, `oriented`, `oriented_ci`.
 * @returns The verdict and its label.
 *
 * @example
 * ```ts
 * import { correlationVerdict } from "./rank.ts";
 * const v = correlationVerdict({ n: 9, oriented: 0.05, oriented_ci: [-0.71, 0.95] });
 * if (v.label !== "not enough evidence (n = 9 release pairs)") throw new Error(v.label);
 * ```
 */
export function correlationVerdict(
  cell: Pick<CorrelationCell, "n" | "oriented" | "oriented_ci">,
): { verdict: CorrelationVerdict; label: string } {
  const v = evalProdVerdict({
    release: { oriented: cell.oriented, oriented_ci: cell.oriented_ci, n: cell.n },
  });
  // The release level alone never rules an effect out.
  return { verdict: v.verdict as CorrelationVerdict, label: v.label };
}

/** Per verdict, per metric: the dimensions with that release-level verdict, in rank order. */
export interface VerdictLists {
  predicts_prod: Record<string, Dimension[]>;
  moves_against_prod: Record<string, Dimension[]>;
  not_enough_evidence: Record<string, Dimension[]>;
}

/**
 * The dimensions of a ranking grouped by verdict, per metric.
 *
 * @param ranking From {@link rankDimensions}.
 * @returns `{ predicts_prod, moves_against_prod, not_enough_evidence }`, each `{ metric: dims }`.
 *
 * @example
 * ```ts
 * import { verdictLists } from "./rank.ts";
 * const lists = verdictLists({ tickets: [{ dimension: "length", verdict: "not enough evidence" }] } as never);
 * if (lists.not_enough_evidence.tickets[0] !== "length") throw new Error();
 * ```
 */
export function verdictLists(
  ranking: Readonly<Record<string, readonly Pick<RankedDimension, "dimension" | "verdict">[]>>,
): VerdictLists {
  const pick = (v: CorrelationVerdict) =>
    Object.fromEntries(
      Object.entries(ranking).map((
        [m, rows],
      ) => [m, rows.filter((r) => r.verdict === v).map((r) => r.dimension)]),
    );
  return {
    predicts_prod: pick("predicts prod"),
    moves_against_prod: pick("moves against prod"),
    not_enough_evidence: pick("not enough evidence"),
  };
}

/**
 * Rank the dimensions per metric by signed correlation (best predictor first; not
 * estimable last), each with its verdict.
 *
 * @param cells `{ dimension: { metric: CorrelationCell } }` (from {@link correlateDeltas}).
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
 * if (ranked.thumbs_down_rate.map((r) => r.verdict).join() !== "predicts prod,not enough evidence") throw new Error();
 * ```
 */
export function rankDimensions(
  cells: Readonly<Partial<Record<Dimension, Record<string, CorrelationCell>>>>,
): Record<string, RankedDimension[]> {
  const byMetric: Record<string, Omit<RankedDimension, "rank">[]> = {};
  for (
    const [d, metrics] of Object.entries(cells) as [Dimension, Record<string, CorrelationCell>][]
  ) {
    for (const [m, c] of Object.entries(metrics)) {
      const v = correlationVerdict(c);
      (byMetric[m] ??= []).push({
        dimension: d,
        pearson: c.pearson,
        pearson_ci: c.pearson_ci,
        oriented: c.oriented,
        oriented_ci: c.oriented_ci,
        p_value: c.p_value,
        directional_agreement: c.directional_agreement,
        verdict: v.verdict,
        verdict_label: v.label,
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
