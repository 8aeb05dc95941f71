/**
 * The shapes every export-format adapter shares.
 *
 * @module
 */
import type { Message } from "../../schemas.ts";

/** The log formats `sample --format` and `validate --kind logs --format` read. */
export type LogFormat =
  | "evalkit"
  | "openai-chat"
  | "langsmith"
  | "langfuse"
  | "otel-genai"
  | "openinference";

/** Every `--format` value for logs (`auto` decides per file). */
export const LOG_FORMATS: readonly (LogFormat | "auto")[] = [
  "evalkit",
  "openai-chat",
  "langsmith",
  "langfuse",
  "otel-genai",
  "openinference",
  "auto",
];

/**
 * A log record in evalkit's own shape (README "Prod logs"), as an adapter
 * makes it: the fields of the prod-log schema plus dotted columns for
 * metadata, tags and attributes (`metadata.topic`, `tags`, `attributes.app.tier`)
 * that `--strata` and `--map` can name.
 */
export interface CanonicalLog {
  id: string;
  ts: unknown;
  query?: string;
  messages?: Message[] | unknown[];
  response?: string | null;
  model?: string;
  feedback?: unknown;
  conversation_id?: string;
  user_id?: string;
  [column: string]: unknown;
}

/** A problem with one raw record, naming the export's own field. */
export interface AdaptIssue {
  field: string;
  problem: string;
  kind: "type" | "range" | "syntax";
}

/** What one raw value (a line, or a document) of an export holds. */
export interface Adapted {
  /** The log records it holds; `where` prefixes a field path inside the value (`data.3`). */
  records: { record: CanonicalLog; where: string }[];
  /** Records that are not prod queries (a child run, a tool span), with why. */
  skipped: string[];
  /** Problems; a value with problems gives no records. */
  issues: AdaptIssue[];
  /** Feedback names seen but not read as the user's feedback (for one warning). */
  ignoredFeedback?: string[];
}

/** Options every adapter takes. */
export interface AdaptOptions {
  /** The feedback/score/annotation name that holds the user's feedback. */
  feedbackKey?: string;
}

/** One export format: how to recognise a raw value and turn it into log records. */
export interface FormatAdapter {
  name: Exclude<LogFormat, "evalkit">;
  /** Where the format is documented (shown in help and in the fixtures' README). */
  documented: string;
  /** Does this raw value (the first record of a file) look like this format? */
  detect(value: unknown): boolean;
  adapt(value: unknown, options: AdaptOptions): Adapted;
}
