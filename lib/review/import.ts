/**
 * Import filled rating sheets: validate them against the review they came
 * from (known item ids, the sheet's own rater, integers 1–5, one row per item
 * per rater) and write a `ratings-<id>/` artifact holding `ratings.jsonl`,
 * every rating sorted by rater then item, which `agreement --ratings` reads.
 *
 * @module
 */
import { metaOf } from "../artifact_kinds.ts";
import { IsoDate } from "../schemas.ts";
import { usageError } from "../_errors.ts";
import { type ArtifactResult, readManifest, writeArtifact } from "../artifacts.ts";
import { toJsonl } from "../io/write.ts";
import type { Reporter } from "../reporter.ts";
import type { HumanRating } from "../schemas.ts";
import { readRatings } from "./ratings.ts";
import { dimensionMeta, type DimensionSet, dimensionSetOf, isDefaultSet } from "../dimensions.ts";
import { openJudgeRun } from "./source.ts";
import { anonymizeText } from "../sample/anonymize.ts";

/** A rating with its free-text notes anonymised (raters may paste what they saw). */
function anonymizeNotes(r: HumanRating): HumanRating {
  return typeof r.notes === "string" && r.notes !== ""
    ? { ...r, notes: anonymizeText(r.notes).text }
    : r;
}

/** Options for {@link importRatings}. */
export interface ImportRatingsOptions {
  /** The `review-<id>/` export the sheets came from: its items and raters are the known ones. */
  review?: string;
  /** Or a judge run: its judged items are the known ones (any rater). */
  run?: string;
  /** The day the ratings were made, `YYYY-MM-DD` (orders the agreement history). @default the import's day */
  date?: string;
  /** Where the artifact goes. @default "runs" */
  out?: string;
  /** The clock. @default () => new Date() */
  now?: () => Date;
  /** Warnings (items left unrated) go here. @default none */
  reporter?: Reporter;
}

/** What {@link importRatings} wrote. */
export interface RatingsImport {
  artifact: string;
  created: boolean;
  ratings: HumanRating[];
  /** The `--json` summary of `review import`. */
  summary: Record<string, unknown>;
  result: ArtifactResult;
}

interface Known {
  ids: Set<string>;
  raters?: string[];
  source: Record<string, unknown>;
  /** The dimensions and scale the sheets rate (the review's or the run's manifest). */
  set: DimensionSet;
}

async function knownFrom(options: ImportRatingsOptions): Promise<Known> {
  if (options.review && options.run) throw usageError("Pass --review or --run, not both");
  if (options.review) {
    let manifest;
    try {
      manifest = await readManifest(options.review);
    } catch (e) {
      throw usageError((e as Error).message);
    }
    if (manifest.kind !== "review") {
      throw usageError(
        `"${options.review}" is a ${manifest.kind} artifact: --review takes a review-<id> folder ` +
          `from review export`,
      );
    }
    const meta = metaOf(manifest, "review", options.review);
    return {
      ids: new Set(meta.selection.items.map((i) => i.item_id)),
      raters: meta.raters,
      set: dimensionSetOf(manifest),
      source: { review: options.review, review_id: manifest.id, judge_run: meta.run ?? null },
    };
  }
  if (options.run) {
    const run = await openJudgeRun(options.run);
    return {
      ids: new Set(run.judgments.map((j) => String(j.item_id))),
      set: dimensionSetOf(run.manifest),
      source: { run: options.run, judge_run_id: run.manifest.id },
    };
  }
  throw usageError(
    "Pass --review DIR (the review export the sheets came from) or --run DIR (the judge run)",
  );
}

/** Per rater: items rated and missing; a warning for each review rater who left items unrated. */
function raterCoverage(
  ratings: readonly { item_id: string | number; rater: string }[],
  known: Known,
  reporter: Reporter | undefined,
): Record<string, { rated: number; missing: number }> {
  const raters = known.raters ?? [...new Set(ratings.map((r) => r.rater))].sort();
  const raterOf = new Map<string, Set<string>>();
  for (const r of ratings) {
    const items = raterOf.get(r.rater) ?? new Set<string>();
    items.add(String(r.item_id));
    raterOf.set(r.rater, items);
  }
  const perRater: Record<string, { rated: number; missing: number }> = {};
  for (const rater of raters) {
    const rated = raterOf.get(rater)?.size ?? 0;
    perRater[rater] = { rated, missing: known.ids.size - rated };
    if (known.raters && rated < known.ids.size) {
      reporter?.warn(`${rater} left ${known.ids.size - rated} of ${known.ids.size} items unrated`);
    }
  }
  return perRater;
}

/** Items rated at all, and items rated by two raters or more (the overlap agreement needs). */
function itemCoverage(
  ratings: readonly { item_id: string | number }[],
): { items: number; overlap: number } {
  const countByItem = new Map<string, number>();
  for (const r of ratings) {
    countByItem.set(String(r.item_id), (countByItem.get(String(r.item_id)) ?? 0) + 1);
  }
  return {
    items: countByItem.size,
    overlap: [...countByItem.values()].filter((c) => c >= 2).length,
  };
}

/**
 * Validate filled rating sheets and write them as one `ratings-<id>/ratings.jsonl` artifact.
 *
 * @param files The filled sheets (CSV) or review-page files (JSONL).
 * @param options The review (or run) they belong to, the rating date, where to write.
 * @returns The artifact, the ratings and the summary.
 * @throws {RangeError} Bad usage: neither `review` nor `run`, a bad date, held-out input.
 * @throws {TypeError} or {SyntaxError} Bad sheets: every problem, as `file:line: field: problem`.
 *
 * @example
 * ```ts
 * import { runJudge } from "../judge/run.ts";
 * import { demoPaths } from "../demo_world.ts";
 * const out = await Deno.makeTempDir();
 * const paths = demoPaths();
 * const judged = await runJudge(paths.evalItems, { judge: "heuristic", responses: paths.responses("r10"), out });
 * import { importRatings } from "./import.ts";
 * const imported = await importRatings(paths.ratings, { run: judged.artifact, date: "2026-09-01", out });
 * if (imported.ratings.length !== 100) throw new Error(String(imported.ratings.length));
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function importRatings(
  files: readonly string[],
  options: ImportRatingsOptions,
): Promise<RatingsImport> {
  if (files.length === 0) throw usageError("No rating sheets given: review import F...");
  if (options.date !== undefined && !IsoDate.safeParse(options.date).success) {
    throw usageError(`Invalid --date "${options.date}": expected YYYY-MM-DD`);
  }
  const known = await knownFrom(options);
  const read = await readRatings(files, {
    itemIds: known.ids,
    raters: known.raters,
    set: known.set,
  });
  if (read.ratings.length === 0) {
    throw usageError(`No ratings in ${files.map((f) => `"${f}"`).join(", ")}: every row is empty`);
  }
  const perRater = raterCoverage(read.ratings, known, options.reporter);
  const { items, overlap } = itemCoverage(read.ratings);
  const now = options.now ?? (() => new Date());
  const ratedOn = options.date ?? now().toISOString().slice(0, 10);
  const skipped = Object.values(read.skipped).reduce((a, b) => a + b, 0);
  const result = await writeArtifact({
    kind: "ratings",
    out: options.out,
    command: "review import",
    params: {
      ...("review_id" in known.source
        ? { review: known.source.review_id }
        : { run: known.source.judge_run_id }),
      ...(options.date ? { date: options.date } : {}),
    },
    inputs: read.files,
    files: { "ratings.jsonl": toJsonl(read.ratings.map(anonymizeNotes)) },
    now,
    meta: {
      rated_on: ratedOn,
      ...known.source,
      raters: perRater,
      items,
      overlap,
      skipped,
      superseded: read.superseded,
      ...(isDefaultSet(known.set) ? {} : dimensionMeta(known.set)),
    },
  });
  const meta = metaOf(result.manifest, "ratings", result.dir);
  return {
    artifact: result.dir,
    created: result.created,
    ratings: read.ratings,
    result,
    summary: {
      artifact: result.dir,
      ratings: read.ratings.length,
      items,
      overlap,
      raters: perRater,
      skipped,
      superseded: read.superseded,
      rated_on: meta.rated_on ?? ratedOn,
    },
  };
}
