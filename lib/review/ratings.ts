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
  /** Rows left unrated (no dimension scored), per file. */
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

/** Refuse the held-out regression set, and turn each path into the file to read. */
async function ratingsFiles(
  paths: readonly string[],
  dates: Record<string, string>,
): Promise<string[]> {
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
  return files;
}

/** A Parquet file, or a CSV header without a rating column: the file's own problems. */
async function fileIssues(
  file: string,
  format: ReturnType<typeof formatOf>,
  columns: readonly string[],
): Promise<InputIssue[]> {
  if (format === "parquet") {
    return [{ file, line: 0, problem: "ratings are CSV or JSONL, not Parquet", kind: "type" }];
  }
  if (format !== "csv") return [];
  const header = await csvHeader(file);
  if (!header) return [];
  return columns.filter((c) => c !== "notes" && !header.includes(c)).map((field) => ({
    file,
    line: 1,
    field,
    problem: "missing column",
    kind: "type" as const,
  }));
}

/** What a rating row is checked against. */
export interface RatingRowRules {
  /** The dimensions a rating scores. */
  dims: readonly string[];
  /** The rater the file's name names, or null. */
  fileRater: string | null;
  /** The raters allowed, or null for any. */
  raters: ReadonlySet<string> | null;
  /** The item ids allowed. @default any */
  itemIds?: ReadonlySet<string>;
}

/** A rating row as read: item, rater, scores (null or absent when empty) and notes. */
export type RatingRowRecord = {
  item_id: string | number;
  rater: string;
  notes?: string | null;
  [dimension: string]: unknown;
};

/**
 * Check one rating row: `unrated` when all its scores are empty; `bad` with every
 * problem (some scores and not others, another rater than the file's or than those
 * allowed, an item not under review); else the rating.
 *
 * @example
 * ```ts
 * import { checkRatingRow } from "./ratings.ts";
 * const rules = { dims: ["correctness", "clarity"], fileRater: "ana", raters: null };
 * const at = { file: "ratings_ana.csv", line: 2 };
 * if (checkRatingRow({ item_id: "q1", rater: "ana", correctness: null }, at, rules).kind !== "unrated") throw new Error();
 * const half = checkRatingRow({ item_id: "q1", rater: "ben", correctness: 4 }, at, rules);
 * if (half.kind !== "bad" || half.issues.map((i) => i.field).join() !== "clarity,rater") throw new Error();
 * const ok = checkRatingRow({ item_id: 7, rater: "ana", correctness: 4, clarity: 5 }, at, rules);
 * if (ok.kind !== "ok" || ok.rating.item_id !== "7" || ok.rating.notes !== null) throw new Error();
 * ```
 */
export function checkRatingRow(
  record: RatingRowRecord,
  at: { file: string; line: number },
  rules: RatingRowRules,
):
  | { kind: "unrated" }
  | { kind: "bad"; issues: InputIssue[] }
  | { kind: "ok"; rating: HumanRating } {
  const { dims, fileRater } = rules;
  const itemId = String(record.item_id);
  const given = dims.filter((d) => record[d] !== undefined && record[d] !== null);
  if (given.length === 0) return { kind: "unrated" };
  const issue = (field: string, problem: string): InputIssue => ({
    file: at.file,
    line: at.line,
    field,
    problem,
    kind: "type",
  });
  const issues: InputIssue[] = dims.filter((d) => !given.includes(d)).map((d) =>
    issue(
      d,
      `missing: score all ${
        dims.length === 5 ? "five" : dims.length
      } dimensions, or none to leave the item unrated`,
    )
  );
  if (fileRater !== null && record.rater !== fileRater) {
    issues.push(issue(
      "rater",
      `expected "${fileRater}" (the rater this sheet is for), received ${
        JSON.stringify(record.rater)
      }`,
    ));
  } else if (rules.raters && !rules.raters.has(record.rater)) {
    issues.push(issue(
      "rater",
      `expected one of ${[...rules.raters].map((r) => JSON.stringify(r)).join(", ")}, received ${
        JSON.stringify(record.rater)
      }`,
    ));
  }
  if (rules.itemIds && !rules.itemIds.has(itemId)) {
    issues.push(issue(
      "item_id",
      `unknown item ${JSON.stringify(itemId)}: not among the items under review`,
    ));
  }
  if (issues.length > 0) return { kind: "bad", issues };
  const rating = {
    item_id: itemId,
    rater: record.rater,
    ...Object.fromEntries(dims.map((d) => [d, record[d]])),
    notes: record.notes ?? null,
  } as HumanRating;
  return { kind: "ok", rating };
}

/** Ratings gathered over the files, and the problems found. */
interface RatingsTally {
  issues: InputIssue[];
  /** Where each (rater, item) was last read. */
  seen: Map<string, { file: string; line: number }>;
  located: Map<string, LocatedRating>;
  skipped: Record<string, number>;
  superseded: number;
}

/**
 * The problem with a rating of an (item, rater) read before, or null to keep it: a
 * repeat in one CSV, or a rating in another file, is refused; in JSONL a later record
 * replaces the earlier one.
 */
function repeatIssue(
  rating: HumanRating,
  at: { file: string; line: number; jsonl: boolean },
  firstInFile: number | undefined,
  other: { file: string; line: number } | undefined,
): InputIssue | null {
  const item = JSON.stringify(String(rating.item_id));
  const rater = JSON.stringify(rating.rater);
  const issue = (problem: string): InputIssue => ({
    file: at.file,
    line: at.line,
    field: "item_id,rater",
    problem,
    kind: "type",
  });
  if (firstInFile !== undefined) {
    if (at.jsonl) return null;
    return issue(
      `duplicate rating of item ${item} by ${rater} (first on line ${firstInFile}): ` +
        `one row per item per rater`,
    );
  }
  if (other && other.file !== at.file) {
    return issue(
      `item ${item} is rated by ${rater} in "${other.file}" too (line ${other.line}): ` +
        `one rating per item per rater`,
    );
  }
  return null;
}

/** Read one ratings file into the tally. */
async function tallyRatingsFile(
  file: string,
  options: ReadRatingsOptions,
  tally: RatingsTally,
): Promise<void> {
  const format = formatOf(file);
  const dims = (options.set?.dimensions ?? DIMENSIONS) as readonly string[];
  tally.issues.push(...await fileIssues(file, format, ["item_id", "rater", ...dims, "notes"]));
  if (format === "parquet") return;
  const rules: RatingRowRules = {
    dims,
    fileRater: raterFromFileName(file),
    raters: options.raters ? new Set(options.raters) : null,
    itemIds: options.itemIds,
  };
  const inFile = new Map<string, number>();
  tally.skipped[file] = 0;
  const records = iterateRecords(file, ratingRowOn(options.set), {
    onIssue: (i) => tally.issues.push(i),
  });
  for await (const { line, record } of records) {
    const row = checkRatingRow(record, { file, line }, rules);
    if (row.kind === "unrated") tally.skipped[file]++;
    if (row.kind === "bad") tally.issues.push(...row.issues);
    if (row.kind !== "ok") continue;
    const { rating } = row;
    const key = `${rating.rater}\u0000${rating.item_id}`;
    const firstInFile = inFile.get(key);
    const at = { file, line, jsonl: format === "jsonl" };
    const repeat = repeatIssue(rating, at, firstInFile, tally.seen.get(key));
    if (repeat) {
      tally.issues.push(repeat);
      continue;
    }
    if (firstInFile !== undefined) tally.superseded++;
    else inFile.set(key, line);
    tally.seen.set(key, { file, line });
    tally.located.set(key, { rating, file, line });
  }
}

/** Ratings by rater, then item id ({@link compareIds}). */
function byRaterThenItem(a: LocatedRating, b: LocatedRating): number {
  return a.rating.rater < b.rating.rater
    ? -1
    : a.rating.rater > b.rating.rater
    ? 1
    : compareIds(String(a.rating.item_id), String(b.rating.item_id));
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
  const dates: Record<string, string> = {};
  const files = await ratingsFiles(paths, dates);
  const tally: RatingsTally = {
    issues: [],
    seen: new Map(),
    located: new Map(),
    skipped: {},
    superseded: 0,
  };
  for (const file of files) await tallyRatingsFile(file, options, tally);
  if (tally.issues.length > 0) throw inputError(tally.issues);
  const sorted = [...tally.located.values()].sort(byRaterThenItem);
  return {
    ratings: sorted.map((l) => l.rating),
    located: sorted,
    files,
    skipped: tally.skipped,
    superseded: tally.superseded,
    dates,
  };
}

/** Order ids as strings, numbers inside them by value (`item-2` before `item-10`). */
export function compareIds(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}
