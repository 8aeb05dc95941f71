/**
 * The rating page's ratings file: an append-only JSONL log, opened and locked for
 * one server, read back on start, appended to and fsynced on every save.
 *
 * @module
 */
import { inputError, usageError } from "../_errors.ts";
import { readRatings } from "./ratings.ts";
import type { RatingRecord } from "./serve.ts";
import type { DimensionSet } from "../dimensions.ts";

/** An open, locked ratings file. */
export interface RatingsLog {
  /** The file. */
  path: string;
  /** The rater's latest rating per item id, as read back when the file was opened. */
  ratings: Map<string, RatingRecord>;
  /**
   * Append one record and fsync it; on failure, cut the file back to where it was
   * and throw.
   */
  append(record: RatingRecord): Promise<void>;
  /** Release the lock (and remove the file if it was created here and nothing was appended). */
  close(): Promise<void>;
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let rest = bytes;
  while (rest.length > 0) rest = rest.subarray(await file.write(rest));
}

/** Make sure the file ends with a newline; refuse a torn last record. */
async function repairTail(file: Deno.FsFile, path: string): Promise<void> {
  const text = await Deno.readTextFile(path);
  if (text === "" || text.endsWith("\n")) return;
  const lines = text.split("\n");
  const last = lines[lines.length - 1];
  try {
    JSON.parse(last);
  } catch {
    throw inputError([{
      file: path,
      line: lines.length,
      problem: "an incomplete last record (the server stopped while writing it, before the " +
        "page was told it was saved): delete that line, then start again",
      kind: "syntax",
    }]);
  }
  await writeAll(file, new TextEncoder().encode("\n"));
  await file.sync();
}

/**
 * When each item was last rated, from the `rated_at` of the last line naming it.
 * Blank lines and lines without a string `rated_at` are passed over; every line
 * must be JSON (check with {@link readRatings} first).
 *
 * @param text The ratings file's text.
 */
export function ratedAtById(text: string): Map<string, string> {
  const ratedAt = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const r = JSON.parse(line) as { item_id?: unknown; rated_at?: unknown };
    if (typeof r.rated_at === "string") ratedAt.set(String(r.item_id), r.rated_at);
  }
  return ratedAt;
}

/**
 * Read a ratings file back: the rater's latest rating per item id, with its notes
 * (null when absent) and `rated_at` (empty when absent).
 *
 * @throws {TypeError} or {SyntaxError} A bad file, or another rater's records (file, line, field).
 */
export async function readBackRatings(
  path: string,
  rater: string,
  set?: DimensionSet,
): Promise<Map<string, RatingRecord>> {
  const read = await readRatings([path], { raters: [rater], set });
  const ratedAt = ratedAtById(await Deno.readTextFile(path));
  const ratings = new Map<string, RatingRecord>();
  for (const r of read.ratings) {
    ratings.set(String(r.item_id), {
      ...r,
      item_id: String(r.item_id),
      notes: r.notes ?? null,
      rated_at: ratedAt.get(String(r.item_id)) ?? "",
    });
  }
  return ratings;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Open a rater's ratings file for appending (creating it and its folder), lock it
 * so that no second server writes it, complete a last record missing only its
 * newline, and read it back.
 *
 * @param path The ratings file (`.jsonl`).
 * @param rater The only rater its records may name.
 * @param set The run's dimensions and scale. @default the five on 1–5
 * @throws {RangeError} When another server holds the lock.
 * @throws {TypeError} or {SyntaxError} A bad file or a torn last record, naming file and line.
 */
export async function openRatingsLog(
  path: string,
  rater: string,
  set?: DimensionSet,
): Promise<RatingsLog> {
  const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : ".";
  await Deno.mkdir(dir, { recursive: true });
  const existed = await exists(path);
  const file = await Deno.open(path, { read: true, append: true, create: true });
  let size: number;
  let ratings: Map<string, RatingRecord>;
  try {
    if (!(await file.tryLock(true))) {
      throw usageError(
        `"${path}" is open in another review serve: one server per ratings file (stop the other first)`,
      );
    }
    await repairTail(file, path);
    size = (await file.stat()).size;
    ratings = size > 0 ? await readBackRatings(path, rater, set) : new Map();
  } catch (e) {
    file.close();
    throw e;
  }
  const encoder = new TextEncoder();
  return {
    path,
    ratings,
    async append(record) {
      const bytes = encoder.encode(JSON.stringify(record) + "\n");
      try {
        await writeAll(file, bytes);
        await file.sync();
      } catch (e) {
        await file.truncate(size).catch(() => {});
        throw e;
      }
      size += bytes.length;
    },
    async close() {
      file.close();
      if (!existed && size === 0) await Deno.remove(path).catch(() => {});
    },
  };
}
