/**
 * The item bookkeeping of {@link computeAgreement} and {@link comparePrompts}: which
 * rater rated which item, which rated items the judge scored, how the raters cover
 * them, and one disagreement as a record. Also the rounding, the item order and the
 * judge run's input file every agreement artifact uses.
 *
 * @module
 */
import type { Dimension, HumanRating, Judgment } from "../schemas.ts";
import type { Disagreement } from "./compute.ts";

/** Round to 4 decimals, with −0 written as 0: how every agreement figure is stored. */
export function round4(x: number): number {
  const r = Math.round(x * 1e4) / 1e4;
  return r === 0 ? 0 : r;
}

/** A judge run's judgments file: what agreement artifacts record as their input. */
export function judgmentsFile(run: { dir: string }): string {
  return `${run.dir.replace(/\/+$/, "")}/judgments.jsonl`;
}

/** Item ids in natural order (`q2` before `q10`): the order of items in agreement reports. */
export function byItemId(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

/** Whether a judgment can be compared: judged ok, with scores. */
export function judgedOk(j: Judgment): boolean {
  return j.status === "ok" && !!j.scores;
}

/** Human ratings by item: each item's row holds one rating per rater (null when unrated). */
export interface RatingIndex {
  /** The raters, sorted: the columns of every row. */
  raters: string[];
  /** Item id → its ratings, one per rater in `raters` order. */
  byItem: Map<string, (HumanRating | null)[]>;
}

/**
 * Index human ratings by item and rater.
 *
 * @throws {RangeError} When a rater rates one item twice.
 */
export function indexRatings(ratings: readonly HumanRating[]): RatingIndex {
  const raters = [...new Set(ratings.map((r) => r.rater))].sort();
  const column = new Map(raters.map((r, i) => [r, i]));
  const byItem = new Map<string, (HumanRating | null)[]>();
  for (const r of ratings) {
    const id = String(r.item_id);
    const row = byItem.get(id) ?? raters.map(() => null);
    const k = column.get(r.rater)!;
    if (row[k] !== null) {
      throw new RangeError(`computeAgreement(): item "${id}" is rated twice by "${r.rater}"`);
    }
    row[k] = r;
    byItem.set(id, row);
  }
  return { raters, byItem };
}

/** The rated items split by what the judge run did with them. */
export interface ComparedItems {
  /** Rated items judged ok, in natural order: the items compared. */
  ids: string[];
  /** Every judgment by item id (the last one wins). */
  judged: Map<string, Judgment>;
  /** Rated items the run did not judge. */
  notInRun: number;
  /** Rated items whose judgment failed. */
  judgeFailed: number;
}

/** Which rated items (the keys of `byItem`) the judge scored, and why the others are left out. */
export function comparedItems(
  byItem: ReadonlyMap<string, unknown>,
  judgments: readonly Judgment[],
): ComparedItems {
  const judged = new Map<string, Judgment>();
  for (const j of judgments) judged.set(String(j.item_id), j);
  let notInRun = 0;
  let judgeFailed = 0;
  const ids: string[] = [];
  for (const id of [...byItem.keys()].sort(byItemId)) {
    const j = judged.get(id);
    if (!j) notInRun++;
    else if (!judgedOk(j)) judgeFailed++;
    else ids.push(id);
  }
  return { ids, judged, notInRun, judgeFailed };
}

/** How the raters cover the compared items: items per rater, and items rated by 2 or more. */
export function raterCoverage(
  ids: readonly string[],
  index: RatingIndex,
): { per_rater: Record<string, number>; overlap: number } {
  const perRater: Record<string, number> = Object.fromEntries(index.raters.map((r) => [r, 0]));
  let overlap = 0;
  for (const id of ids) {
    const row = index.byItem.get(id)!;
    row.forEach((r, k) => r && perRater[index.raters[k]]++);
    if (row.filter((r) => r !== null).length >= 2) overlap++;
  }
  return { per_rater: perRater, overlap };
}

/**
 * One item where the judge and the human mean differ, as a record: the gap (judge −
 * mean) and the mean rounded to 4 decimals, each rater's score and notes, the rationale.
 */
export function disagreementOf(
  judgment: Judgment,
  dimension: Dimension,
  humanMean: number,
  rated: readonly (HumanRating | null)[],
): Disagreement {
  const judge = judgment.scores![dimension];
  return {
    item_id: String(judgment.item_id),
    dimension,
    judge,
    human_mean: round4(humanMean),
    gap: round4(judge - humanMean),
    humans: Object.fromEntries(
      rated.flatMap((r) => (r ? [[r.rater, r[dimension]] as [string, number]] : [])),
    ),
    rationale: judgment.rationale,
    notes: Object.fromEntries(
      rated.flatMap((r) => (r && r.notes ? [[r.rater, r.notes] as [string, string]] : [])),
    ),
  };
}

/**
 * The order of a report's disagreements: by dimension (in `dimensions` order), then
 * largest |gap|, then item.
 */
export function disagreementOrder(
  dimensions: readonly string[],
): (a: Disagreement, b: Disagreement) => number {
  return (a, b) =>
    dimensions.indexOf(a.dimension) - dimensions.indexOf(b.dimension) ||
    Math.abs(b.gap) - Math.abs(a.gap) ||
    byItemId(a.item_id, b.item_id);
}
