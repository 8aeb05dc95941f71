/**
 * Validate record files against their schema, reporting every bad line.
 *
 * @module
 */
import { type InputIssue } from "./_errors.ts";
import { collectRecords, type Format, formatOf } from "./io/read.ts";
import { type Kind, KINDS, prodLogRecordSchema } from "./schemas.ts";
import { type LogFormat, readExportLogs } from "./io/formats/mod.ts";

/** Options for {@link validateFiles}. */
export interface ValidateOptions {
  /** Column renames for prod logs: `{ field: column }`. @default {} */
  map?: Record<string, string>;
  /** Keep at most this many issues per file (all are counted). @default 100 */
  maxIssues?: number;
  /** Force a format instead of the one the extension names. */
  format?: Format;
  /** For logs: numeric feedback below this is "down", the rest "up". */
  feedbackDownBelow?: number;
  /** For logs: the export format (`auto` detects it per file). @default "evalkit" */
  logFormat?: LogFormat | "auto";
  /** For logs in an export format: the feedback/score name holding the user's feedback. */
  feedbackKey?: string;
}

/** What validating one file found. */
export interface FileReport {
  file: string;
  /** Valid records. */
  records: number;
  /** Problems in all (more than `issues` holds when the limit cut them). */
  issueCount: number;
  issues: InputIssue[];
  /** Warnings (e.g. timestamps without a zone, read as UTC). */
  warnings: string[];
}

/** What validating several files found. */
export interface ValidateReport {
  kind: Kind;
  ok: boolean;
  files: FileReport[];
}

/**
 * Check files of one record kind against its schema and key (ids must be unique).
 *
 * @param kind The record kind: logs, evalset, responses, judgments, ratings, cases or releases.
 * @param files The files to check.
 * @returns One report per file; `ok` when no file has a problem.
 *
 * @example
 * ```ts
 * import { validateFiles } from "./validate.ts";
 * const file = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(file, '{"id":"a","ts":"2026-06-01T10:00:00Z","query":"hi"}\n{"id":"b","ts":"x"}\n');
 * const report = await validateFiles("logs", [file]);
 * if (report.ok || report.files[0].issues[0].line !== 2) throw new Error("expected a problem on line 2");
 * ```
 */
export async function validateFiles(
  kind: Kind,
  files: readonly string[],
  options: ValidateOptions = {},
): Promise<ValidateReport> {
  const spec = KINDS[kind];
  const schema = kind === "logs"
    ? prodLogRecordSchema({ feedbackDownBelow: options.feedbackDownBelow })
    : spec.schema;
  const fileCheck = "fileCheck" in spec ? spec.fileCheck : undefined;
  const reports: FileReport[] = [];
  for (const file of files) {
    const exported = kind === "logs" ? await exportReport(file, options) : undefined;
    if (exported) {
      reports.push(exported);
      continue;
    }
    // The rating page appends a newer record to edit a rating (the later one wins),
    // so a ratings JSONL may repeat a key; a sheet (CSV) may not.
    const appendOnly = kind === "ratings" && (options.format ?? formatOf(file)) === "jsonl";
    const result = await collectRecords(file, schema, {
      key: appendOnly ? [] : spec.key,
      fileCheck,
      map: kind === "logs" ? options.map : undefined,
      maxIssues: options.maxIssues ?? 100,
      format: options.format,
    });
    reports.push({
      file,
      records: result.records.length,
      issueCount: result.issueCount,
      issues: result.issues,
      warnings: result.warnings,
    });
  }
  return { kind, ok: reports.every((r) => r.issueCount === 0), files: reports };
}

/** A logs file in an export format, read by its adapter; undefined for evalkit's own shape. */
async function exportReport(
  file: string,
  options: ValidateOptions,
): Promise<FileReport | undefined> {
  const format = options.logFormat ?? "evalkit";
  if (format === "evalkit") return undefined;
  let read;
  try {
    read = await readExportLogs(file, {
      format,
      map: options.map,
      feedbackKey: options.feedbackKey,
      feedbackDownBelow: options.feedbackDownBelow,
    });
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    const issue: InputIssue = { file, line: 0, problem: "no such file", kind: "type" };
    return { file, records: 0, issueCount: 1, issues: [issue], warnings: [] };
  }
  if (read.format === "evalkit") return undefined; // auto found evalkit's own shape
  const max = options.maxIssues ?? 100;
  return {
    file,
    records: read.records.length,
    issueCount: read.issues.length,
    issues: read.issues.slice(0, max),
    warnings: [`${file}: read as ${read.format}`, ...read.warnings],
  };
}
