/**
 * Judge drift over time: every agreement artifact under a runs folder is the
 * agreement history. Entries are ordered by the date of their human ratings
 * (`ratings_date` in the manifest: `--date`, or the `rated_on` of an imported
 * ratings artifact), falling back to when the agreement was computed.
 *
 * Month over month (the latest entry of each calendar month against the
 * latest of the month before it that has one), per dimension, two flags:
 *
 * - `drop`: the primary metric fell by more than `maxDrop` (default 0.05);
 * - `ci_below_threshold`: the interval's lower end moved below the threshold (it was at
 *   or above it the month before).
 *
 * Prompt comparisons and re-judge checks are agreement artifacts too; they are listed
 * apart (`rejudges`) and not in the monthly series.
 *
 * The series follows the entries' dimension set (each artifact's manifest records it; one
 * without holds the kit's five on 1–5). Entries on differing sets are refused, naming the
 * difference, unless `dimensions` picks ones every entry has.
 *
 * @module
 */
import type { Dimension } from "../schemas.ts";
import { readArtifact } from "../artifact_kinds.ts";
import {
  DEFAULT_DIMENSION_SET,
  type DimensionSet,
  dimensionSetOf,
  sharedDimensions,
} from "../dimensions.ts";
import { readRuns } from "../runs.ts";
import { driftPoint, type DriftRule, latestPerMonth } from "./_history.ts";
import type { AgreementMetric, AgreementReport } from "./compute.ts";
import type { JudgeDrift } from "./rejudge.ts";

/** One agreement artifact of the history. */
export interface HistoryEntry {
  artifact: string;
  id: string;
  /** The ratings' date (or the artifact's creation time): orders the history. */
  date: string;
  created_at: string;
  run: string | null;
  judge_model: string | null;
  prompt_sha256: string | null;
  report: AgreementReport;
  /** The dimensions and scale the report is on (its manifest's). @default the five on 1–5 */
  set?: DimensionSet;
}

/** A re-judge check found in the history folder. */
export interface RejudgeEntry {
  artifact: string;
  date: string;
  run: string | null;
  judge_model: string | null;
  drift: JudgeDrift;
}

/** One month's point of one dimension. */
export interface DriftPoint {
  month: string;
  date: string;
  artifact: string;
  value: number | null;
  ci: [number | null, number | null];
  verdict: "ok" | "recalibrate" | "undetermined";
  /** The month before's value minus this one (positive = a drop); null for the first month. */
  drop: number | null;
  flags: ("drop" | "ci_below_threshold")[];
}

/** One flag raised by the history. */
export interface DriftFlag {
  month: string;
  previous_month: string;
  dimension: Dimension;
  kind: "drop" | "ci_below_threshold";
  detail: string;
}

/** Options for {@link agreementDrift}. */
export interface AgreementDriftOptions {
  /** The metric to follow. @default the latest entry's primary metric */
  metric?: AgreementMetric;
  /** The threshold for verdicts and the interval flag. @default the latest entry's threshold */
  threshold?: number;
  /** The largest month-over-month fall not flagged. @default 0.05 */
  maxDrop?: number;
  /**
   * Only these dimensions (`--dimensions a,b`): every entry must have them. @default the
   * entries' set, which must be the same for all
   */
  dimensions?: readonly string[];
}

/** The agreement history per dimension, month over month, with its flags. */
export interface AgreementDrift {
  metric: AgreementMetric;
  threshold: number;
  max_drop: number;
  /** Every entry, oldest first. */
  entries: {
    artifact: string;
    date: string;
    run: string | null;
    judge_model: string | null;
    prompt_sha256: string | null;
    verdict: string;
  }[];
  /** The months with an entry, oldest first. */
  months: string[];
  dimensions: Record<Dimension, DriftPoint[]>;
  flags: DriftFlag[];
  /** The latest month's step raised a flag. */
  latest_flagged: boolean;
}

function byDate(a: HistoryEntry, b: HistoryEntry): number {
  return a.date < b.date
    ? -1
    : a.date > b.date
    ? 1
    : a.created_at < b.created_at
    ? -1
    : a.created_at > b.created_at
    ? 1
    : a.id < b.id
    ? -1
    : 1;
}

/**
 * The dimension set the history follows: every entry's against the latest's, refused
 * (naming the entries and the difference) when they differ, unless `wanted` picks
 * dimensions every entry has.
 *
 * @param sorted The entries, oldest first (at least one).
 * @param wanted `--dimensions`, when given.
 * @throws {RangeError} A usage error naming what differs, or a wanted dimension an entry lacks.
 *
 * @example
 * ```ts
 * import { historySet, type HistoryEntry } from "./history.ts";
 * const at = (artifact: string, dimensions: string[]) =>
 *   ({ artifact, set: { dimensions, scale: { min: 1, max: 10 } } }) as unknown as HistoryEntry;
 * const set = historySet([at("a", ["tone", "faithfulness"]), at("b", ["tone", "faithfulness"])]);
 * if (set.dimensions.join() !== "tone,faithfulness" || set.scale.max !== 10) throw new Error();
 * let refused = "";
 * try { historySet([at("a", ["tone"]), at("b", ["warmth"])]); } catch (e) { refused = (e as Error).message; }
 * if (!refused.includes("only the agreement a has tone")) throw new Error(refused);
 * ```
 */
export function historySet(
  sorted: readonly HistoryEntry[],
  wanted?: readonly string[],
): DimensionSet {
  const named = (e: HistoryEntry) => ({
    name: `the agreement ${e.artifact}`,
    set: e.set ?? DEFAULT_DIMENSION_SET,
  });
  const latest = named(sorted[sorted.length - 1]);
  let set = latest.set;
  for (const e of sorted) set = sharedDimensions(named(e), latest, wanted).set;
  return set;
}

/**
 * Month-over-month agreement per dimension (of the entries' set), with drop and interval
 * flags.
 *
 * @param entries Agreement entries (any order).
 * @param options The metric, threshold, largest unflagged drop and dimensions.
 * @returns The monthly series and the flags.
 * @throws {RangeError} When there are no entries; a usage error when the entries' sets
 *   differ (see {@link historySet}).
 *
 * @example A drop of 0.10 is flagged
 * ```ts
 * import { agreementDrift, type HistoryEntry } from "./history.ts";
 * const dims = ["correctness", "relevance", "clarity", "calibration", "length"];
 * const entry = (date: string, v: number) => ({ artifact: date, id: date, date, created_at: date,
 *   run: null, judge_model: "m", prompt_sha256: null,
 *   report: { metric: "adjacent", threshold: 0.8, dimensions: Object.fromEntries(dims.map((d) => [d, {
 *     judge_vs_humans: { adjacent: { value: v, ci: [v - 0.05, v + 0.05], n: 50 } } }])) } }) as unknown as HistoryEntry;
 * const drift = agreementDrift([entry("2026-07-10", 0.95), entry("2026-08-12", 0.85)]);
 * if (!drift.latest_flagged || drift.flags[0].kind !== "drop") throw new Error("not flagged");
 * ```
 */
export function agreementDrift(
  entries: readonly HistoryEntry[],
  options: AgreementDriftOptions = {},
): AgreementDrift {
  if (entries.length === 0) throw new RangeError("agreementDrift(): no agreement entries");
  const sorted = [...entries].sort(byDate);
  const latest = sorted[sorted.length - 1];
  const rule: DriftRule = {
    metric: options.metric ?? latest.report.metric,
    threshold: options.threshold ?? latest.report.threshold,
    maxDrop: options.maxDrop ?? 0.05,
  };
  const perMonth = latestPerMonth(sorted);
  const months = [...perMonth.keys()];
  const flags: DriftFlag[] = [];
  const dimensions = {} as Record<Dimension, DriftPoint[]>;
  for (const d of historySet(sorted, options.dimensions).dimensions as readonly Dimension[]) {
    const points: DriftPoint[] = [];
    for (const month of months) {
      const step = driftPoint(month, perMonth.get(month)!, d, points.at(-1) ?? null, rule);
      points.push(step.point);
      flags.push(...step.flags);
    }
    dimensions[d] = points;
  }
  const lastMonth = months[months.length - 1];
  return {
    metric: rule.metric,
    threshold: rule.threshold,
    max_drop: rule.maxDrop,
    entries: sorted.map((e) => ({
      artifact: e.artifact,
      date: e.date,
      run: e.run,
      judge_model: e.judge_model,
      prompt_sha256: e.prompt_sha256,
      verdict: e.report.verdict,
    })),
    months,
    dimensions,
    flags,
    latest_flagged: months.length > 1 && flags.some((f) => f.month === lastMonth),
  };
}

/**
 * Read the agreement history under a runs folder: every `agreement-*` artifact of a
 * plain agreement run, and, apart, every re-judge check.
 *
 * @param dir The runs folder.
 * @returns Agreement entries (oldest first) and re-judge checks (oldest first).
 * @throws {TypeError} `Cannot read "dir": no such folder` when the folder does not exist, or
 *   when an agreement artifact in it is broken.
 *
 * @example
 * ```ts
 * import { readAgreementHistory } from "./history.ts";
 * const runs = await Deno.makeTempDir();
 * const { entries, rejudges } = await readAgreementHistory(runs);
 * if (entries.length !== 0 || rejudges.length !== 0) throw new Error();
 * await Deno.remove(runs);
 * ```
 */
export async function readAgreementHistory(
  dir: string,
): Promise<{ entries: HistoryEntry[]; rejudges: RejudgeEntry[] }> {
  const entries: HistoryEntry[] = [];
  const rejudges: RejudgeEntry[] = [];
  for (const e of (await readRuns(dir)).filter((e) => e.kind === "agreement")) {
    const { manifest, meta, data } = await readArtifact(e.dir, "agreement");
    if (meta.mode === "rejudge") {
      rejudges.push({
        artifact: e.dir,
        date: e.created_at,
        run: meta.run ?? null,
        judge_model: meta.judge_model ?? null,
        drift: data as JudgeDrift,
      });
    } else if (meta.mode === "agreement") {
      entries.push({
        artifact: e.dir,
        id: e.id,
        date: meta.ratings_date ?? e.created_at,
        created_at: e.created_at,
        run: meta.run ?? null,
        judge_model: meta.judge_model ?? null,
        prompt_sha256: typeof meta.prompt_sha256 === "string" ? meta.prompt_sha256 : null,
        report: data as AgreementReport,
        set: dimensionSetOf(manifest),
      });
    }
  }
  entries.sort(byDate);
  rejudges.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { entries, rejudges };
}
