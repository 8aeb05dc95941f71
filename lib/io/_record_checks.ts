/**
 * The record checks every reader of a file shares beyond the schema: a key
 * repeated across records, the whole-file check (e.g. one epoch unit per file),
 * and a field missing because its column is absent, said once per column.
 * {@link iterateRecords} and `readExportLogs` both check records through these.
 *
 * @module
 */
import type { InputIssue } from "../_errors.ts";
import type { FileCheck } from "./read.ts";

/** A problem without its place, which the caller adds. */
export type RecordProblem = Omit<InputIssue, "file" | "line">;

/** Options for {@link recordChecks}. */
export interface RecordChecksOptions {
  /** Fields whose values together must be unique. @default [] */
  key?: readonly string[];
  /** The whole-file check, made fresh for this file. @default none */
  fileCheck?: (file: string) => FileCheck;
  /** What a place in the file is called in messages. @default "line" */
  unit?: "line" | "row";
}

/** The checks of one file's records that need the records before them. */
export interface RecordChecks {
  /** The whole-file check's problem with a raw record (after `--map`), or undefined. */
  raw(value: unknown, line: number): RecordProblem | undefined;
  /**
   * A valid record whose key an earlier record had: the problem, naming where the
   * first was; else undefined, and the key is remembered.
   */
  repeat(
    record: Record<string, unknown>,
    line: number,
  ): { field: string; problem: string; kind: "type" } | undefined;
  /** The whole-file check's warnings, once the file is read. */
  end(): string[];
}

/**
 * The checks of one file's records: a repeated key and the whole-file check.
 *
 * @param file The file (for the whole-file check).
 * @example
 * ```ts
 * import { recordChecks } from "./_record_checks.ts";
 * const checks = recordChecks("logs.jsonl", { key: ["id"] });
 * if (checks.repeat({ id: "a" }, 1) !== undefined) throw new Error();
 * if (checks.repeat({ id: "a" }, 4)?.problem !== 'duplicate value "a" (first on line 1)') throw new Error();
 * ```
 */
export function recordChecks(file: string, options: RecordChecksOptions = {}): RecordChecks {
  const key = options.key ?? [];
  const unit = options.unit ?? "line";
  const check = options.fileCheck?.(file);
  const seen = new Map<string, number>();
  return {
    raw: (value, line) => check?.row(value, line),
    repeat(record, line) {
      if (key.length === 0) return undefined;
      const k = key.map((f) => String(record[f])).join("\u0000");
      const first = seen.get(k);
      if (first === undefined) {
        seen.set(k, line);
        return undefined;
      }
      return {
        field: key.join(","),
        problem: `duplicate ${key.length > 1 ? "values" : "value"} ${
          key.map((f) => JSON.stringify(String(record[f]))).join(", ")
        } (first on ${unit} ${first})`,
        kind: "type",
      };
    },
    end: () => check?.end() ?? [],
  };
}

/** Reports a record's schema problems, given the file's columns and the `--map`. */
export interface SchemaIssueReporter {
  /** The columns of the file (CSV header, Parquet schema), from its first row that has them. */
  columns(columns: readonly string[] | undefined): void;
  /** Report a record's schema problems. */
  report(issues: readonly InputIssue[]): void;
}

/**
 * Report schema problems the way a person reads them: a field missing because
 * the file has no such column is one problem on line 1 (`missing column`,
 * named by the column `--map` reads it from), not one per row; a field read from
 * a renamed column names that column too.
 *
 * @param map The `--map`: `{ field: column }`.
 * @param onIssue Where the problems go.
 * @example
 * ```ts
 * import type { InputIssue } from "../_errors.ts";
 * import { schemaIssueReporter } from "./_record_checks.ts";
 * const seen: InputIssue[] = [];
 * const reporter = schemaIssueReporter({ query: "question" }, (i) => seen.push(i));
 * reporter.columns(["id", "question"]);
 * for (const line of [2, 3]) {
 *   reporter.report([{ file: "f.csv", line, field: "ts", problem: "missing", kind: "type" }]);
 * }
 * if (seen.length !== 1 || seen[0].line !== 1 || seen[0].problem !== "missing column") throw new Error();
 * ```
 */
export function schemaIssueReporter(
  map: Record<string, string>,
  onIssue: (issue: InputIssue) => void,
): SchemaIssueReporter {
  const columnOf = new Map(Object.entries(map));
  const fieldOf = new Map(Object.entries(map).map(([f, c]) => [c, f]));
  const missingColumns = new Set<string>();
  let fields: Set<string> | undefined;
  return {
    columns(columns) {
      if (!fields && columns) fields = new Set(columns.map((c) => fieldOf.get(c) ?? c));
    },
    report(issues) {
      for (const issue of issues) {
        if (
          fields && issue.problem === "missing" && issue.field && !issue.field.includes(".") &&
          !fields.has(issue.field)
        ) {
          // A column absent from the header is one problem, not one per row.
          if (missingColumns.has(issue.field)) continue;
          missingColumns.add(issue.field);
          const column = columnOf.get(issue.field) ?? issue.field;
          onIssue({ ...issue, line: 1, field: column, problem: "missing column" });
          continue;
        }
        const head = issue.field?.split(".")[0];
        const column = head === undefined ? undefined : columnOf.get(head);
        onIssue(
          column && column !== head
            ? { ...issue, field: `${issue.field} (column "${column}")` }
            : issue,
        );
      }
    },
  };
}
