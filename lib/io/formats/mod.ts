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
import { KINDS, type ProdLogRecord, prodLogRecordSchema } from "../../schemas.ts";
import { applyMap } from "../read.ts";
import { type RecordChecks, recordChecks } from "../_record_checks.ts";
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

/** Skipped records and feedback names not read, gathered over a file. */
interface ExportNotes {
  skipped: Map<string, number>;
  ignored: Set<string>;
}

/** What to tell about a file read: records skipped by reason, feedback names not read. */
function exportWarnings(file: string, notes: ExportNotes): string[] {
  const warnings: string[] = [];
  for (const [why, n] of notes.skipped) {
    warnings.push(`${file}: ${n} record${n === 1 ? "" : "s"} skipped: ${why}`);
  }
  if (notes.ignored.size > 0) {
    warnings.push(
      `${file}: feedback named ${
        [...notes.ignored].map((n) => `"${n}"`).join(", ")
      } not read as the user's feedback (pass --feedback-key NAME to read one)`,
    );
  }
  return warnings;
}

/** Where the records of one export file go as they are checked. */
interface ExportSink {
  issues: InputIssue[];
  canonical: Record<string, unknown>[];
  records: ProdLogRecord[];
}

/**
 * Check the records an adapter made of one raw value: `--map`, the logs' whole-file
 * and repeated-id checks ({@link recordChecks}, as for evalkit's own logs) and the
 * prod-log schema; the valid ones go to the sink.
 */
function checkAdapted(
  adapted: { record: Record<string, unknown>; where?: string }[],
  at: { file: string; line: number },
  context: {
    map: Record<string, string>;
    schema: ReturnType<typeof prodLogRecordSchema>;
    checks: RecordChecks;
  },
  sink: ExportSink,
): void {
  const { file, line } = at;
  for (const { record, where } of adapted) {
    const m = applyMap(record, context.map) as Record<string, unknown>;
    const tsIssue = context.checks.raw(m, line);
    const parsed = context.schema.safeParse(m);
    const prefix = where ? `${where}: ` : "";
    if (tsIssue) sink.issues.push({ ...tsIssue, file, line });
    if (!parsed.success) {
      for (const i of zodIssues(parsed.error, m, file, line)) {
        sink.issues.push({ ...i, problem: prefix + i.problem });
      }
      continue;
    }
    const repeat = context.checks.repeat(parsed.data, line);
    if (repeat) {
      sink.issues.push({
        file,
        line,
        field: repeat.field,
        problem: prefix + repeat.problem,
        kind: repeat.kind,
      });
      continue;
    }
    sink.records.push(parsed.data);
    sink.canonical.push({ ...m, ts: parsed.data.ts, feedback: parsed.data.feedback ?? null });
  }
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
  const first = values.find((v) => v.value !== undefined)?.value;
  const adapter = options.format === "auto"
    ? detectFormat(first)
    : ADAPTERS.find((a) => a.name === options.format);
  if (!adapter) {
    return { format: "evalkit", canonical: [], records: [], issues: [], warnings: [] };
  }
  const context = {
    map: options.map ?? {},
    schema: prodLogRecordSchema({ feedbackDownBelow: options.feedbackDownBelow }),
    checks: recordChecks(file, { key: KINDS.logs.key, fileCheck: KINDS.logs.fileCheck }),
  };
  const sink: ExportSink = { issues: [], canonical: [], records: [] };
  const issues = sink.issues;
  const notes: ExportNotes = { skipped: new Map(), ignored: new Set() };
  for (const { line, value, problem } of values) {
    if (problem) {
      issues.push({ file, line, problem, kind: "syntax" });
      continue;
    }
    const a = adapter.adapt(value, { feedbackKey: options.feedbackKey });
    for (const s of a.skipped) notes.skipped.set(s, (notes.skipped.get(s) ?? 0) + 1);
    for (const n of a.ignoredFeedback ?? []) notes.ignored.add(n);
    for (const i of a.issues) {
      issues.push({ file, line, field: i.field || undefined, problem: i.problem, kind: i.kind });
    }
    checkAdapted(a.records, { file, line }, context, sink);
  }
  const warnings = [...context.checks.end(), ...exportWarnings(file, notes)];
  if (values.length === 0) issues.push({ file, line: 0, problem: "file is empty", kind: "syntax" });
  else if (sink.records.length === 0 && issues.length === 0) {
    issues.push({
      file,
      line: 0,
      problem: `no ${adapter.name} records that are prod queries`,
      kind: "type",
    });
  }
  return {
    format: adapter.name,
    canonical: sink.canonical,
    records: sink.records,
    issues,
    warnings,
  };
}
