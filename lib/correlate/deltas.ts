/**
 * Release-to-release deltas: for each pair of consecutive releases (by date) judged on
 * the same eval set by the same judge and prompt, the per-dimension paired eval delta
 * with its confidence interval (the compare machinery: {@link pairJudgments} and
 * {@link pairedDifference}), and each prod metric's change.
 *
 * Which runs are compared: the later release's runs in the order listed, each against
 * the earlier release's runs in the order listed; the first two that share eval set
 * (sha256), judge model and prompt sha256 are used. When either run is not its
 * release's main one, the pair is marked re-baselined (typically the earlier model judged
 * again on the new eval set or with the new prompt). When no two runs match, the pair is left out and the reason says
 * what changed and how to add a re-baselined run.
 *
 * @module
 */
import { pairJudgments } from "../compare/pair.ts";
import { type Dimension, DIMENSIONS, type Judgment } from "../schemas.ts";
import { usageError } from "../_errors.ts";
import { dimensionDeltas, matchRuns, metricDeltas } from "./_deltas.ts";

/** A judge run as the deltas need it (a {@link RegistryRun} fits). */
export interface DeltaRun {
  path: string;
  judge_model: string;
  prompt_sha256: string;
  evalset_sha256: string;
  judgments: readonly Judgment[];
}

/**
 * The dimensions a run scored: the score names of its first ok judgment (judgments are
 * read through the run's own set, so every one has the same), else the kit's five.
 */
export function scoredDimensions(run: Pick<DeltaRun, "judgments">): string[] {
  const first = run.judgments.find((j) => j.status === "ok" && j.scores);
  return first ? Object.keys(first.scores!) : [...DIMENSIONS];
}

/**
 * The dimensions of a set of release pairs: those of the first pair (the kit's five
 * with no pair).
 *
 * @throws {RangeError} A usage error when two pairs were judged on different dimension
 * sets (a rubric change between releases): they cannot be correlated together.
 */
export function pairDimensions(
  pairs: readonly Pick<ReleasePair, "from" | "to" | "eval">[],
): string[] {
  if (pairs.length === 0) return [...DIMENSIONS];
  const first = Object.keys(pairs[0].eval);
  for (const p of pairs) {
    const dims = Object.keys(p.eval);
    if (dims.join() !== first.join()) {
      throw usageError(
        `Different dimension sets: ${pairs[0].from}→${pairs[0].to} scores ${first.join(", ")} ` +
          `but ${p.from}→${p.to} scores ${
            dims.join(", ")
          }; correlate releases judged on one rubric`,
      );
    }
  }
  return first;
}

/** A release as the deltas need it (a {@link RegistryRelease} fits). */
export interface DeltaRelease {
  release: string;
  date: string;
  /** Main run first. */
  runs: readonly DeltaRun[];
  metrics: Readonly<Record<string, number>>;
}

/** One dimension's paired eval delta between two releases. */
export interface DimensionDelta {
  /** Mean paired difference, later − earlier (positive: the later release scores higher). */
  diff: number;
  /** Its bootstrap confidence interval. */
  ci: [number, number];
  /** The sign-flip permutation p-value for "no difference". */
  p_value: number;
  mean_from: number;
  mean_to: number;
  /** +1 or −1 when the interval excludes 0 (moved beyond its noise), else 0. */
  moved: -1 | 0 | 1;
}

/** One prod metric's change between two releases. */
export interface MetricDelta {
  from: number;
  to: number;
  /** to − from. */
  delta: number;
  /** delta / from (`null` when from is 0). */
  relative: number | null;
}

/** Two consecutive releases compared. */
export interface ReleasePair {
  from: string;
  to: string;
  from_date: string;
  to_date: string;
  /** The run paths compared. */
  runs: { from: string; to: string };
  /** A run compared is not its release's main run (e.g. the earlier model judged again on the new eval set). */
  rebaselined: boolean;
  evalset_sha256: string;
  judge_model: string;
  prompt_sha256: string;
  /** Items judged ok in both runs. */
  items: number;
  /** Items judged in one run only, or failed in either. */
  left_out: { only_from: number; only_to: number; failed: number };
  eval: Record<Dimension, DimensionDelta>;
  /** Per metric; `null` when either release lacks it. */
  prod: Record<string, MetricDelta | null>;
}

/** Two consecutive releases that could not be compared, and why. */
export interface SkippedPair {
  from: string;
  to: string;
  reason: string;
}

/** Options for {@link releaseDeltas}. */
export interface DeltaOptions {
  /** The metrics to take deltas of. @default every metric either release has */
  metrics?: readonly string[];
  /** Bootstrap resamples (and Monte Carlo sign flips) per paired difference. @default 9999 */
  resamples?: number;
  /** Confidence level of the eval-delta intervals. @default 0.95 */
  level?: number;
  /** The seed of every paired difference. @default 0 */
  seed?: number;
}

function short(sha: string): string {
  return sha.slice(0, 8);
}

function whyNoMatch(a: DeltaRelease, b: DeltaRelease): string {
  const pa = a.runs[0];
  const pb = b.runs[0];
  const changed: string[] = [];
  if (pa.evalset_sha256 !== pb.evalset_sha256) {
    changed.push(
      `the eval set changed (${short(pa.evalset_sha256)} → ${short(pb.evalset_sha256)})`,
    );
  }
  if (pa.judge_model !== pb.judge_model) {
    changed.push(`the judge changed ("${pa.judge_model}" → "${pb.judge_model}")`);
  }
  if (pa.prompt_sha256 !== pb.prompt_sha256) {
    changed.push(
      `the judge prompt changed (${short(pa.prompt_sha256)} → ${short(pb.prompt_sha256)})`,
    );
  }
  return `${changed.join(" and ")} and no run of ${a.release} matches ${b.release}'s: ` +
    `judge ${a.release} as ${b.release} was judged and append that run to ${a.release}'s eval_run ` +
    `(separated by ";") to re-baseline`;
}

/**
 * Deltas of consecutive releases: per-dimension paired eval deltas with CIs, and prod
 * metric changes. Releases must be in date order; pairs whose runs cannot be compared
 * are returned in `skipped` with the reason.
 *
 * @param releases Releases in date order, each with its runs (main first) and metrics.
 * @param options Metrics, resamples, level and seed.
 * @returns `{ pairs, skipped }`.
 *
 * @example
 * ```ts
 * import { releaseDeltas } from "./deltas.ts";
 * const run = (path: string, s: number[]) => ({ path, judge_model: "j", prompt_sha256: "p",
 *   evalset_sha256: "e", judgments: s.map((v, i) => ({ item_id: `q${i}`, judge_model: "j",
 *   prompt_sha256: "0".repeat(64), rationale: "", usage: { prompt_tokens: 0, completion_tokens: 0 },
 *   status: "ok" as const, scores: { correctness: v, relevance: 3, clarity: 3, calibration: 3, length: 3 } })) });
 * const { pairs } = releaseDeltas([
 *   { release: "a", date: "2026-01-01", runs: [run("ra", [2, 3, 2, 3])], metrics: { thumbs_down_rate: 0.1 } },
 *   { release: "b", date: "2026-01-08", runs: [run("rb", [4, 4, 3, 4])], metrics: { thumbs_down_rate: 0.08 } },
 * ], { resamples: 999 });
 * if (pairs[0].eval.correctness.diff !== 1.25) throw new Error("unexpected");
 * ```
 */
export function releaseDeltas(
  releases: readonly DeltaRelease[],
  options: DeltaOptions = {},
): { pairs: ReleasePair[]; skipped: SkippedPair[] } {
  const pairs: ReleasePair[] = [];
  const skipped: SkippedPair[] = [];
  for (let i = 1; i < releases.length; i++) {
    const step = releasePair(releases[i - 1], releases[i], options);
    if ("reason" in step) skipped.push(step);
    else pairs.push(step);
  }
  return { pairs, skipped };
}

/** Two consecutive releases compared, or left out with the reason. */
function releasePair(
  a: DeltaRelease,
  b: DeltaRelease,
  options: DeltaOptions,
): ReleasePair | SkippedPair {
  const { resamples = 9999, level = 0.95, seed = 0 } = options;
  if (a.runs.length === 0 || b.runs.length === 0) {
    return {
      from: a.release,
      to: b.release,
      reason: `${a.runs.length === 0 ? a.release : b.release} names no judge run`,
    };
  }
  const match = matchRuns(a, b);
  if (!match) return { from: a.release, to: b.release, reason: whyNoMatch(a, b) };
  const [dimsA, dimsB] = [scoredDimensions(match.ra), scoredDimensions(match.rb)];
  if (dimsA.join() !== dimsB.join()) {
    return {
      from: a.release,
      to: b.release,
      reason: `"${match.ra.path}" scores ${dimsA.join(", ")} but "${match.rb.path}" scores ` +
        `${dimsB.join(", ")}: different rubrics`,
    };
  }
  const paired = pairJudgments(match.ra.judgments, match.rb.judgments, dimsB);
  if (paired.items.length < 2) {
    return {
      from: a.release,
      to: b.release,
      reason: `fewer than 2 items judged ok in both "${match.ra.path}" and "${match.rb.path}" ` +
        `(${paired.items.length})`,
    };
  }
  return {
    from: a.release,
    to: b.release,
    from_date: a.date,
    to_date: b.date,
    runs: { from: match.ra.path, to: match.rb.path },
    rebaselined: match.rebaselined,
    evalset_sha256: match.rb.evalset_sha256,
    judge_model: match.rb.judge_model,
    prompt_sha256: match.rb.prompt_sha256,
    items: paired.items.length,
    left_out: {
      only_from: paired.left_out.only_baseline,
      only_to: paired.left_out.only_candidate,
      failed: paired.left_out.failed,
    },
    eval: dimensionDeltas(paired, { resamples, level, seed }),
    prod: metricDeltas(a, b, options.metrics),
  };
}
