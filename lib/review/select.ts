/**
 * Which judged items humans review: a seeded sample stratified by stratum (the
 * run's own mix, so the prod mix the eval set keeps) and, within each stratum,
 * by the judge's score band, so the items the judge scored low are
 * represented even when they are rare.
 *
 * - Band of an item: `low` when the judge gave 1 or 2 on any dimension, `high` when
 *   every dimension got 4 or 5, `mid` otherwise.
 * - Seats per stratum: proportional to the stratum's judged items, by largest
 *   remainder.
 * - Seats per band within a stratum: as equal as availability allows (a band with too
 *   few items gives all it has, and the rest go to the other bands; an odd seat goes to
 *   `low` first, then `mid`). Low-scored items are therefore over-represented relative to
 *   the run; the selection records every cell's available and chosen counts, so a reader
 *   who wants run-level estimates can weight by available / chosen.
 * - Within a cell, items are taken in the order of sha256(seed, item id): the same seed
 *   and run always give the same items, whatever order the run lists them in.
 *
 * Pure: no clock, no files, no global randomness.
 *
 * @module
 */
import { sha256 } from "../_hash.ts";
import { largestRemainder } from "../sample/mix.ts";
import { DEFAULT_SCALE, type Scale } from "../dimensions.ts";
import { compareIds } from "./ratings.ts";

/** The judge's score band of an item. */
export type ScoreBand = "low" | "mid" | "high";

/**
 * The bands, in seat-priority order.
 *
 * @example
 * ```ts
 * import { SCORE_BANDS } from "./select.ts";
 * if (SCORE_BANDS.join() !== "low,mid,high") throw new Error();
 * ```
 */
export const SCORE_BANDS: readonly ScoreBand[] = ["low", "mid", "high"];

/** An item the judge scored, as selection sees it. */
export interface ReviewCandidate {
  item_id: string;
  stratum: string;
  scores: Readonly<Record<string, number>>;
}

/** Options for {@link selectForReview}. */
export interface SelectForReviewOptions {
  /** The seed (a string or an integer): same seed, same items. */
  seed: string | number;
  /** The run's scale, for the score bands. @default 1–5 */
  scale?: Scale;
}

/** One selected item. */
export interface SelectedItem {
  item_id: string;
  stratum: string;
  band: ScoreBand;
}

/** What {@link selectForReview} chose, and from what. */
export interface ReviewSelection {
  /** The items, ordered by stratum, then band, then draw order. */
  items: SelectedItem[];
  /** Per stratum: judged items, seats, chosen. */
  strata: Record<string, { available: number; target: number; chosen: number }>;
  /** Per stratum and band: available and chosen. */
  cells: Record<string, Record<ScoreBand, { available: number; chosen: number }>>;
  /** Items asked for and chosen. */
  n: { asked: number; chosen: number; available: number };
}

/**
 * The judge's score band of an item's scores: low when any score lies in the bottom
 * quarter of the scale (≤ 2 on 1–5, ≤ 3 on 1–10), high when every score lies in the
 * top quarter (≥ 4 on 1–5, ≥ 8 on 1–10), else mid.
 *
 * @param scores The scores, one per dimension of the run's set.
 * @param scale The run's scale. @default 1–5
 *
 * @example
 * ```ts
 * import { scoreBand } from "./select.ts";
 * if (scoreBand({ correctness: 2, relevance: 5, clarity: 5, calibration: 5, length: 5 }) !== "low") throw new Error();
 * ```
 */
export function scoreBand(
  scores: Readonly<Record<string, number>>,
  scale: Scale = DEFAULT_SCALE,
): ScoreBand {
  const values = Object.values(scores);
  const quarter = (scale.max - scale.min) / 4;
  if (values.some((v) => v <= scale.min + quarter)) return "low";
  if (values.every((v) => v >= scale.max - quarter)) return "high";
  return "mid";
}

/** The draw key of an item: the hex sha256 of seed and id. */
export function drawKey(seed: string | number, ...parts: string[]): string {
  return sha256([String(seed), ...parts].join("\u0000"));
}

/** Seats per band: as equal as availability allows, odd seats to low, then mid. */
function bandSeats(seats: number, available: Record<ScoreBand, number>): Record<ScoreBand, number> {
  const got: Record<ScoreBand, number> = { low: 0, mid: 0, high: 0 };
  let left = Math.min(seats, available.low + available.mid + available.high);
  while (left > 0) {
    const open = SCORE_BANDS.filter((b) => got[b] < available[b]);
    const share = Math.floor(left / open.length);
    if (share === 0) {
      for (const b of open) {
        if (left === 0) break;
        got[b]++;
        left--;
      }
      break;
    }
    for (const b of open) {
      const give = Math.min(share, available[b] - got[b]);
      got[b] += give;
      left -= give;
    }
  }
  return got;
}

/**
 * Choose `n` items for human review, stratified by stratum and by judge score band.
 *
 * @param candidates The judged items (judged ok), with their stratum and scores.
 * @param n How many items to choose; all of them when fewer are available.
 * @param options The seed.
 * @returns The items and the counts behind them.
 * @throws {RangeError} If `n` is not a positive integer, or an item id repeats.
 *
 * @example Low scores are represented even when rare
 * ```ts
 * import { selectForReview } from "./select.ts";
 * const s = (v: number) => ({ correctness: v, relevance: 5, clarity: 5, calibration: 5, length: 5 });
 * const items = Array.from({ length: 100 }, (_, i) => ({
 *   item_id: `q${i}`, stratum: "billing", scores: s(i < 5 ? 1 : 5),
 * }));
 * const picked = selectForReview(items, 10, { seed: 1 });
 * if (picked.items.filter((i) => i.band === "low").length !== 5) throw new Error("lows missing");
 * ```
 */
export function selectForReview(
  candidates: readonly ReviewCandidate[],
  n: number,
  options: SelectForReviewOptions,
): ReviewSelection {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`selectForReview(): n must be a positive integer, got ${n}`);
  }
  const ids = new Set<string>();
  const byCell = new Map<string, Map<ScoreBand, ReviewCandidate[]>>();
  for (const c of candidates) {
    if (ids.has(c.item_id)) {
      throw new RangeError(`selectForReview(): item "${c.item_id}" appears twice`);
    }
    ids.add(c.item_id);
    const bands = byCell.get(c.stratum) ?? new Map<ScoreBand, ReviewCandidate[]>();
    byCell.set(c.stratum, bands);
    const band = scoreBand(c.scores, options.scale);
    bands.set(band, [...(bands.get(band) ?? []), c]);
  }
  const strataNames = [...byCell.keys()].sort();
  const counts = Object.fromEntries(
    strataNames.map((s) => [s, [...byCell.get(s)!.values()].reduce((a, l) => a + l.length, 0)]),
  );
  const total = candidates.length;
  const take = Math.min(n, total);
  const seats = total > 0 ? largestRemainder(take, counts) : {};
  const items: SelectedItem[] = [];
  const strata: ReviewSelection["strata"] = {};
  const cells: ReviewSelection["cells"] = {};
  for (const stratum of strataNames) {
    const bands = byCell.get(stratum)!;
    const available = Object.fromEntries(
      SCORE_BANDS.map((b) => [b, bands.get(b)?.length ?? 0]),
    ) as Record<ScoreBand, number>;
    const perBand = bandSeats(seats[stratum] ?? 0, available);
    cells[stratum] = {
      low: { available: 0, chosen: 0 },
      mid: { available: 0, chosen: 0 },
      high: { available: 0, chosen: 0 },
    };
    let chosen = 0;
    for (const band of SCORE_BANDS) {
      const pool = [...(bands.get(band) ?? [])]
        .map((c) => ({ c, key: drawKey(options.seed, c.item_id) }))
        .sort((
          a,
          b,
        ) => (a.key < b.key ? -1 : a.key > b.key ? 1 : compareIds(a.c.item_id, b.c.item_id)));
      const picked = pool.slice(0, perBand[band]);
      for (const { c } of picked) items.push({ item_id: c.item_id, stratum, band });
      cells[stratum][band] = { available: available[band], chosen: picked.length };
      chosen += picked.length;
    }
    strata[stratum] = { available: counts[stratum], target: seats[stratum] ?? 0, chosen };
  }
  return { items, strata, cells, n: { asked: n, chosen: items.length, available: total } };
}

/**
 * One rater's order of the selected items: sorted by sha256(seed, rater, item id), so
 * each rater gets a different order (no rater's fatigue falls on the same items) that
 * the seed reproduces.
 *
 * @example
 * ```ts
 * import { raterOrder } from "./select.ts";
 * const items = ["a", "b", "c", "d", "e", "f"].map((item_id) => ({ item_id }));
 * const ana = raterOrder(items, "ana", 1).map((i) => i.item_id).join();
 * if (ana !== raterOrder(items, "ana", 1).map((i) => i.item_id).join()) throw new Error("not reproducible");
 * if (ana === raterOrder(items, "ben", 1).map((i) => i.item_id).join()) throw new Error("same order");
 * ```
 */
export function raterOrder<T extends { item_id: string }>(
  items: readonly T[],
  rater: string,
  seed: string | number,
): T[] {
  return items
    .map((item) => ({ item, key: drawKey(seed, rater, item.item_id) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((x) => x.item);
}
