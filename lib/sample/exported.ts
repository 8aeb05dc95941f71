/**
 * Sampling from an export format: the files are read by their adapter
 * (lib/io/formats), every record checked, and written once in evalkit's own
 * log shape (dotted columns for metadata, tags, attributes) to a temporary
 * JSONL file the sampler reads. The eval set still names the original files.
 *
 * @module
 */
import { inputError, type InputIssue } from "../_errors.ts";
import { type LogFormat, readExportLogs } from "../io/formats/mod.ts";
import { toJsonl } from "../io/write.ts";
import { expandGlobs } from "./sample.ts";

/** Export files written in evalkit's shape: where, and what to say about them. */
export interface CanonicalLogs {
  /** The temporary file (remove `dir` when done). */
  file: string;
  dir: string;
  /** The format of each original file. */
  formats: Record<string, LogFormat>;
  /** The original files, after glob expansion. */
  originals: string[];
  warnings: string[];
}

/**
 * Read export files into one temporary evalkit-shaped JSONL, or undefined when
 * every file is in evalkit's own shape (`evalkit`, or `auto` finding it).
 *
 * @throws {TypeError} A record that does not fit its format: `file:line: field: problem`.
 */
export async function canonicalLogs(
  patterns: readonly string[],
  options: {
    format: LogFormat | "auto";
    map?: Record<string, string>;
    feedbackKey?: string;
    feedbackDownBelow?: number;
  },
): Promise<CanonicalLogs | undefined> {
  if (options.format === "evalkit") return undefined;
  const originals = await expandGlobs(patterns);
  const issues: InputIssue[] = [];
  const rows: Record<string, unknown>[] = [];
  const formats: Record<string, LogFormat> = {};
  const warnings: string[] = [];
  for (const file of originals) {
    let read;
    try {
      read = await readExportLogs(file, options);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      issues.push({ file, line: 0, problem: "no such file", kind: "type" });
      continue;
    }
    formats[file] = read.format;
    if (read.format === "evalkit") continue;
    issues.push(...read.issues);
    rows.push(...read.canonical);
    warnings.push(`${file}: read as ${read.format}`, ...read.warnings);
  }
  if (issues.length > 0) throw inputError(issues);
  const kinds = new Set(Object.values(formats));
  if (kinds.size === 1 && kinds.has("evalkit")) return undefined;
  if (kinds.has("evalkit")) {
    throw inputError(
      originals.filter((f) => formats[f] === "evalkit").map((file) => ({
        file,
        line: 1,
        problem:
          "is in evalkit's own log shape while other files are exports: sample them separately or pass --format",
        kind: "type" as const,
      })),
    );
  }
  const dir = await Deno.makeTempDir({ prefix: "evalkit-logs-" });
  const file = `${dir}/logs.jsonl`;
  await Deno.writeTextFile(file, toJsonl(rows));
  return { file, dir, formats, originals, warnings };
}
