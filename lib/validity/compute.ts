/**
 * Item-level validity, the pure part: given judged prod answers and the feedback their
 * users gave, does each dimension's score predict the feedback?
 *
 * Per dimension: the Mann–Whitney AUC of the score for thumbs-up against thumbs-down
 * (answers with feedback only), its DeLong interval (a seeded class-stratified bootstrap
 * beside it as a check, and as the interval when items carry unequal inclusion weights),
 * thumbed-down against everything else, thumbs-up against everything else, the
 * thumbs-down rate at each score with Wilson intervals, the AUC within each stratum and
 * their prod-mix-weighted average, and the power: the interval's half-width and how many
 * feedback-bearing items would give ±0.05. Across dimensions: a logistic regression of
 * thumbs-down on every score and the stratum, with variance inflation factors.
 *
 * "No feedback" is never read as "not down": the primary AUC uses answers with feedback,
 * and items without feedback are counted (`n_none`). Fewer than {@link MIN_PER_GROUP}
 * answers in either group gives `null` with a reason, never a number.
 *
 * @module
 */
import { aucBootstrapCI, delongAuc, mannWhitneyAuc } from "../stats/auc.ts";
import { wilsonInterval } from "../stats/proportion.ts";
import { normalQuantile } from "../stats/_special.ts";
import { type Adjusted, adjustedAssociation } from "./adjusted.ts";

/** Below this many answers in either outcome group, an AUC is not estimated. */
export const MIN_PER_GROUP = 10;

/** The half-width an AUC interval should reach for the power statement. */
export const TARGET_HALF_WIDTH = 0.05;

/** One judged prod answer joined with its user's feedback. */
export interface FeedbackRow {
  item_id: string;
  source_id: string;
  stratum: string;
  /** The item's inclusion weight (1 / its inclusion probability relative to the rest). */
  weight: number;
  feedback: "up" | "down" | null;
  scores: Record<string, number>;
}

/** An AUC with its interval, or null with the reason. */
export interface AucEstimate {
  auc: number | null;
  ci: [number, number] | null;
  /** The class-stratified bootstrap interval (the check on DeLong's; computed for the primary AUC and whenever weighted). */
  bootstrap_ci: [number, number] | null;
  /** How `ci` was computed. */
  ci_method: "delong" | "stratified bootstrap (weighted)" | null;
  /** Positives (higher score expected) and negatives in this comparison. */
  n_positive: number;
  n_negative: number;
  reason?: string;
}

/** The thumbs-down rate among answers at one score. */
export interface RateAtScore {
  score: number;
  /** Answers at this score. */
  n: number;
  /** Of them, with any feedback. */
  n_feedback: number;
  down: number;
  /** Thumbs-down among answers with feedback (weighted when weights differ). */
  rate: number | null;
  /** Wilson interval of `rate` (on the Kish effective n when weighted). */
  ci: [number, number] | null;
  /** Thumbs-down among all answers at this score, as the release metric counts it. */
  share_of_all: number | null;
  share_of_all_ci: [number, number] | null;
}

/** One dimension's item-level validity. */
export interface DimensionValidity extends AucEstimate {
  n: number;
  n_down: number;
  n_up: number;
  n_none: number;
  /** Which comparison the verdicts read: up vs down, or down vs rest when no thumbs-up is logged. */
  primary: "up_vs_down" | "down_vs_rest";
  auc_ci: [number, number] | null;
  auc_down_vs_rest: AucEstimate;
  /** Thumbs-up as an outcome of its own: up against everything else. */
  auc_up_vs_rest: AucEstimate;
  down_rate_by_score: RateAtScore[];
  by_stratum: Record<string, AucEstimate>;
  /** Σ mix[s]·AUC[s] over the strata with an AUC, renormalised; interval from their DeLong variances. */
  weighted_auc: number | null;
  weighted_auc_ci: [number, number] | null;
  weighted_auc_strata: string[];
  weighted_auc_reason?: string;
  /** The power, stated plainly. */
  power: {
    half_width: number | null;
    /** Feedback-bearing items (same down share) for a ±0.05 interval. */
    n_for_half_width_0_05: number | null;
  };
}

/** Options for {@link itemValidity}. */
export interface ItemValidityOptions {
  /** The dimensions to analyse, in order (the run's own list). */
  dimensions: readonly string[];
  /** The score scale, for the rate-by-score table. @default [1, 2, 3, 4, 5] */
  scale?: readonly number[];
  /** The prod mix {stratum: share}. @default the items' own mix */
  mix?: Record<string, number> | null;
  /** Bootstrap seed. @default 0 */
  seed?: number;
  /** Bootstrap resamples. @default 2000 */
  resamples?: number;
  /** Confidence level. @default 0.95 */
  level?: number;
}

/** What {@link itemValidity} finds. */
export interface ItemValidity {
  n_items: number;
  n_down: number;
  n_up: number;
  n_none: number;
  weighted: boolean;
  /** "up_vs_down", or "down_vs_rest" when no thumbs-up is logged (then said in `notes`). */
  primary: "up_vs_down" | "down_vs_rest";
  dimensions: Record<string, DimensionValidity>;
  adjusted: Adjusted;
  notes: string[];
}

const ci2 = (lo: number, hi: number): [number, number] | null =>
  Number.isFinite(lo) && Number.isFinite(hi) ? [lo, hi] : null;

/**
 * The AUC of `score` for positives against negatives, with its interval; null with a
 * reason when either group holds fewer than {@link MIN_PER_GROUP}.
 */
export function aucEstimate(
  positives: readonly FeedbackRow[],
  negatives: readonly FeedbackRow[],
  score: (r: FeedbackRow) => number,
  options: { seed: number; resamples: number; level: number; label: string; check?: boolean },
): AucEstimate {
  const base = { n_positive: positives.length, n_negative: negatives.length };
  if (positives.length < MIN_PER_GROUP || negatives.length < MIN_PER_GROUP) {
    return {
      ...base,
      auc: null,
      ci: null,
      bootstrap_ci: null,
      ci_method: null,
      reason: `not enough evidence: ${options.label} needs at least ${MIN_PER_GROUP} answers ` +
        `in each group, got ${positives.length} and ${negatives.length}`,
    };
  }
  const p = positives.map(score);
  const q = negatives.map(score);
  if ([...p, ...q].every((v) => v === p[0])) {
    return {
      ...base,
      auc: null,
      ci: null,
      bootstrap_ci: null,
      ci_method: null,
      reason: `the score is ${p[0]} for every answer: it cannot rank answers (did the judge ` +
        `have what it needs, e.g. reference facts for correctness?)`,
    };
  }
  const wp = positives.map((r) => r.weight);
  const wq = negatives.map((r) => r.weight);
  const weighted = [...wp, ...wq].some((w) => w !== wp[0]);
  const weights = weighted ? { positiveWeights: wp, negativeWeights: wq } : {};
  const boot = weighted || options.check ? aucBootstrapCI(p, q, { ...weights, ...options }) : null;
  if (boot && weighted) {
    return {
      ...base,
      auc: mannWhitneyAuc(p, q, weights),
      ci: ci2(boot.lo, boot.hi),
      bootstrap_ci: ci2(boot.lo, boot.hi),
      ci_method: "stratified bootstrap (weighted)",
    };
  }
  const d = delongAuc(p, q, { level: options.level });
  return {
    ...base,
    auc: d.auc,
    ci: ci2(d.lo, d.hi),
    bootstrap_ci: boot ? ci2(boot.lo, boot.hi) : null,
    ci_method: "delong",
  };
}

/** A weighted proportion's Wilson interval, on the Kish effective sample size. */
function weightedRate(
  rows: readonly FeedbackRow[],
  level: number,
): { rate: number | null; ci: [number, number] | null } {
  if (rows.length === 0) return { rate: null, ci: null };
  const sw = rows.reduce((s, r) => s + r.weight, 0);
  const sw2 = rows.reduce((s, r) => s + r.weight * r.weight, 0);
  const rate = rows.reduce((s, r) => s + (r.feedback === "down" ? r.weight : 0), 0) / sw;
  const nEff = (sw * sw) / sw2;
  if (Math.abs(nEff - rows.length) < 1e-9) {
    const w = wilsonInterval(rows.filter((r) => r.feedback === "down").length, rows.length, {
      level,
    });
    return { rate: w.estimate, ci: [w.lo, w.hi] };
  }
  // Wilson's formula at p = rate, n = n_eff (not integer counts, so written out here).
  const z = normalQuantile(1 - (1 - level) / 2);
  const d = 1 + (z * z) / nEff;
  const center = (rate + (z * z) / (2 * nEff)) / d;
  const half = (z / d) * Math.sqrt((rate * (1 - rate)) / nEff + (z * z) / (4 * nEff * nEff));
  return { rate, ci: [center - half, center + half] };
}

/**
 * The thumbs-down rate at each score of the scale.
 *
 * @example
 * ```ts
 * import { downRateByScore } from "./compute.ts";
 * const row = (score: number, feedback: "up" | "down" | null) => ({ item_id: String(score) + feedback, source_id: "l", stratum: "s", weight: 1, feedback, scores: { correctness: score } });
 * const rates = downRateByScore([row(1, "down"), row(1, "down"), row(5, "up"), row(5, null)], "correctness", [1, 5]);
 * if (rates[0].rate !== 1 || rates[1].rate !== 0 || rates[1].n !== 2) throw new Error(JSON.stringify(rates));
 * ```
 */
export function downRateByScore(
  rows: readonly FeedbackRow[],
  dimension: string,
  scale: readonly number[],
  level = 0.95,
): RateAtScore[] {
  return scale.map((score) => {
    const at = rows.filter((r) => r.scores[dimension] === score);
    const withFeedback = at.filter((r) => r.feedback !== null);
    const amongFeedback = weightedRate(withFeedback, level);
    const ofAll = weightedRate(at, level);
    return {
      score,
      n: at.length,
      n_feedback: withFeedback.length,
      down: at.filter((r) => r.feedback === "down").length,
      rate: amongFeedback.rate,
      ci: amongFeedback.ci,
      share_of_all: ofAll.rate,
      share_of_all_ci: ofAll.ci,
    };
  });
}

/** The prod-mix-weighted average of per-stratum AUCs, with a normal interval. */
function mixWeightedAuc(
  byStratum: Record<string, AucEstimate>,
  mix: Record<string, number>,
  level: number,
): Pick<
  DimensionValidity,
  "weighted_auc" | "weighted_auc_ci" | "weighted_auc_strata" | "weighted_auc_reason"
> {
  const z = normalQuantile(1 - (1 - level) / 2);
  const used = Object.entries(byStratum).filter(([s, e]) =>
    e.auc !== null && e.ci !== null && (mix[s] ?? 0) > 0
  );
  if (used.length === 0) {
    return {
      weighted_auc: null,
      weighted_auc_ci: null,
      weighted_auc_strata: [],
      weighted_auc_reason:
        `not enough evidence: no stratum has ${MIN_PER_GROUP} answers in each group`,
    };
  }
  const total = used.reduce((t, [s]) => t + mix[s], 0);
  let auc = 0;
  let variance = 0;
  for (const [s, e] of used) {
    const w = mix[s] / total;
    const se = (e.ci![1] - e.ci![0]) / (2 * z);
    auc += w * e.auc!;
    variance += w * w * se * se;
  }
  const se = Math.sqrt(variance);
  const out = {
    weighted_auc: auc,
    weighted_auc_ci: [Math.max(0, auc - z * se), Math.min(1, auc + z * se)] as [number, number],
    weighted_auc_strata: used.map(([s]) => s),
  };
  const left = Object.keys(mix).filter((s) => mix[s] > 0 && !used.some(([u]) => u === s));
  return left.length
    ? {
      ...out,
      weighted_auc_reason: `strata left out (too few answers in a group): ${
        left.join(", ")
      }; the rest renormalised`,
    }
    : out;
}

/** Feedback-bearing items for a ±0.05 interval, scaling the variance as 1/n. */
function powerOf(e: AucEstimate, nFeedback: number): DimensionValidity["power"] {
  if (!e.ci) return { half_width: null, n_for_half_width_0_05: null };
  const half = (e.ci[1] - e.ci[0]) / 2;
  if (half === 0) return { half_width: 0, n_for_half_width_0_05: nFeedback };
  return {
    half_width: half,
    n_for_half_width_0_05: Math.ceil(nFeedback * (half / TARGET_HALF_WIDTH) ** 2),
  };
}

function groups(rows: readonly FeedbackRow[]) {
  return {
    down: rows.filter((r) => r.feedback === "down"),
    up: rows.filter((r) => r.feedback === "up"),
    none: rows.filter((r) => r.feedback === null),
    notDown: rows.filter((r) => r.feedback !== "down"),
    notUp: rows.filter((r) => r.feedback !== "up"),
  };
}

function dimensionValidity(
  rows: readonly FeedbackRow[],
  dim: string,
  primary: "up_vs_down" | "down_vs_rest",
  options: Required<Omit<ItemValidityOptions, "dimensions" | "mix">> & {
    mix: Record<string, number>;
  },
): DimensionValidity {
  const g = groups(rows);
  const score = (r: FeedbackRow) => r.scores[dim];
  const stats = { seed: options.seed, resamples: options.resamples, level: options.level };
  const upDown = aucEstimate(g.up, g.down, score, {
    ...stats,
    label: "up vs down",
    check: primary === "up_vs_down",
  });
  const downRest = aucEstimate(g.notDown, g.down, score, {
    ...stats,
    label: "down vs rest",
    check: primary === "down_vs_rest",
  });
  const upRest = aucEstimate(g.up, g.notUp, score, { ...stats, label: "up vs rest" });
  const main = primary === "up_vs_down" ? upDown : downRest;
  const by_stratum: Record<string, AucEstimate> = {};
  for (const s of [...new Set(rows.map((r) => r.stratum))].sort()) {
    const sg = groups(rows.filter((r) => r.stratum === s));
    by_stratum[s] = primary === "up_vs_down"
      ? aucEstimate(sg.up, sg.down, score, { ...stats, label: `stratum "${s}"` })
      : aucEstimate(sg.notDown, sg.down, score, { ...stats, label: `stratum "${s}"` });
  }
  return {
    ...main,
    n: g.up.length + g.down.length,
    n_down: g.down.length,
    n_up: g.up.length,
    n_none: g.none.length,
    primary,
    auc_ci: main.ci,
    auc_down_vs_rest: downRest,
    auc_up_vs_rest: upRest,
    down_rate_by_score: downRateByScore(rows, dim, options.scale, options.level),
    by_stratum,
    ...mixWeightedAuc(by_stratum, options.mix, options.level),
    power: powerOf(main, primary === "up_vs_down" ? g.up.length + g.down.length : rows.length),
  };
}

/** The items' own stratum shares. */
function ownMix(rows: readonly FeedbackRow[]): Record<string, number> {
  const mix: Record<string, number> = {};
  for (const r of rows) mix[r.stratum] = (mix[r.stratum] ?? 0) + 1 / rows.length;
  return mix;
}

/**
 * Item-level validity of every dimension: does its score predict the user's feedback?
 *
 * @param rows Judged prod answers with their feedback (failed judgments left out).
 * @param options The dimensions (the run's list), scale, prod mix, seed, resamples, level.
 * @returns Per-dimension AUCs, rates by score, strata, power, and the adjusted model.
 *
 * @example
 * ```ts
 * import { itemValidity } from "./compute.ts";
 * import assert from "node:assert/strict";
 *
 * const rows = Array.from({ length: 60 }, (_, i) => ({
 *   item_id: `i${i}`, source_id: `l${i}`, stratum: i % 2 ? "a" : "b", weight: 1,
 *   feedback: (i % 3 === 0 ? "down" : i % 3 === 1 ? "up" : null) as "up" | "down" | null,
 *   scores: { correctness: i % 3 === 0 ? 1 + (i % 4) : 3 + (i % 3), length: 1 + (i % 5) },
 * }));
 * const v = itemValidity(rows, { dimensions: ["correctness", "length"], resamples: 200 });
 * assert.ok(v.dimensions.correctness.auc! > 0.7);
 * assert.equal(v.dimensions.correctness.n_none, 20);
 * ```
 */
export function itemValidity(
  rows: readonly FeedbackRow[],
  options: ItemValidityOptions,
): ItemValidity {
  const g = groups(rows);
  const primary = g.up.length === 0 && g.down.length > 0 ? "down_vs_rest" : "up_vs_down";
  const resolved = {
    scale: options.scale ?? [1, 2, 3, 4, 5],
    seed: options.seed ?? 0,
    resamples: options.resamples ?? 2000,
    level: options.level ?? 0.95,
    mix: options.mix ?? ownMix(rows),
  };
  const notes: string[] = [];
  if (primary === "down_vs_rest") {
    notes.push(
      "no thumbs-up is logged: the primary AUC is thumbed-down against every other answer " +
        "(answers without feedback included), as for products that log only thumbs-down",
    );
  }
  const weighted = rows.some((r) => r.weight !== rows[0].weight);
  if (weighted) {
    notes.push(
      "items carry unequal inclusion weights (sample --oversample): AUCs and rates are " +
        "weighted back to prod, intervals by a class-stratified weighted bootstrap",
    );
  }
  const dimensions: Record<string, DimensionValidity> = {};
  for (const d of options.dimensions) {
    dimensions[d] = dimensionValidity(rows, d, primary, resolved);
  }
  return {
    n_items: rows.length,
    n_down: g.down.length,
    n_up: g.up.length,
    n_none: g.none.length,
    weighted,
    primary,
    dimensions,
    adjusted: adjustedAssociation(rows, options.dimensions, {
      outcome: primary,
      level: resolved.level,
    }),
    notes,
  };
}
