/**
 * Prod-log fields as real systems write them, turned into one canonical shape
 * at the reader: timestamps (ISO 8601 with or without zone, SQL-style, epoch
 * seconds or milliseconds) become an ISO 8601 string with a zone; feedback in
 * its many spellings becomes `"up"`, `"down"` or `null`.
 *
 * @module
 */

/** How a timestamp was written. `naive` has no zone and is read as UTC. */
export type TimestampKind = "zoned" | "naive" | "epoch_s" | "epoch_ms";

/** A parsed timestamp: the canonical ISO 8601 text and how it was written. */
export type ParsedTimestamp = { ok: true; iso: string; kind: TimestampKind } | {
  ok: false;
  problem: string;
};

const ISO =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const NUMERIC = /^-?\d+(\.\d+)?$/;

/**
 * Epoch values at or above this magnitude are milliseconds, below it seconds:
 * 1e11 s is the year 5138, 1e11 ms is 1973-03-03.
 */
export const EPOCH_MS_FROM = 1e11;

function epoch(n: number): ParsedTimestamp {
  const ms = Math.abs(n) >= EPOCH_MS_FROM;
  const d = new Date(ms ? n : n * 1000);
  if (Number.isNaN(d.getTime())) return { ok: false, problem: `epoch ${n} is out of range` };
  return { ok: true, iso: d.toISOString(), kind: ms ? "epoch_ms" : "epoch_s" };
}

function zone(z: string): string {
  if (z === "Z" || z === "z") return "Z";
  const digits = z.slice(1).replace(":", "");
  return `${z[0]}${digits.slice(0, 2)}:${digits.slice(2) || "00"}`;
}

/**
 * Parse a timestamp as exported: ISO 8601 with zone (kept), without zone (read
 * as UTC), `YYYY-MM-DD HH:MM:SS[.ffffff]`, a date, or epoch seconds or
 * milliseconds as a number or a numeric string (decided by magnitude, see
 * {@link EPOCH_MS_FROM}). Fractional seconds keep all their digits.
 *
 * @example
 * ```ts
 * import { parseTimestamp } from "./log_fields.ts";
 * const t = parseTimestamp("2026-06-01 10:00:00.123456");
 * if (!t.ok || t.iso !== "2026-06-01T10:00:00.123456Z" || t.kind !== "naive") throw new Error();
 * ```
 */
export function parseTimestamp(value: unknown): ParsedTimestamp {
  if (typeof value === "number") {
    return Number.isFinite(value) ? epoch(value) : { ok: false, problem: "not a finite number" };
  }
  if (typeof value !== "string") {
    return { ok: false, problem: `expected a timestamp, received ${typeName(value)}` };
  }
  const s = value.trim();
  if (NUMERIC.test(s)) return epoch(Number(s));
  const m = ISO.exec(s);
  const bad = {
    ok: false as const,
    problem: `expected an ISO 8601 timestamp or epoch seconds or milliseconds, received ${
      JSON.stringify(value)
    }`,
  };
  if (!m) return bad;
  const [, date, time, z] = m;
  const iso = time === undefined
    ? `${date}T00:00:00Z`
    : `${date}T${time.length === 5 ? time + ":00" : time}${z ? zone(z) : "Z"}`;
  if (Number.isNaN(Date.parse(iso))) return bad;
  return { ok: true, iso, kind: z ? "zoned" : "naive" };
}

function typeName(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

/** Options for {@link parseFeedback}. */
export interface FeedbackOptions {
  /** Read numeric feedback as a rating: below this is `"down"`, the rest `"up"`. */
  downBelow?: number;
}

const UP = new Set([
  "up",
  "thumbs_up",
  "thumbsup",
  "thumbs-up",
  "positive",
  "true",
  "1",
  "+1",
  "👍",
]);
const DOWN = new Set([
  "down",
  "thumbs_down",
  "thumbsdown",
  "thumbs-down",
  "negative",
  "false",
  "0",
  "-1",
  "👎",
]);

/** The words {@link parseFeedback} reads as each value (trimmed, lower-cased), for SQL that must agree. */
export const FEEDBACK_WORDS: { up: readonly string[]; down: readonly string[] } = {
  up: [...UP],
  down: [...DOWN],
};

/** The spellings {@link parseFeedback} reads, for messages and docs. */
export const FEEDBACK_SPELLINGS =
  "up/down, thumbs_up/thumbs_down, positive/negative, 1/0, 1/-1 or true/false";

/**
 * Feedback as logged, into `"up"`, `"down"` or `null` (absent or empty).
 *
 * @returns The feedback, or `{ problem }` for a value it cannot read (never silently null).
 * @example
 * ```ts
 * import { parseFeedback } from "./log_fields.ts";
 * if (parseFeedback("thumbs_down") !== "down" || parseFeedback(-1) !== "down") throw new Error();
 * if (parseFeedback(2, { downBelow: 3 }) !== "down") throw new Error();
 * ```
 */
export function parseFeedback(
  value: unknown,
  options: FeedbackOptions = {},
): "up" | "down" | null | { problem: string } {
  if (value === null || value === undefined) return null;
  if (typeof value === "boolean") return value ? "up" : "down";
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value : "";
  const s = text.trim().toLowerCase();
  if (s === "" && typeof value === "string") return null;
  if (options.downBelow !== undefined && s !== "" && Number.isFinite(Number(s))) {
    return Number(s) < options.downBelow ? "down" : "up";
  }
  if (UP.has(s)) return "up";
  if (DOWN.has(s)) return "down";
  if (s !== "" && Number.isFinite(Number(s))) {
    return {
      problem:
        `numeric rating ${s}: pass --feedback-down-below X to read ratings below X as "down"`,
    };
  }
  return { problem: `expected ${FEEDBACK_SPELLINGS}, received ${JSON.stringify(value)}` };
}

const UNIT_NAME: Record<string, string> = {
  epoch_s: "epoch seconds",
  epoch_ms: "epoch milliseconds",
};

/**
 * The whole-file timestamp check of prod logs: a file's epoch timestamps are
 * all seconds or all milliseconds (a mix is an error on the first line that
 * disagrees), and timestamps without a zone, read as UTC, are said once with
 * their count.
 */
export function timestampCheck(file: string, field = "ts") {
  let first: { kind: TimestampKind; line: number } | undefined;
  let naive = 0;
  return {
    row(value: unknown, line: number) {
      const v = typeof value === "object" && value !== null
        ? (value as Record<string, unknown>)[field]
        : undefined;
      const t = parseTimestamp(v);
      if (!t.ok) return undefined;
      if (t.kind === "naive") naive++;
      if (t.kind !== "epoch_s" && t.kind !== "epoch_ms") return undefined;
      if (!first) first = { kind: t.kind, line };
      if (first.kind === t.kind) return undefined;
      return {
        field,
        problem: `${UNIT_NAME[t.kind]} (${JSON.stringify(v)}) but line ${first.line} is in ${
          UNIT_NAME[first.kind]
        }: a file's epoch timestamps must all be seconds or all milliseconds`,
        kind: "type" as const,
      };
    },
    end(): string[] {
      return naive > 0
        ? [`${file}: ${naive} timestamp${naive === 1 ? "" : "s"} without a zone read as UTC`]
        : [];
    },
  };
}
