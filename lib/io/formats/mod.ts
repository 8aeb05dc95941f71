/**
 * Prod logs as the tools teams already use export them, read into evalkit's
 * own log shape: `openai-chat`, `langsmith`, `langfuse`, `otel-genai`,
 * `openinference`, or `auto` (decided from a file's first record). Each
 * adapter names the documentation it follows.
 *
 * A file is JSON Lines (one record, span export request or API page per
 * line) or one JSON document (a pretty-printed OTLP export, a saved API
 * page, a list). Every record is then checked by the prod-log schema, with
 * problems as `file:line: field: problem`.
 *
 * @module
 */
import { type InputIssue, zodIssues } from "../../_errors.ts";
import { type ProdLogRecord, prodLogRecordSchema } from "../../schemas.ts";
import { timestampCheck } from "../log_fields.ts";
import { applyMap } from "../read.ts";
import { langfuse } from "./langfuse.ts";
import { langsmith } from "./langsmith.ts";
import { openaiChat } from "./openai_chat.ts";
import { openinference } from "./openinference.ts";
import { otelGenAi } from "./otel_genai.ts";
import type { FormatAdapter, LogFormat } from "./types.ts";

export type { CanonicalLog, FormatAdapter, LogFormat } from "./types.ts";
export { LOG_FORMATS } from "./types.ts";

/** The export adapters, in the order `auto` tries them (most specific first). */
export const ADAPTERS: readonly FormatAdapter[] = [
  openinference,
  otelGenAi,
  langsmith,
  langfuse,
  openaiChat,
];

/** The adapter that recognises a raw record, or undefined (evalkit's own shape or unknown). */
export function detectFormat(value: unknown): FormatAdapter | undefined {
  return ADAPTERS.find((a) => a.detect(value));
}

/** Raw values of a file (read once): its JSON lines, or the whole file as one JSON document. */
async function rawValues(
  file: string,
): Promise<{ line: number; value?: unknown; problem?: string }[]> {
  const text = (await Deno.readTextFile(file)).replace(/^\uFEFF/, "");
  const out: { line: number; value?: unknown; problem?: string }[] = [];
  text.split(/\r?\n/).forEach((t, i) => {
    if (t.trim() === "") return;
    try {
      out.push({ line: i + 1, value: JSON.parse(t) });
    } catch (e) {
      out.push({ line: i + 1, problem: `malformed JSON: ${(e as Error).message}` });
    }
  });
  if (out[0]?.problem) {
    try {
      return [{ line: 1, value: JSON.parse(text) }];
    } catch {
      // Not one document either: the line problems stand.
    }
  }
  return out;
}

/** Options for {@link readExportLogs}. */
export interface ExportReadOptions {
  format: LogFormat | "auto";
  map?: Record<string, string>;
  feedbackKey?: string;
  feedbackDownBelow?: number;
}

/** What reading one export file found. */
export interface ExportRead {
  /** The format used (with `auto`: the one detected). */
  format: LogFormat;
  /** Each valid record in evalkit's shape, with its dotted columns, after `--map`. */
  canonical: Record<string, unknown>[];
  records: ProdLogRecord[];
  issues: InputIssue[];
  warnings: string[];
}

/**
 * Read one export file into evalkit's log shape, checking every record.
 *
 * @example
 * ```ts
 * import { readExportLogs } from "./mod.ts";
 * const file = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(file, JSON.stringify({ id: "r1", run_type: "chain", start_time: "2026-06-01T10:00:00",
 *   inputs: { question: "How do I void an invoice?" }, outputs: { answer: "Open it and choose Void." } }) + "\n");
 * const read = await readExportLogs(file, { format: "auto" });
 * if (read.format !== "langsmith" || read.records[0].query !== "How do I void an invoice?") throw new Error();
 * ```
 */
export async function readExportLogs(
  file: string,
  options: ExportReadOptions,
): Promise<ExportRead> {
  const values = await rawValues(file);
  const issues: InputIssue[] = [];
  const first = values.find((v) => v.value !== undefined)?.value;
  const adapter = options.format === "auto"
    ? detectFormat(first)
    : ADAPTERS.find((a) => a.name === options.format);
  if (!adapter) {
    return { format: "evalkit", canonical: [], records: [], issues, warnings: [] };
  }
  const schema = prodLogRecordSchema({ feedbackDownBelow: options.feedbackDownBelow });
  const check = timestampCheck(file);
  const seen = new Map<string, number>();
  const skipped = new Map<string, number>();
  const ignored = new Set<string>();
  const canonical: Record<string, unknown>[] = [];
  const records: ProdLogRecord[] = [];
  for (const { line, value, problem } of values) {
    if (problem) {
      issues.push({ file, line, problem, kind: "syntax" });
      continue;
    }
    const a = adapter.adapt(value, { feedbackKey: options.feedbackKey });
    for (const s of a.skipped) skipped.set(s, (skipped.get(s) ?? 0) + 1);
    for (const n of a.ignoredFeedback ?? []) ignored.add(n);
    for (const i of a.issues) {
      issues.push({ file, line, field: i.field || undefined, problem: i.problem, kind: i.kind });
    }
    for (const { record, where } of a.records) {
      const m = applyMap(record, options.map ?? {}) as Record<string, unknown>;
      const tsIssue = check.row(m, line);
      const parsed = schema.safeParse(m);
      const prefix = where ? `${where}: ` : "";
      if (tsIssue) issues.push({ ...tsIssue, file, line });
      if (!parsed.success) {
        for (const i of zodIssues(parsed.error, m, file, line)) {
          issues.push({ ...i, problem: prefix + i.problem });
        }
        continue;
      }
      const before = seen.get(parsed.data.id);
      if (before !== undefined) {
        issues.push({
          file,
          line,
          field: "id",
          problem: `${prefix}duplicate value ${
            JSON.stringify(parsed.data.id)
          } (first on line ${before})`,
          kind: "type",
        });
        continue;
      }
      seen.set(parsed.data.id, line);
      records.push(parsed.data);
      canonical.push({ ...m, ts: parsed.data.ts, feedback: parsed.data.feedback ?? null });
    }
  }
  const warnings = [...check.end()];
  for (const [why, n] of skipped) {
    warnings.push(`${file}: ${n} record${n === 1 ? "" : "s"} skipped: ${why}`);
  }
  if (ignored.size > 0) {
    warnings.push(
      `${file}: feedback named ${
        [...ignored].map((n) => `"${n}"`).join(", ")
      } not read as the user's feedback (pass --feedback-key NAME to read one)`,
    );
  }
  if (values.length === 0) issues.push({ file, line: 0, problem: "file is empty", kind: "syntax" });
  else if (records.length === 0 && issues.length === 0) {
    issues.push({
      file,
      line: 0,
      problem: `no ${adapter.name} records that are prod queries`,
      kind: "type",
    });
  }
  return { format: adapter.name, canonical, records, issues, warnings };
}
