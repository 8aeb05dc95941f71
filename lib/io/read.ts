/**
 * Readers for JSONL, CSV and Parquet that validate every record against a zod
 * schema and report every problem as `file:line: field: problem`.
 *
 * JSONL and CSV are streamed (memory bounded by the records kept, not the file);
 * Parquet is read through DuckDB in chunks.
 *
 * @module
 */
import type { z } from "zod";
import type { Parser } from "csv-parse";
import { inputError, type InputIssue, zodIssues } from "../_errors.ts";
import { countNewlines, firstInvalidUtf8, hasBom, readLines } from "./_text.ts";
import { openDuckDB, readFunction } from "./duckdb.ts";
import { type RecordChecks, recordChecks, schemaIssueReporter } from "./_record_checks.ts";

/** A file format the readers understand. */
export type Format = "jsonl" | "csv" | "parquet";

/**
 * The format a path's extension names.
 *
 * @example
 * ```ts
 * import { formatOf } from "./read.ts";
 * if (formatOf("logs.jsonl") !== "jsonl" || formatOf("x/ratings.CSV") !== "csv") throw new Error();
 * ```
 */
export function formatOf(path: string): Format {
  const lower = path.toLowerCase();
  if (/\.(jsonl|ndjson|json)$/.test(lower)) return "jsonl";
  if (lower.endsWith(".csv")) return "csv";
  if (/\.(parquet|pq)$/.test(lower)) return "parquet";
  throw inputError([{
    file: path,
    line: 0,
    problem: "unknown file type: expected .jsonl, .csv or .parquet",
    kind: "type",
  }]);
}

/** Fields that CSV cells carry as JSON text (arrays and objects). */
const STRUCTURED_FIELDS = new Set([
  "messages",
  "usage",
  "scores",
  "reference",
  "min_scores",
  "must_include",
  "must_not_include",
  "flags",
]);

/** Options for {@link readRecords} and {@link iterateRecords}. */
export interface ReadOptions {
  /** The file format. @default from the extension */
  format?: Format;
  /** Rename columns before validation: `{ field: column }` (the CLI's `--map field=column`). @default {} */
  map?: Record<string, string>;
  /** Fields whose values together must be unique; a repeat is reported with the line it repeats. @default [] */
  key?: readonly string[];
  /** Accept a file with no records. @default false */
  allowEmpty?: boolean;
  /** Stop keeping issues after this many (they are still counted). @default 100 */
  maxIssues?: number;
  /**
   * Turn each raw record into the schema's shape before validation (an export
   * format's adapter); it returns the value, or issues naming the record's fields.
   */
  adapt?: (
    value: unknown,
    line: number,
  ) => unknown | { issues: Omit<InputIssue, "file" | "line">[] };
  /** A check that needs the whole file (e.g. one epoch unit per file), made fresh per file. */
  fileCheck?: (file: string) => FileCheck;
  /** Called with each warning about a file (e.g. timestamps read as UTC). */
  onWarning?: (warning: string) => void;
}

/** A whole-file check: sees each mapped raw record, then says what it warns about. */
export interface FileCheck {
  /** A problem with this record given the ones before it, or undefined. */
  row(value: unknown, line: number): Omit<InputIssue, "file" | "line"> | undefined;
  /** Warnings once the file is read. */
  end(): string[];
}

/** The `{ issues }` an adapter returns for a record that does not fit its format. */
export function isAdaptFailure(
  v: unknown,
): v is { issues: Omit<InputIssue, "file" | "line">[] } {
  return typeof v === "object" && v !== null && !Array.isArray(v) &&
    Object.keys(v).length === 1 && Array.isArray((v as { issues?: unknown }).issues);
}

/** One validated record and where it came from. */
export interface Located<T> {
  line: number;
  record: T;
}

/** What reading a whole file found. */
export interface ReadResult<T> {
  records: T[];
  /** The first `maxIssues` problems, in file order. */
  issues: InputIssue[];
  /** How many problems there were in all. */
  issueCount: number;
  /** Warnings about the file (e.g. timestamps without a zone, read as UTC). */
  warnings: string[];
  /** Records read, valid or not. */
  rows: number;
}

interface RawRow {
  line: number;
  /** The file's columns (CSV header, Parquet schema), when it has them. */
  columns?: string[];
  value?: unknown;
  issue?: InputIssue;
}

async function* jsonlRows(file: string): AsyncGenerator<RawRow> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for await (const { line, bytes } of readLines(file)) {
    const body = line === 1 && hasBom(bytes) ? bytes.subarray(3) : bytes;
    const bad = firstInvalidUtf8(body);
    if (bad >= 0) {
      yield {
        line,
        issue: {
          file,
          line,
          problem: `invalid UTF-8 (byte 0x${body[bad].toString(16)} at column ${bad + 1})`,
          kind: "syntax",
        },
      };
      continue;
    }
    const text = decoder.decode(body);
    if (text.trim() === "") continue;
    try {
      yield { line, value: JSON.parse(text) };
    } catch (e) {
      const detail = (e as Error).message.replace(/^JSON\.parse: /, "")
        .replace(
          / in JSON at position (\d+)(?: \(line \d+ column \d+\))?/,
          (_, p) => ` at column ${Number(p) + 1}`,
        );
      yield { line, issue: { file, line, problem: `malformed JSON: ${detail}`, kind: "syntax" } };
    }
  }
}

/** A file's bytes going into the CSV parser; `failed` holds the first encoding problem. */
interface CsvFeed {
  /** Settles when the file is read (or feeding stopped at a problem). */
  done: Promise<void>;
  failed: { row?: RawRow };
}

/**
 * Feed a file's bytes to a CSV parser, checking UTF-8 on the way: the first
 * invalid byte stops the feed and is kept, with its line, in `failed`.
 */
function feedCsv(file: string, parser: Parser): CsvFeed {
  const failed: { row?: RawRow } = {};
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const done = (async () => {
    using f = await Deno.open(file, { read: true });
    let linesBefore = 0;
    for await (const chunk of f.readable) {
      const bad = firstInvalidUtf8(chunk);
      // A multi-byte character split across chunks is not an error: only flag
      // bytes that cannot start or continue a sequence before the last 3 bytes.
      if (bad >= 0 && bad < chunk.length - 3) {
        const line = linesBefore + countNewlines(chunk, bad) + 1;
        failed.row = {
          line,
          issue: {
            file,
            line,
            problem: `invalid UTF-8 (byte 0x${chunk[bad].toString(16)})`,
            kind: "syntax",
          },
        };
        break;
      }
      linesBefore += countNewlines(chunk);
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        const line = linesBefore;
        failed.row = { line, issue: { file, line, problem: "invalid UTF-8", kind: "syntax" } };
        break;
      }
      if (!parser.write(text)) await new Promise((r) => parser.once("drain", r));
    }
    parser.end();
  })();
  done.catch(() => {});
  return { done, failed };
}

/**
 * A CSV row as a record: cells by header name (a repeated name keeps its last
 * cell), empty cells left out, and the cells of structured fields that hold a JSON
 * array or object parsed (kept as text when they do not parse).
 *
 * @example
 * ```ts
 * import { csvValue } from "./read.ts";
 * const v = csvValue(["id", "flags", "note"], ["a", '["x"]', ""]);
 * if (JSON.stringify(v) !== '{"id":"a","flags":["x"]}') throw new Error(JSON.stringify(v));
 * ```
 */
export function csvValue(
  header: readonly string[],
  fields: readonly string[],
): Record<string, unknown> {
  const record: Record<string, string> = {};
  header.forEach((h, i) => (record[h] = fields[i]));
  const value: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    if (v === "" || v === undefined) continue;
    if (STRUCTURED_FIELDS.has(k) && /^\s*[[{]/.test(v)) {
      try {
        value[k] = JSON.parse(v);
      } catch {
        value[k] = v;
      }
    } else value[k] = v;
  }
  return value;
}

async function* csvRows(file: string): AsyncGenerator<RawRow> {
  // Loaded on the first CSV file: a JSONL-only command does not pay for it at start-up.
  const { parse: csvParse } = await import("csv-parse");
  const parser = csvParse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
  });
  const feed = feedCsv(file, parser);
  let header: string[] | undefined;
  try {
    for await (
      const { record: fields, info } of parser as AsyncIterable<
        { record: string[]; info: { lines: number } }
      >
    ) {
      const line = info.lines;
      if (!header) {
        header = fields.map((h) => h.trim());
        continue;
      }
      if (fields.length !== header.length) {
        yield {
          line,
          issue: {
            file,
            line,
            problem:
              `wrong number of fields: got ${fields.length}, the header has ${header.length}`,
            kind: "syntax",
          },
        };
        continue;
      }
      yield { line, value: csvValue(header, fields), columns: header };
    }
  } catch (e) {
    if (feed.failed.row) {
      yield feed.failed.row;
      return;
    }
    const err = e as Error & { lines?: number };
    const line = err.lines ?? 0;
    yield {
      line,
      issue: { file, line, problem: `malformed CSV: ${err.message}`, kind: "syntax" },
    };
    return;
  }
  await feed.done;
  if (feed.failed.row) yield feed.failed.row;
}

async function* parquetRows(file: string): AsyncGenerator<RawRow> {
  const db = await openDuckDB();
  try {
    let result;
    try {
      result = await db.conn.stream(`SELECT * FROM ${readFunction(file, "parquet")}`);
    } catch (e) {
      const problem = `not a readable Parquet file: ${(e as Error).message.split("\n")[0]}`;
      yield { line: 0, issue: { file, line: 0, problem, kind: "syntax" } };
      return;
    }
    let line = 0;
    for await (const chunk of result.yieldRowObjectJson()) {
      for (const row of chunk) {
        line++;
        const value: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(row)) if (v !== null) value[k] = v;
        yield { line, value, columns: Object.keys(row) };
      }
    }
  } finally {
    db.close();
  }
}

/** Rename columns: `{ field: column }` (the CLI's `--map`); the column's old name goes. */
export function applyMap(value: unknown, map: Record<string, string>): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const entries = Object.entries(map);
  if (entries.length === 0) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [field, column] of entries) {
    if (column in out) {
      out[field] = out[column];
      if (column !== field) delete out[column];
    }
  }
  return out;
}

/** The file's size, or null when it is missing or a folder (the problem reported). */
async function statInput(
  file: string,
  onIssue: (issue: InputIssue) => void,
): Promise<Deno.FileInfo | null> {
  let stat: Deno.FileInfo;
  try {
    stat = await Deno.stat(file);
  } catch (e) {
    onIssue({
      file,
      line: 0,
      problem: e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message,
      kind: "type",
    });
    return null;
  }
  if (stat.isDirectory) {
    onIssue({ file, line: 0, problem: "is a directory, not a file", kind: "type" });
    return null;
  }
  return stat;
}

/** The raw rows of a file in its format. */
function rawRows(file: string, format: Format): AsyncGenerator<RawRow> {
  return format === "jsonl"
    ? jsonlRows(file)
    : format === "csv"
    ? csvRows(file)
    : parquetRows(file);
}

/**
 * A raw row made ready for the schema: adapted from its export format, renamed by
 * `--map` and passed by the whole-file check; null when it has a problem (reported).
 */
function preparedValue(
  row: RawRow,
  at: { file: string; unit: "line" | "row" },
  options: ReadOptions & { onIssue: (issue: InputIssue) => void },
  checks: RecordChecks,
): { value: unknown } | null {
  if (row.issue) {
    options.onIssue(row.issue);
    return null;
  }
  const { file, unit } = at;
  let raw = row.value;
  if (options.adapt) {
    const adapted = options.adapt(raw, row.line);
    if (isAdaptFailure(adapted)) {
      for (const i of adapted.issues) options.onIssue({ ...i, file, line: row.line, unit });
      return null;
    }
    raw = adapted;
  }
  const value = applyMap(raw, options.map ?? {});
  const fileIssue = checks.raw(value, row.line);
  if (fileIssue) {
    options.onIssue({ ...fileIssue, file, line: row.line, unit });
    return null;
  }
  return { value };
}

/**
 * Stream a file's valid records with their line numbers; problems go to `onIssue`.
 * Memory stays bounded by one line (JSONL), one CSV chunk, or one DuckDB chunk.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * import { iterateRecords } from "./read.ts";
 * const file = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(file, '{"id":"a"}\n{"id":7}\n');
 * const bad: number[] = [];
 * for await (const r of iterateRecords(file, z.object({ id: z.string() }), { onIssue: (i) => bad.push(i.line) })) {
 *   if (r.record.id !== "a") throw new Error();
 * }
 * if (bad[0] !== 2) throw new Error(String(bad));
 * await Deno.remove(file);
 * ```
 */
export async function* iterateRecords<S extends z.ZodType>(
  file: string,
  schema: S,
  options: ReadOptions & { onIssue: (issue: InputIssue) => void },
): AsyncGenerator<Located<z.infer<S>>> {
  const format = options.format ?? formatOf(file);
  const unit = format === "parquet" ? "row" : "line";
  const stat = await statInput(file, options.onIssue);
  if (!stat) return;
  const source = rawRows(file, format);
  let rows = 0;
  const checks = recordChecks(file, { key: options.key, fileCheck: options.fileCheck, unit });
  const schemaIssues = schemaIssueReporter(options.map ?? {}, options.onIssue);
  for await (const row of source) {
    rows++;
    const prepared = preparedValue(row, { file, unit }, options, checks);
    if (!prepared) continue;
    const { value } = prepared;
    schemaIssues.columns(row.columns);
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      schemaIssues.report(zodIssues(parsed.error, value, file, row.line, unit));
      continue;
    }
    const repeat = checks.repeat(parsed.data as Record<string, unknown>, row.line);
    if (repeat) {
      options.onIssue({ file, line: row.line, unit, ...repeat });
      continue;
    }
    yield { line: row.line, record: parsed.data };
  }
  for (const w of checks.end()) options.onWarning?.(w);
  if (rows === 0 && !options.allowEmpty) {
    options.onIssue({
      file,
      line: 0,
      problem: stat.size === 0 ? "file is empty" : "no records",
      kind: "syntax",
    });
  }
}

/**
 * Read every record of a file and every problem with it, without throwing for bad input.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * import { collectRecords } from "./read.ts";
 * const file = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(file, '{"id":"a"}\n{"id":7}\n');
 * const read = await collectRecords(file, z.object({ id: z.string() }));
 * if (read.records.length !== 1 || read.issues.length !== 1) throw new Error();
 * await Deno.remove(file);
 * ```
 */
export async function collectRecords<S extends z.ZodType>(
  file: string,
  schema: S,
  options: ReadOptions = {},
): Promise<ReadResult<z.infer<S>>> {
  const maxIssues = options.maxIssues ?? 100;
  const issues: InputIssue[] = [];
  let issueCount = 0;
  const records: z.infer<S>[] = [];
  let rows = 0;
  const onIssue = (issue: InputIssue) => {
    issueCount++;
    if (issues.length < maxIssues) issues.push(issue);
  };
  const warnings: string[] = [];
  const onWarning = (w: string) => {
    warnings.push(w);
    options.onWarning?.(w);
  };
  for await (
    const { record } of iterateRecords(file, schema, { ...options, onIssue, onWarning })
  ) {
    records.push(record);
    rows++;
  }
  return { records, issues, issueCount, rows: rows + issueCount, warnings };
}

/**
 * Read and validate every record of a JSONL, CSV or Parquet file.
 *
 * @param file The file's path.
 * @param schema The zod schema each record must satisfy.
 * @param options Format, column map, key fields, empty-file policy.
 * @returns The records, in file order.
 * @throws {SyntaxError} Unparseable text (malformed JSON or CSV, invalid UTF-8, an empty file).
 * @throws {TypeError} A record of the wrong shape, or a repeated key; the message names file, line and field.
 *
 * @example Read a JSONL file
 * ```ts
 * import { readRecords, HumanRating } from "./../mod.ts";
 * const file = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(file, JSON.stringify({ item_id: "q1", rater: "ana", correctness: 4,
 *   relevance: 5, clarity: 4, calibration: 3, length: 5 }) + "\n");
 * const ratings = await readRecords(file, HumanRating);
 * if (ratings[0].correctness !== 4) throw new Error("unexpected");
 * ```
 */
export async function readRecords<S extends z.ZodType>(
  file: string,
  schema: S,
  options: ReadOptions = {},
): Promise<z.infer<S>[]> {
  const result = await collectRecords(file, schema, options);
  if (result.issues.length > 0) throw inputError(result.issues);
  return result.records;
}
