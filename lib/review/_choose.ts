/**
 * The step `review export` and `review serve` share: which of a judge run's items
 * go to people. Both choose the same items for the same run, `--n` and `--seed`.
 *
 * @module
 */
import { usageError } from "../_errors.ts";
import type { JudgeRun } from "../judge/run.ts";
import type { Reporter } from "../reporter.ts";
import type { Scores } from "../schemas.ts";
import type { Scale } from "../dimensions.ts";
import { type ReviewCandidate, type ReviewSelection, selectForReview } from "./select.ts";
import type { RunItem } from "./source.ts";

/**
 * The items a judge run judged ok and has a response for, as selection candidates,
 * in judgment order. A judgment not ok, without scores, of an item not in the run's
 * eval set, or of an item without a response is left out.
 *
 * @param judgments The run's judgments.
 * @param items The run's items by id ({@link readRunItems}).
 */
export function reviewCandidates(
  judgments: JudgeRun["judgments"],
  items: ReadonlyMap<string, RunItem>,
): ReviewCandidate[] {
  const candidates: ReviewCandidate[] = [];
  for (const j of judgments) {
    const entry = items.get(String(j.item_id));
    if (j.status !== "ok" || !j.scores || !entry || entry.response === null) continue;
    candidates.push({
      item_id: String(j.item_id),
      stratum: entry.item.stratum,
      scores: j.scores as Scores,
    });
  }
  return candidates;
}

/** Options for {@link chooseForReview}. */
export interface ChooseForReviewOptions {
  /** Items asked for. */
  n: number;
  /** The seed of the selection. */
  seed: string | number;
  /** The run's scale, for the score bands. @default 1–5 */
  scale?: Scale;
  /** Where the items go, for the warning when there are fewer: "on the page", "in the sheets". */
  placed: string;
  /** The warning goes here. @default none */
  reporter?: Reporter;
}

/**
 * Choose up to `n` items of a judge run for review ({@link selectForReview} over
 * {@link reviewCandidates}); warn when the run has fewer judged ok than asked.
 *
 * @param runDir The run's folder (for the error message).
 * @param run The run's judgments and items.
 * @throws {RangeError} When no item was judged ok (a usage error).
 */
export function chooseForReview(
  runDir: string,
  run: { judgments: JudgeRun["judgments"]; items: ReadonlyMap<string, RunItem> },
  options: ChooseForReviewOptions,
): ReviewSelection {
  const candidates = reviewCandidates(run.judgments, run.items);
  if (candidates.length === 0) {
    throw usageError(`The judge run "${runDir}" has no item judged ok: nothing to review`);
  }
  const { n, seed } = options;
  const selection = selectForReview(candidates, n, { seed, scale: options.scale });
  if (selection.n.chosen < n) {
    options.reporter?.warn(
      `asked for ${n} items but the run has ${selection.n.available} judged ok: ` +
        `all are ${options.placed}`,
    );
  }
  return selection;
}
