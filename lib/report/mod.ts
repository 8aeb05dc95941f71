/**
 * The HTML report (`evalkit report --run DIR`): one self-contained page about
 * one judge run — its manifest, its score distributions, the comparison with
 * its baseline, the regression gate, judge–human agreement, the eval–prod
 * correlation, and every warning — written as a `report-<id>/report.html`
 * artifact.
 *
 * - {@link loadReport} reads the artifacts (named, or found in the runs folder);
 * - {@link buildReport} turns them into HTML (pure);
 * - {@link writeReport} does both and writes the artifact.
 *
 * @module
 */
import { writeArtifact } from "../artifacts.ts";
import { buildReport } from "./html.ts";
import {
  LINKED_SECTIONS,
  type LinkedSection,
  loadReport,
  type ReportData,
  reportInputs,
  type ReportOptions,
} from "./load.ts";

export { buildReport, REPORT_SECTIONS } from "./html.ts";
export {
  type Linked,
  LINKED_SECTIONS,
  type LinkedSection,
  loadReport,
  type ReportData,
  type ReportOptions,
  type ReportWarning,
  type RunSummary,
  SMALL_N,
} from "./load.ts";
export {
  CASE_OUTCOME_COLORS,
  type CaseOutcome,
  caseOutcome,
  type CaseTile,
  caseTiles,
  gateChart,
} from "./charts.ts";

/** Options for {@link writeReport}. */
export interface WriteReportOptions extends ReportOptions {
  /** Where the report artifact goes. @default "runs" */
  out?: string;
  /** The clock for the manifest. @default () => new Date() */
  now?: () => Date;
}

/** What {@link writeReport} wrote. */
export interface WriteReportResult {
  /** The artifact folder, `<out>/report-<id>`. */
  artifact: string;
  /** The HTML file, `<out>/report-<id>/report.html`. */
  path: string;
  /** False when an identical report already existed. */
  created: boolean;
  /** Per section: shown, or missing. */
  sections: Record<LinkedSection, "present" | "missing">;
  data: ReportData;
}

/**
 * Write the HTML report of a judge run as a `report-<id>` artifact.
 *
 * @param runDir The judge run (`runs/judge-<id>`).
 * @param options Where it goes, and which comparison, gate, agreement and correlation to
 *   show (each: a folder, `null` for none, or absent to find it in the runs folder).
 * @returns The artifact folder and the path of `report.html`.
 * @throws {TypeError} When the run or a named artifact is missing or of another kind.
 *
 * @example
 * ```ts
 * import { writeArtifact } from "../artifacts.ts";
 * const out = await Deno.makeTempDir();
 * const judgment = (item_id: string, s: number) => JSON.stringify({ item_id, judge_model: "j",
 *   prompt_sha256: "a".repeat(64), scores: { correctness: s, relevance: 4, clarity: 4,
 *   calibration: 4, length: 4 }, rationale: "r", usage: { prompt_tokens: 1, completion_tokens: 1 },
 *   status: "ok" }) + "\n";
 * const run = await writeArtifact({ kind: "judge", out, command: "judge", params: {},
 *   files: { "judgments.jsonl": judgment("q1", 2) + judgment("q2", 5) },
 *   meta: { judge_model: "j", prompt_sha256: "a".repeat(64), models: ["m"] } });
 * import { writeReport } from "./mod.ts";
 * const { path, sections } = await writeReport(run.dir, { out });
 * if (!path.endsWith("/report.html") || sections.comparison !== "missing") throw new Error(path);
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function writeReport(
  runDir: string,
  options: WriteReportOptions = {},
): Promise<WriteReportResult> {
  const data = await loadReport(runDir, options);
  const html = buildReport(data);
  const sections = Object.fromEntries(
    LINKED_SECTIONS.map((s) => [s, data[s] ? "present" : "missing"]),
  ) as Record<LinkedSection, "present" | "missing">;
  const result = await writeArtifact({
    kind: "report",
    out: options.out,
    command: "report",
    params: {
      run: data.run.artifact,
      comparison: data.comparison?.artifact ?? null,
      gate: data.gate?.artifact ?? null,
      agreement: data.agreement?.artifact ?? null,
      correlation: data.correlation?.artifact ?? null,
      validity: data.validity?.artifact ?? null,
    },
    inputs: reportInputs(data, runDir),
    files: { "report.html": html },
    meta: {
      run: data.run.artifact,
      release: data.run.release,
      judge_model: data.run.judge.model,
      prompt_sha256: data.run.prompt.sha256,
      sections,
      warnings: data.warnings.map((w) => w.text),
    },
    now: options.now,
  });
  return {
    artifact: result.dir,
    path: `${result.dir}/report.html`,
    created: result.created,
    sections,
    data,
  };
}
