/**
 * One error format for bad input: `Cannot read "F": line N: field "X": problem`.
 * Every reader turns its problems into {@link InputIssue}s and throws them
 * through {@link inputError}, so the CLI can report them all and exit 2.
 *
 * @module
 */
import type { z } from "zod";

/** One problem with one place in an input file. */
export interface InputIssue {
  /** The file as the user named it. */
  file: string;
  /** 1-based line (JSONL, CSV) or row (Parquet); 0 when the problem is the whole file. */
  line: number;
  /** `"line"` for text files, `"row"` for Parquet. */
  unit?: "line" | "row";
  /** The field (dotted path), when the problem is one field's. */
  field?: string;
  /** What is wrong, in sentence case, without a final period. */
  problem: string;
  /** The error class that fits: unparseable text is a SyntaxError, a wrong shape a TypeError. */
  kind: "syntax" | "type" | "range";
}

const ISSUES = Symbol.for("evalkit.inputIssues");

/** The issue's location and problem, without the file: `line 3: field "x": problem`. */
export function formatIssueTail(issue: InputIssue): string {
  const parts: string[] = [];
  if (issue.line > 0) parts.push(`${issue.unit ?? "line"} ${issue.line}`);
  if (issue.field !== undefined) parts.push(`field "${issue.field}"`);
  parts.push(issue.problem);
  return parts.join(": ");
}

/**
 * The full message of one issue: `Cannot read "F": line N: field "X": problem`.
 *
 * @example
 * ```ts
 * import { formatIssue } from "./_errors.ts";
 * const text = formatIssue({ file: "logs.jsonl", line: 3, field: "query", problem: "missing", kind: "type" });
 * if (text !== 'Cannot read "logs.jsonl": line 3: field "query": missing') throw new Error(text);
 * ```
 */
export function formatIssue(issue: InputIssue): string {
  return `Cannot read "${issue.file}": ${formatIssueTail(issue)}`;
}

/** The compact `file:line: field: problem` form that `validate` lists. */
export function formatIssueShort(issue: InputIssue): string {
  const loc = issue.line > 0 ? `${issue.file}:${issue.line}` : issue.file;
  return issue.field !== undefined
    ? `${loc}: ${issue.field}: ${issue.problem}`
    : `${loc}: ${issue.problem}`;
}

/**
 * An Error of the class that fits the first issue, whose message is that issue's
 * full message (and a count of the rest), carrying every issue for the caller.
 *
 * @example
 * ```ts
 * import { inputError } from "./_errors.ts";
 * const e = inputError([{ file: "a.csv", line: 2, problem: "bad", kind: "syntax" }]);
 * if (!(e instanceof SyntaxError) || e.message !== 'Cannot read "a.csv": line 2: bad') throw e;
 * ```
 */
export function inputError(issues: InputIssue[]): SyntaxError | TypeError | RangeError {
  if (issues.length === 0) throw new RangeError("inputError() needs at least one issue");
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problems)` : "";
  const message = formatIssue(first) + more;
  const error = first.kind === "syntax"
    ? new SyntaxError(message)
    : first.kind === "range"
    ? new RangeError(message)
    : new TypeError(message);
  Object.defineProperty(error, ISSUES, { value: issues, enumerable: false });
  return error;
}

/**
 * The issues an error from {@link inputError} carries, or `undefined` for any other error.
 *
 * @example
 * ```ts
 * import { inputError, inputIssues } from "./_errors.ts";
 * const issues = inputIssues(inputError([{ file: "a.csv", line: 2, problem: "bad", kind: "type" }]));
 * if (issues?.[0].line !== 2 || inputIssues(new Error("other")) !== undefined) throw new Error();
 * ```
 */
export function inputIssues(error: unknown): InputIssue[] | undefined {
  if (error instanceof Error && ISSUES in error) {
    return (error as unknown as Record<symbol, InputIssue[]>)[ISSUES];
  }
  return undefined;
}

/** A usage error (bad flags, bad parameters): the CLI exits 2 and prints it. */
export function usageError(message: string): RangeError {
  const error = new RangeError(message);
  Object.defineProperty(error, ISSUES, { value: [], enumerable: false });
  return error;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function unionExpectation(issue: z.core.$ZodIssue): string {
  const errors = (issue as { errors?: { expected?: string }[][] }).errors ?? [];
  const expected = [...new Set(errors.flat().map((e) => e.expected).filter(Boolean))];
  return expected.length ? expected.join(" or ") : "another value";
}

function shorten(text: string): string {
  return text.length > 40 ? text.slice(0, 37) + "..." : text;
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/**
 * A union whose value had the right type for exactly one branch (an array where
 * `string | null | array` was expected) failed inside that branch: report the
 * branch's own issues, which name the field that is wrong.
 */
function expandUnions(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((i) => {
    if (i.code !== "invalid_union") return [i];
    const branches = (i as { errors?: z.core.$ZodIssue[][] }).errors ?? [];
    const inner = branches.filter((b) =>
      b.length > 0 && b.every((e) => e.path.length > 0 || e.code !== "invalid_type")
    );
    if (inner.length !== 1) return [i];
    return expandUnions(inner[0].map((e) => ({ ...e, path: [...i.path, ...e.path] })));
  });
}

/** Turn a zod error for one record into issues at `file:line`, one per field. */
export function zodIssues(
  error: z.ZodError,
  input: unknown,
  file: string,
  line: number,
  unit: "line" | "row" = "line",
): InputIssue[] {
  return expandUnions(error.issues).map((i) => {
    const path = i.path.map(String);
    let field = path.length > 0 ? path.join(".") : undefined;
    let problem: string;
    const received = valueAt(input, i.path);
    switch (i.code) {
      case "invalid_union":
        problem = received === undefined
          ? "missing"
          : `expected ${unionExpectation(i)}, received ${describe(received)}`;
        break;
      case "invalid_type":
        problem = received === undefined
          ? "missing"
          : typeof received === "string"
          ? `expected ${i.expected}, received ${JSON.stringify(shorten(received))}`
          : `expected ${i.expected}, received ${describe(received)}`;
        break;
      case "unrecognized_keys":
        field = [...path, i.keys[0]].join(".");
        problem = `unknown field${i.keys.length > 1 ? `s ${i.keys.join(", ")}` : ""}`;
        break;
      case "invalid_value":
        problem = `expected one of ${i.values.map((v) => JSON.stringify(v)).join(", ")}, received ${
          JSON.stringify(received)
        }`;
        break;
      case "too_small":
      case "too_big":
        problem = i.message.replace(
          /^Too (small|big): expected (number|string|array) to (be|have) /,
          "expected ",
        )
          .replace(/^expected (<=?|>=?)/, "expected $1 ") +
          (typeof received === "number" || typeof received === "string"
            ? `, received ${
              typeof received === "string" && !Number.isFinite(Number(received))
                ? JSON.stringify(shorten(received))
                : received
            }`
            : "");
        break;
      default:
        problem = i.message.replace(/^Invalid input: /, "");
        if (/^expected /.test(problem) && typeof received === "string") {
          problem += `, received ${JSON.stringify(shorten(received))}`;
        }
    }
    const kind = i.code === "too_small" || i.code === "too_big" ? "range" : "type";
    return { file, line, unit, field, problem, kind } satisfies InputIssue;
  });
}
