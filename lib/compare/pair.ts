/**
 * Pair two judgment runs item by item: the ground every paired comparison
 * (release compare, quarterly correlation, prompt recalibration) stands on.
 *
 * @module
 */
import { type Dimension, DIMENSIONS, type Judgment, type Scores } from "../schemas.ts";

/** Two runs' scores on the items both judged successfully, aligned by item id. */
export interface PairedScores {
  /** Item ids judged ok in both runs, in the baseline's order. */
  items: string[];
  /** Per dimension: baseline scores, aligned with `items`. */
  baseline: Record<Dimension, number[]>;
  /** Per dimension: candidate scores, aligned with `items`. */
  candidate: Record<Dimension, number[]>;
  /** Items judged in only one run, or failed in either, and so left out. */
  left_out: { only_baseline: number; only_candidate: number; failed: number };
}

function okScores(judgments: readonly Judgment[]): Map<string, Scores | null> {
  const out = new Map<string, Scores | null>();
  for (const j of judgments) out.set(j.item_id, j.status === "ok" ? j.scores : null);
  return out;
}

/**
 * Align two runs' judgments by item id, keeping the items both judged `ok`.
 *
 * @param baseline The baseline run's judgments.
 * @param candidate The candidate run's judgments.
 * @returns Aligned per-dimension score arrays and how many items were left out, and why.
 *
 * @example
 * ```ts
 * import { pairJudgments } from "./pair.ts";
 * const j = (item_id: string, s: number) => ({ item_id, judge_model: "m", prompt_sha256: "0".repeat(64),
 *   scores: { correctness: s, relevance: s, clarity: s, calibration: s, length: s }, rationale: "",
 *   usage: { prompt_tokens: 0, completion_tokens: 0 }, status: "ok" as const });
 * const p = pairJudgments([j("a", 2), j("b", 3)], [j("b", 4), j("c", 5)]);
 * if (p.items.join() !== "b" || p.candidate.correctness[0] !== 4 || p.left_out.only_baseline !== 1) {
 *   throw new Error("unexpected");
 * }
 * ```
 */
export function pairJudgments(
  baseline: readonly Judgment[],
  candidate: readonly Judgment[],
  dimensions: readonly string[] = DIMENSIONS,
): PairedScores {
  const dims = dimensions as readonly Dimension[];
  const a = okScores(baseline);
  const b = okScores(candidate);
  const empty = () =>
    Object.fromEntries(dims.map((d) => [d, [] as number[]])) as Record<Dimension, number[]>;
  const out: PairedScores = {
    items: [],
    baseline: empty(),
    candidate: empty(),
    left_out: { only_baseline: 0, only_candidate: 0, failed: 0 },
  };
  for (const [id, sa] of a) {
    if (!b.has(id)) {
      out.left_out.only_baseline++;
      continue;
    }
    const sb = b.get(id)!;
    if (sa === null || sb === null) {
      out.left_out.failed++;
      continue;
    }
    out.items.push(id);
    for (const d of dims) {
      out.baseline[d].push(sa[d]);
      out.candidate[d].push(sb[d]);
    }
  }
  for (const id of b.keys()) if (!a.has(id)) out.left_out.only_candidate++;
  return out;
}
