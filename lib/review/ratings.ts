/**
 * Read human ratings (SPEC §4) from every form they come in, with every
 * problem reported as `Cannot read "F": line N: field "X": problem`:
 *
 * - a CSV sheet `item_id,rater,correctness,relevance,clarity,calibration,length,notes`
 *   (extra columns, such as the query and response of a review sheet, are ignored);
 *   a repeated (item_id, rater) in a CSV is an error;
 * - append-only JSONL of the same records (what the review page writes): a later
 *   record for the same (item_id, rater) replaces an earlier one, within that file;
 * - a `ratings-<id>/` artifact folder (what `review import` writes).
 *
 * A row whose five scores are all empty is an item the rater has not rated yet: it is
 * skipped and counted, not an error. A row with some scores and not others is an
 * error. The same (item_id, rater) in two files is an error.
 *
 * @module
 */
import { metaOf } from "../artifact_kinds.ts";
import { parse as csvParseSync } from "csv-parse/sync";
import { z } from "zod";
import { inputError, type InputIssue } from "../_errors.ts";
import { readManifest } from "../artifacts.ts";
import { formatOf, iterateRecords } from "../io/read.ts";
import { DIMENSIONS, type HumanRating, Id, Score } from "../schemas.ts";
import { type DimensionSet, isDefaultSet, scoreSchema } from "../dimensions.ts";
import { isRegressionCaseFile } from "./source.ts";
import { usageError } from "../_errors.ts";

/** A rating row as read, before the all-or-nothing check of its five scores. */
const RatingRow = z.object({
  item_id: Id,
  rater: z.string().trim().min(1),
  correctness: Score.nullish(),
  relevance: Score.nullish(),
  clarity: Score.nullish(),
  calibration: Score.nullish(),
  length: Score.nullish(),
  notes: z.string().nullish(),
});

/**
 * The columns a rating CSV must have.
 *
 * @example
 * ```ts
 * import { RATING_COLUMNS } from "./ratings.ts";
 * if (RATING_COLUMNS.join() !== "item_id,rater,correctness,relevance,clarity,calibration,length,notes") throw new Error();
 * ```
 */
export const RATING_COLUMNS = ["item_id", "rater", ...DIMENSIONS, "notes"] as const;

/** Options for {@link readRatings}. */
export interface ReadRatingsOptions {
  /** The item ids ratings may name; any other id is an error. @default any id */
  itemIds?: ReadonlySet<string>;
  /** The rater names allowed; any other is an error. @default any name */
  raters?: readonly string[];
  /** The dimensions and scale the ratings are on (from the run's manifest). @default the five on 1–5 */
  set?: DimensionSet;
}

function ratingRowOn(set: DimensionSet | undefined): typeof RatingRow {
  if (!set || isDefaultSet(set)) return RatingRow;
  const score = scoreSchema(set.scale).nullish();
  return z.object({
    item_id: Id,
    rater: z.string().trim().min(1),
    ...Object.fromEntries(set.dimensions.map((d) => [d, score])),
    notes: z.string().nullish(),
  }) as unknown as typeof RatingRow;
}

/** One rating and where it was read. */
export interface LocatedRating {
  rating: HumanRating;
  file: string;
  line: number;
}

/** What {@link readRatings} read. */
export interface RatingsRead {
  /** Every rating, sorted by rater then item id. */
  ratings: HumanRating[];
  /** The same, with file and line. */
  located: LocatedRating[];
  /** The files read (an artifact folder's `ratings.jsonl` in place of the folder). */
  files: string[];
  /** Rows left unrated (all five scores empty), per file. */
  skipped: Record<string, number>;
  /** JSONL records replaced by a later record for the same item and rater. */
  superseded: number;
  /** The rating date a `ratings` artifact records (`rated_on`), per folder given. */
  dates: Record<string, string>;
}

/**
 * The rater a file's name names: `ratings_<rater>.csv|jsonl`, else null.
 *
 * @example
 * ```ts
 * import { raterFromFileName } from "./ratings.ts";
 * if (raterFromFileName("runs/review-1/ratings_ana.csv") !== "ana") throw new Error();
 * if (raterFromFileName("data/demo/ratings/ana.csv") !== null) throw new Error();
 * ```
 */
export function raterFromFileName(path: string): string | null {
  const base = path.split("/").pop() ?? path;
  const m = /^ratings_(.+)\.(csv|jsonl|ndjson)$/i.exec(base);
  return m ? m[1] : null;
}

async function resolveRatingsPath(
  path: string,
  dates: Record<string, string>,
): Promise<string> {
  let stat: Deno.FileInfo;
  try {
    stat = await Deno.stat(path);
  } catch {
    throw inputError([{ file: path, line: 0, problem: "no such file", kind: "type" }]);
  }
  if (!stat.isDirectory) return path;
  const manifest = await readManifest(path).catch(() => null);
  if (!manifest || manifest.kind !== "ratings") {
    throw usageError(
      `"${path}" is a folder but not a ratings artifact: --ratings takes rating files ` +
        `(CSV or JSONL) or a ratings-<id> folder from review import`,
    );
  }
  const meta = metaOf(manifest, "ratings", path);
  if (typeof meta.rated_on === "string") dates[path] = meta.rated_on;
  return `${path.replace(/\/+$/, "")}/ratings.jsonl`;
}

async function csvHeader(file: string): Promise<string[] | null> {
  try {
    using f = await Deno.open(file, { read: true });
    const buf = new Uint8Array(65536);
    const n = await f.read(buf) ?? 0;
    const text = new TextDecoder().decode(buf.subarray(0, n)).replace(/^\uFEFF/, "");
    const rows = csvParseSync(text, { to_line: 1, relax_column_count: true }) as string[][];
    return rows[0]?.map((c) => c.trim()) ?? null;
  } catch {
    return null;
  }
}

/**
 * Read and validate rating files: CSV sheets, review-page JSONL, or `ratings-<id>/` folders.
 *
 * @param paths Rating files or ratings artifact folders.
 * @param options Allowed item ids and raters.
 * @returns Every rating (sorted by rater then item), skipped rows and superseded records.
 * @throws {RangeError} A usage error when a path holds regression cases (held out) or is a
 * folder that is not a ratings artifact.
 * @throws {TypeError} or {SyntaxError} For bad input, naming file, line and field; every
 * problem of every file is carried (see `inputIssues`).
 *
 * @example A CSV sheet with one unrated row
 * ```ts
 * import { readRatings } from "./ratings.ts";
 * const file = await Deno.makeTempFile({ suffix: ".csv" });
 * await Deno.writeTextFile(file, "item_id,rater,correctness,relevance,clarity,calibration,length,notes\n" +
 *   "q1,ana,4,5,4,3,5,\nq2,ana,,,,,,\n");
 * const read = await readRatings([file]);
 * if (read.ratings.length !== 1 || read.skipped[file] !== 1) throw new Error("unexpected");
 * ```
 */
export async function readRatings(
  paths: readonly string[],
  options: ReadRatingsOptions = {},
): Promise<RatingsRead> {
  if (paths.length === 0) throw usageError("No rating files given");
  const issues: InputIssue[] = [];
  const dates: Record<string, string> = {};
  const files: string[] = [];
  for (const path of paths) {
    if (await isRegressionCaseFile(path)) {
      throw usageError(
        `Refusing "${path}": it holds regression cases, not ratings. The regression set is ` +
          `held out: it is never used to tune or check the judge`,
      );
    }
    files.push(await resolveRatingsPath(path, dates));
  }
  const seen = new Map<string, { file: string; line: number }>();
  const located = new Map<string, LocatedRating>();
  const skipped: Record<string, number> = {};
  let superseded = 0;
  const allowedRaters = options.raters ? new Set(options.raters) : null;
  const dims = (options.set?.dimensions ?? DIMENSIONS) as typeof DIMENSIONS;
  const columns = ["item_id", "rater", ...dims, "notes"];
  const schema = ratingRowOn(options.set);

  for (const file of files) {
    const format = formatOf(file);
    if (format === "parquet") {
      issues.push({
        file,
        line: 0,
        problem: "ratings are CSV or JSONL, not Parquet",
        kind: "type",
      });
      continue;
    }
    if (format === "csv") {
      const header = await csvHeader(file);
      if (header) {
        for (const column of columns) {
          if (column !== "notes" && !header.includes(column)) {
            issues.push({ file, line: 1, field: column, problem: "missing column", kind: "type" });
          }
        }
      }
    }
    const fileRater = raterFromFileName(file);
    const inFile = new Map<string, number>();
    skipped[file] = 0;
    for await (
      const { line, record } of iterateRecords(file, schema, {
        onIssue: (i) => issues.push(i),
      })
    ) {
      const itemId = String(record.item_id);
      const given = dims.filter((d) => record[d] !== undefined && record[d] !== null);
      if (given.length === 0) {
        skipped[file]++;
        continue;
      }
      let bad = false;
      for (const d of dims) {
        if (!given.includes(d)) {
          issues.push({
            file,
            line,
            field: d,
            problem: `missing: score all ${
              dims.length === 5 ? "five" : dims.length
            } dimensions, or none to leave the item unrated`,
            kind: "type",
          });
          bad = true;
        }
      }
      if (fileRater !== null && record.rater !== fileRater) {
        issues.push({
          file,
          line,
          field: "rater",
          problem: `expected "${fileRater}" (the rater this sheet is for), received ${
            JSON.stringify(record.rater)
          }`,
          kind: "type",
        });
        bad = true;
      } else if (allowedRaters && !allowedRaters.has(record.rater)) {
        issues.push({
          file,
          line,
          field: "rater",
          problem: `expected one of ${
            [...allowedRaters].map((r) => JSON.stringify(r)).join(", ")
          }, received ${JSON.stringify(record.rater)}`,
          kind: "type",
        });
        bad = true;
      }
      if (options.itemIds && !options.itemIds.has(itemId)) {
        issues.push({
          file,
          line,
          field: "item_id",
          problem: `unknown item ${JSON.stringify(itemId)}: not among the items under review`,
          kind: "type",
        });
        bad = true;
      }
      if (bad) continue;
      const key = `${record.rater}\u0000${itemId}`;
      const firstInFile = inFile.get(key);
      if (firstInFile !== undefined) {
        if (format === "jsonl") {
          superseded++;
        } else {
          issues.push({
            file,
            line,
            field: "item_id,rater",
            problem: `duplicate rating of item ${JSON.stringify(itemId)} by ${
              JSON.stringify(record.rater)
            } (first on line ${firstInFile}): one row per item per rater`,
            kind: "type",
          });
          continue;
        }
      } else {
        const other = seen.get(key);
        if (other && other.file !== file) {
          issues.push({
            file,
            line,
            field: "item_id,rater",
            problem: `item ${JSON.stringify(itemId)} is rated by ${
              JSON.stringify(record.rater)
            } in "${other.file}" too (line ${other.line}): one rating per item per rater`,
            kind: "type",
          });
          continue;
        }
        inFile.set(key, line);
      }
      seen.set(key, { file, line });
      const rating = {
        item_id: itemId,
        rater: record.rater,
        ...Object.fromEntries(dims.map((d) => [d, record[d]!])),
        notes: record.notes ?? null,
      } as HumanRating;
      located.set(key, { rating, file, line });
    }
  }
  if (issues.length > 0) throw inputError(issues);
  const sorted = [...located.values()].sort((a, b) =>
    a.rating.rater < b.rating.rater
      ? -1
      : a.rating.rater > b.rating.rater
      ? 1
      : compareIds(String(a.rating.item_id), String(b.rating.item_id))
  );
  return {
    ratings: sorted.map((l) => l.rating),
    located: sorted,
    files,
    skipped,
    superseded,
    dates,
  };
}

/** Order ids as strings, numbers inside them by value (`item-2` before `item-10`). */
export function compareIds(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}
