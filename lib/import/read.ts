/**
 * Read scores made elsewhere (CSV or JSONL) into per-rater rows on a dimension
 * set, collecting every problem as `file:line: field: problem`.
 *
 * Layouts:
 *
 * - `long` (default): one row per item and rater (ratings) or per item (judgments),
 *   one column per dimension.
 * - `wide`: one row per item holding every rater's scores: in JSONL, a field
 *   (`annotations` by default) that is an array of per-rater objects (raters named
 *   `ann1`, `ann2`, … or by `raters`) or an object keyed by rater; in CSV, columns
 *   named `<dimension>.<rater>`.
 *
 * A score must be an integer on the scale. A fractional value is refused with a hint:
 * it is most likely an average over raters, and agreement needs each rater's own score.
 *
 * @module
 */
import { z } from "zod";
import type { InputIssue } from "../_errors.ts";
import { type DimensionSet, scaleLabel } from "../dimensions.ts";
import { iterateRecords } from "../io/read.ts";

/** How to read a file of scores. */
export interface ReadScoresOptions {
  set: DimensionSet;
  /** `long` or `wide`. @default "long" */
  layout?: "long" | "wide";
  /** Rename columns first: `{ field: column }`. @default {} */
  map?: Record<string, string>;
  /** The column(s) naming the item; several are joined with `-`. @default ["item_id"] */
  itemColumns?: readonly string[];
  /** Long ratings: the column naming the rater; null for judgments. @default "rater" */
  raterColumn?: string | null;
  /** Wide JSONL: the field holding the raters' scores. @default "annotations" */
  annotationsField?: string;
  /** Wide: names for the raters of an array, in order. @default ann1, ann2, … */
  raters?: readonly string[];
  /** Keep only these raters' scores (e.g. one rater of a wide file, imported as a judge). @default all */
  onlyRaters?: readonly string[];
  /** Known item ids: any other is an error. @default any */
  items?: ReadonlySet<string>;
}

/** One rater's (or the judge's) scores of one item, and where they came from. */
export interface ScoreRow {
  line: number;
  item_id: string;
  /** The rater; `""` for a judgment. */
  rater: string;
  scores: Record<string, number>;
  notes?: string;
  /** Judgments: the judged model, when the file names it. */
  model?: string;
}

/** What {@link readScores} found. */
export interface ScoresRead {
  rows: ScoreRow[];
  issues: InputIssue[];
  /** Records read. */
  records: number;
}

const AnyRecord = z.record(z.string(), z.unknown());

function cellText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const s = typeof v === "string" ? v.trim() : typeof v === "number" ? String(v) : undefined;
  return s === "" ? undefined : s;
}

/** Check one score; an issue's problem, or null when `v` is a score on the scale. */
export function scoreProblem(v: unknown, set: DimensionSet): string | null {
  const label = scaleLabel(set.scale);
  if (v === undefined || v === null || (typeof v === "string" && v.trim() === "")) {
    return `missing: expected an integer score on ${label}`;
  }
  const n = typeof v === "number" ? v : typeof v === "string" ? Number(v.trim()) : NaN;
  if (!Number.isFinite(n)) return `expected an integer score on ${label}, got ${JSON.stringify(v)}`;
  if (!Number.isInteger(n)) {
    return `${n} is not an integer score on ${label}: it looks like an average over raters; ` +
      `import each rater's own scores (one row per rater, or --layout wide) so agreement ` +
      `can be computed`;
  }
  if (n < set.scale.min || n > set.scale.max) return `${n} is outside the scale ${label}`;
  return null;
}

interface Ctx {
  file: string;
  options: ReadScoresOptions;
  issues: InputIssue[];
}

function issue(ctx: Ctx, line: number, field: string | undefined, problem: string): void {
  ctx.issues.push({ file: ctx.file, line, ...(field ? { field } : {}), problem, kind: "type" });
}

function scoresOf(
  ctx: Ctx,
  line: number,
  source: Record<string, unknown>,
  field: (d: string) => string,
): Record<string, number> | null {
  const scores: Record<string, number> = {};
  let ok = true;
  for (const d of ctx.options.set.dimensions) {
    const v = source[field(d)];
    const problem = scoreProblem(v, ctx.options.set);
    if (problem) {
      issue(ctx, line, field(d), problem);
      ok = false;
    } else scores[d] = Number(v);
  }
  return ok ? scores : null;
}

function itemOf(ctx: Ctx, line: number, record: Record<string, unknown>): string | null {
  const columns = ctx.options.itemColumns ?? ["item_id"];
  const parts: string[] = [];
  for (const c of columns) {
    const v = cellText(record[c]);
    if (v === undefined) {
      issue(ctx, line, c, "missing: expected the item's id");
      return null;
    }
    parts.push(v);
  }
  const id = parts.join("-");
  if (ctx.options.items && !ctx.options.items.has(id)) {
    issue(ctx, line, columns.join(","), `unknown item "${id}": not in --items`);
    return null;
  }
  return id;
}

function wideRaters(
  ctx: Ctx,
  line: number,
  record: Record<string, unknown>,
  columns: readonly string[] | undefined,
): [string, Record<string, unknown>, (d: string) => string][] {
  if (columns) {
    const raters = [
      ...new Set(
        columns.map((c) => /^([a-z][a-z0-9_]*)\.(.+)$/.exec(c)).filter((m) =>
          m !== null && ctx.options.set.dimensions.includes(m[1])
        ).map((m) => m![2]),
      ),
    ];
    if (raters.length === 0) {
      issue(ctx, line, undefined, "no <dimension>.<rater> columns (--layout wide)");
    }
    return raters.map((r) => [r, record, (d: string) => `${d}.${r}`]);
  }
  const field = ctx.options.annotationsField ?? "annotations";
  const value = record[field];
  const named = (i: number) => ctx.options.raters?.[i] ?? `ann${i + 1}`;
  if (Array.isArray(value)) {
    return value.map((v, i) => [named(i), (v ?? {}) as Record<string, unknown>, (d: string) => d]);
  }
  if (value && typeof value === "object") {
    return Object.entries(value as Record<string, Record<string, unknown>>).map((
      [r, v],
    ) => [r, v ?? {}, (d: string) => d]);
  }
  issue(ctx, line, field, "missing: expected a list (or object) of each rater's scores");
  return [];
}

function rowsOf(
  ctx: Ctx,
  line: number,
  record: Record<string, unknown>,
  columns: readonly string[] | undefined,
): ScoreRow[] {
  const item = itemOf(ctx, line, record);
  const notes = cellText(record.notes);
  const extra = notes !== undefined ? { notes } : {};
  const raterColumn = ctx.options.raterColumn === undefined ? "rater" : ctx.options.raterColumn;
  if ((ctx.options.layout ?? "long") === "wide") {
    return wideRaters(ctx, line, record, columns).flatMap(([rater, source, field]) => {
      const scores = scoresOf(ctx, line, source, (d) => field(d));
      return scores && item !== null ? [{ line, item_id: item, rater, scores, ...extra }] : [];
    });
  }
  let rater = "";
  if (raterColumn !== null) {
    const r = cellText(record[raterColumn]);
    if (r === undefined) issue(ctx, line, raterColumn, "missing: expected the rater's name");
    rater = r ?? "";
  }
  const scores = scoresOf(ctx, line, record, (d) => d);
  const model = cellText(record.model);
  if (!scores || item === null || (raterColumn !== null && rater === "")) return [];
  return [{ line, item_id: item, rater, scores, ...extra, ...(model ? { model } : {}) }];
}

function missingColumns(ctx: Ctx, record: Record<string, unknown>): boolean {
  const o = ctx.options;
  const raterColumn = o.raterColumn === undefined ? "rater" : o.raterColumn;
  const wanted = [
    ...(o.itemColumns ?? ["item_id"]),
    ...(raterColumn ? [raterColumn] : []),
    ...o
      .set.dimensions,
  ];
  const missing = wanted.filter((c) => !(c in record));
  for (const c of missing) {
    issue(ctx, 1, c, `missing column (the header has ${Object.keys(record).join(", ")})`);
  }
  return missing.length > 0;
}

/**
 * Read a file of scores: every row on the set's dimensions and scale, every problem listed.
 *
 * @param file A CSV or JSONL file.
 * @param options The dimension set, layout, columns and known items.
 * @returns The rows and the problems (an empty list when the file is good).
 */
export async function readScores(file: string, options: ReadScoresOptions): Promise<ScoresRead> {
  const ctx: Ctx = { file, options, issues: [] };
  const rows: ScoreRow[] = [];
  const seen = new Map<string, number>();
  let records = 0;
  const onIssue = (i: InputIssue) => ctx.issues.push(i);
  const csv = /\.csv$/i.test(file);
  for await (
    const { line, record } of iterateRecords(file, AnyRecord, { map: options.map, onIssue })
  ) {
    records++;
    const columns = csv && options.layout === "wide" ? Object.keys(record) : undefined;
    if (records === 1 && csv && options.layout !== "wide" && missingColumns(ctx, record)) break;
    for (const row of rowsOf(ctx, line, record, columns)) {
      if (options.onlyRaters && !options.onlyRaters.includes(row.rater)) continue;
      const key = JSON.stringify([row.item_id, row.rater]);
      const first = seen.get(key);
      if (first !== undefined) {
        issue(
          ctx,
          line,
          undefined,
          `item "${row.item_id}"${row.rater ? ` by ${row.rater}` : ""} repeats line ${first}`,
        );
        continue;
      }
      seen.set(key, line);
      rows.push(row);
    }
  }
  return { rows, issues: ctx.issues, records };
}
