/**
 * Agreement as artifacts: read a judge run and human ratings, compute, and
 * write `agreement-<id>/agreement.json` through the artifacts module. What
 * `evalkit agreement` and the demo pipeline call.
 *
 * - {@link agreementFor}: one run against the ratings (`agreement --run DIR --ratings F...`).
 * - {@link comparePromptsFor}: two runs (prompt versions) on the same ratings
 *   (`agreement --run OLD --run NEW --ratings F...`).
 *
 * The manifest's `meta.mode` says which (`agreement`, `compare`, or `rejudge` for
 * {@link rejudgeRun}); `meta.ratings_date` orders the agreement history.
 *
 * @module
 */
import { metaOf } from "../artifact_kinds.ts";
import { usageError } from "../_errors.ts";
import { readManifest, writeArtifact } from "../artifacts.ts";
import type { JudgeRun } from "../judge/run.ts";
import type { Reporter } from "../reporter.ts";
import { readRatings } from "../review/ratings.ts";
import { openJudgeRun, readRunItems } from "../review/source.ts";
import { type Dimension, DIMENSIONS, IsoDate } from "../schemas.ts";
import {
  dimensionMeta,
  type DimensionSet,
  dimensionSetOf,
  scaleLabels,
  sharedDimensions,
} from "../dimensions.ts";
import { judgmentsFile } from "./_items.ts";
import { agreementWarnings, comparisonDimensions, judgeWarnings } from "./_run.ts";
import { comparePrompts, type PromptComparison } from "./compare.ts";
import {
  type AgreementOptions,
  type AgreementReport,
  computeAgreement,
  type Disagreement,
} from "./compute.ts";

/** Options for {@link agreementFor} and {@link comparePromptsFor}. */
export interface AgreementForOptions extends AgreementOptions {
  /** Where the artifact goes. @default "runs" */
  out?: string;
  /** The day the ratings were made, `YYYY-MM-DD`. @default the `rated_on` of imported ratings, else none */
  date?: string;
  /** The clock for the manifest. @default () => new Date() */
  now?: () => Date;
  /** Warnings go here as well as into the summary. @default none */
  reporter?: Reporter;
}

/** What {@link agreementFor} wrote. */
export interface AgreementResult {
  artifact: string;
  created: boolean;
  report: AgreementReport;
  /** The `--json` summary of `evalkit agreement`. */
  summary: Record<string, unknown>;
  warnings: string[];
}

/** What {@link comparePromptsFor} wrote. */
export interface PromptComparisonResult {
  artifact: string;
  created: boolean;
  comparison: PromptComparison;
  summary: Record<string, unknown>;
  warnings: string[];
}

function checkDate(date: string | undefined): void {
  if (date !== undefined && !IsoDate.safeParse(date).success) {
    throw usageError(`Invalid --date "${date}": expected YYYY-MM-DD`);
  }
}

function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof RangeError) throw usageError(e.message.replace(/^\w+\(\): /, ""));
    throw e;
  }
}

function noRatings(count: number, files: readonly string[]): void {
  if (count === 0) {
    throw usageError(
      `No ratings in ${
        files.map((f) => `"${f}"`).join(", ")
      }: every row is unrated (no dimension scored)`,
    );
  }
}

function latest(dates: Record<string, string>): string | null {
  const all = Object.values(dates).sort();
  return all.length ? all[all.length - 1] : null;
}

function params(options: AgreementForOptions, report: AgreementReport, mode: string) {
  return {
    mode,
    metric: report.metric,
    threshold: report.threshold,
    resamples: report.resamples,
    level: report.level,
    seed: report.seed,
    disagreement_gap: options.disagreementGap ?? 2,
    ...(options.date ? { date: options.date } : {}),
    // `--dimensions` chooses what the artifact holds: another choice is another artifact.
    ...(options.dimensions?.length ? { dimensions: [...options.dimensions] } : {}),
  };
}

/**
 * The per-dimension part of the `--json` summary: everything but the confusion matrix.
 *
 * @example
 * ```ts
 * import { summarizeDimensions } from "./run.ts";
 * import { computeAgreement } from "./compute.ts";
 * const s = (v: number) => ({ correctness: v, relevance: v, clarity: v, calibration: v, length: v });
 * const truth = [5, 4, 4, 2, 1, 3, 5, 2, 3, 4];
 * const judgments = truth.map((v, i) => ({ item_id: `q${i}`, judge_model: "m", prompt_sha256: "0".repeat(64),
 *   scores: s(v), rationale: "", usage: { prompt_tokens: 0, completion_tokens: 0 }, status: "ok" as const }));
 * const ratings = ["ana", "ben"].flatMap((rater) =>
 *   truth.map((v, i) => ({ item_id: `q${i}`, rater, ...s(rater === "ben" && i % 3 === 0 ? Math.max(1, v - 2) : v) })));
 * const report = computeAgreement(judgments, ratings, { resamples: 200 });
 * const summary = summarizeDimensions(report) as Record<string, Record<string, unknown>>;
 * if ("confusion" in summary.correctness || !("reaches_ceiling" in summary.correctness)) throw new Error();
 * ```
 */
export function summarizeDimensions(report: AgreementReport): Record<string, unknown> {
  return Object.fromEntries(
    dimensionsOf(report).map((d) => {
      const { confusion: _, ...rest } = report.dimensions[d];
      return [d, { ...rest, reaches_ceiling: rest.ceiling.reaches }];
    }),
  );
}

/** The dimensions a report holds, in its order. */
function dimensionsOf(report: AgreementReport): Dimension[] {
  return Object.keys(report.dimensions) as Dimension[];
}

function fmt(x: number | null): string {
  return x === null ? "n/a" : x.toFixed(2);
}

function fmtCi(ci: [number | null, number | null]): string {
  return ci[0] === null || ci[1] === null ? "[no CI]" : `[${fmt(ci[0])}, ${fmt(ci[1])}]`;
}

/**
 * Human-readable lines of an agreement report (what `evalkit agreement` prints on stderr).
 *
 * @example
 * ```ts
 * import { agreementLines } from "./run.ts";
 * import { computeAgreement } from "./compute.ts";
 * const s = (v: number) => ({ correctness: v, relevance: v, clarity: v, calibration: v, length: v });
 * const truth = [5, 4, 4, 2, 1, 3, 5, 2, 3, 4];
 * const judgments = truth.map((v, i) => ({ item_id: `q${i}`, judge_model: "m", prompt_sha256: "0".repeat(64),
 *   scores: s(v), rationale: "", usage: { prompt_tokens: 0, completion_tokens: 0 }, status: "ok" as const }));
 * const ratings = ["ana", "ben"].flatMap((rater) =>
 *   truth.map((v, i) => ({ item_id: `q${i}`, rater, ...s(rater === "ben" && i % 3 === 0 ? Math.max(1, v - 2) : v) })));
 * const report = computeAgreement(judgments, ratings, { resamples: 200 });
 * const lines = agreementLines(report);
 * if (!lines[0].startsWith("agreement 2 rater(s) (ana, ben) on 10 items")) throw new Error(lines[0]);
 * ```
 */
export function agreementLines(report: AgreementReport, maxDisagreements = 10): string[] {
  const m = report.metric;
  const lines = [
    `agreement ${report.raters.length} rater(s) (${
      report.raters.join(", ")
    }) on ${report.items.compared} items ` +
    `(${report.items.overlap} rated by 2+); primary metric ${m}, threshold ${report.threshold}`,
  ];
  for (const d of dimensionsOf(report)) {
    const a = report.dimensions[d];
    const j = a.judge_vs_humans;
    const h = a.human_vs_human;
    lines.push(
      `  ${d.padEnd(12)} ${a.verdict.padEnd(12)} judge~humans ${m} ${fmt(a.value)} ${fmtCi(a.ci)}` +
        `  exact ${fmt(j.exact.value)} adjacent ${fmt(j.adjacent.value)} qwk ${
          fmt(j.qwk.value)
        } spearman ${fmt(j.spearman.value)}` +
        ` | humans ${m} ${fmt(h[m].value)} ${fmtCi(h[m].ci)} alpha ${fmt(a.alpha.value)}` +
        ` | ceiling ${
          a.ceiling.reaches === null ? "n/a" : a.ceiling.reaches ? "reached" : "not reached"
        }`,
    );
  }
  if (report.disagreements.length > 0) {
    lines.push(`disagreements (judge vs human mean ≥ 2 apart): ${report.disagreements.length}`);
    for (const x of report.disagreements.slice(0, maxDisagreements)) {
      lines.push(`  ${disagreementLine(x)}`);
    }
    if (report.disagreements.length > maxDisagreements) {
      lines.push(`  … ${report.disagreements.length - maxDisagreements} more in agreement.json`);
    }
  }
  if (report.recalibrate.length > 0) {
    lines.push(
      `recalibrate: ${report.recalibrate.join(", ")} — edit the rubric (see the disagreements), ` +
        `judge the rated items with --prompt NEW, then agreement --run OLD --run NEW --ratings ...`,
    );
  }
  return lines;
}

/**
 * The part of a judge's rationale about one dimension, when the rationale labels its
 * parts (`correctness: …; relevance: …`, as the rubric asks); else the whole rationale.
 *
 * @param dimensions The run's dimensions, whose labels end a part. @default the kit's five
 *
 * @example
 * ```ts
 * import { rationaleFor } from "./run.ts";
 * const r = "correctness: states the 30-day rule; relevance: on topic; length: too long";
 * if (rationaleFor(r, "relevance") !== "relevance: on topic") throw new Error(rationaleFor(r, "relevance"));
 * ```
 */
export function rationaleFor(
  rationale: string,
  dimension: string,
  dimensions: readonly string[] = DIMENSIONS,
): string {
  const lower = rationale.toLowerCase();
  const start = lower.search(new RegExp(`\\b${dimension}\\s*:`));
  if (start < 0) return rationale;
  let end = rationale.length;
  for (const other of dimensions) {
    if (other === dimension) continue;
    const re = new RegExp(`\\b${other}\\s*:`, "g");
    re.lastIndex = start + dimension.length;
    const m = re.exec(lower);
    if (m && m.index > start && m.index < end) end = m.index;
  }
  return rationale.slice(start, end).replace(/[\s;,.]+$/, "");
}

/**
 * One disagreement as a line, with the judge's rationale for that dimension.
 *
 * @example
 * ```ts
 * import { disagreementLine } from "./run.ts";
 * const line = disagreementLine({ item_id: "q7", dimension: "correctness", judge: 5, human_mean: 2,
 *   gap: 3, humans: { ana: 2, ben: 2 }, rationale: "correctness: all facts stated", notes: {} });
 * if (!line.startsWith("q7 correctness: judge 5 vs humans 2 (ana 2, ben 2)")) throw new Error(line);
 * ```
 */
export function disagreementLine(x: Disagreement): string {
  const humans = Object.entries(x.humans).map(([r, v]) => `${r} ${v}`).join(", ");
  const part = rationaleFor(x.rationale, x.dimension);
  const why = part.length > 160 ? part.slice(0, 159) + "…" : part;
  return `${x.item_id} ${x.dimension}: judge ${x.judge} vs humans ${x.human_mean} (${humans}): ${why}`;
}

/** The ratings' set: a ratings artifact's manifest's, or (a plain file) the run's. */
async function ratingsSetOf(files: readonly string[], fallback: DimensionSet) {
  for (const f of files) {
    const manifest = await readManifest(f).catch(() => null);
    if (manifest && manifest.kind === "ratings") return dimensionSetOf(manifest);
  }
  return fallback;
}

/** The dimension set agreement compares on: the run's and the ratings' shared one. */
async function setsFor(
  run: JudgeRun,
  runDir: string,
  ratingFiles: readonly string[],
  wanted: readonly string[] | undefined,
): Promise<RatedSets> {
  const source = { name: `the run ${runDir}`, set: dimensionSetOf(run.manifest) };
  return await withRatings(source, ratingFiles, wanted);
}

/** What a set of judged dimensions and the ratings' share: the set, the ratings', the note. */
interface RatedSets {
  set: DimensionSet;
  ratingsSet: DimensionSet;
  note: string | null;
}

/** The dimensions `source` and the rating files share (or `wanted` picks). */
async function withRatings(
  source: { name: string; set: DimensionSet },
  ratingFiles: readonly string[],
  wanted: readonly string[] | undefined,
): Promise<RatedSets> {
  const ratingsSet = await ratingsSetOf(ratingFiles, source.set);
  const shared = sharedDimensions(source, { name: "the ratings", set: ratingsSet }, wanted);
  return { set: shared.set, ratingsSet, note: shared.note };
}

/**
 * The dimension set a prompt comparison compares on: the two runs' shared one, which the
 * ratings must have too.
 */
async function compareSetsFor(
  a: JudgeRun,
  b: JudgeRun,
  ratingFiles: readonly string[],
  wanted: readonly string[] | undefined,
): Promise<RatedSets> {
  const runs = sharedDimensions(
    { name: `the old run ${a.dir}`, set: dimensionSetOf(a.manifest) },
    { name: `the new run ${b.dir}`, set: dimensionSetOf(b.manifest) },
    wanted,
  );
  const rated = await withRatings({ name: "the runs", set: runs.set }, ratingFiles, wanted);
  return { ...rated, note: rated.note ?? runs.note };
}

/**
 * Agreement of a judge run with human ratings, written as `agreement-<id>/agreement.json`.
 *
 * @param runDir A judge-run folder.
 * @param ratingFiles Rating files (CSV, JSONL) or `ratings-<id>/` folders.
 * @param options Metric, threshold, bootstrap settings, the ratings' date, where to write.
 * @returns The artifact, the report and the `--json` summary.
 * @throws {RangeError} Bad usage: held-out input, not a judge run, a bad option, no rated item judged.
 * @throws {TypeError} or {SyntaxError} Bad rating files, naming file, line and field.
 *
 * @example The demo: the heuristic judge of release r10 against the two demo raters
 * ```ts
 * import { agreementFor } from "./run.ts";
 * import { runJudge } from "../judge/run.ts";
 * import { demoPaths } from "../demo_world.ts";
 * const out = await Deno.makeTempDir();
 * const paths = demoPaths();
 * const run = await runJudge(paths.evalItems, { judge: "heuristic", responses: paths.responses("r10"), out });
 * const { report, artifact } = await agreementFor(run.artifact, paths.ratings, { out, resamples: 200 });
 * if (report.items.compared !== 55 || !artifact.includes("/agreement-")) throw new Error("unexpected");
 * ```
 */
export async function agreementFor(
  runDir: string,
  ratingFiles: readonly string[],
  options: AgreementForOptions = {},
): Promise<AgreementResult> {
  checkDate(options.date);
  const run = await openJudgeRun(runDir);
  const { set, ratingsSet, note } = await setsFor(run, runDir, ratingFiles, options.dimensions);
  const read = await readRatings(ratingFiles, { set: ratingsSet });
  noRatings(read.ratings.length, ratingFiles);
  const report = asUsage(() =>
    computeAgreement(run.judgments, read.ratings, {
      ...options,
      dimensions: set.dimensions,
      labels: scaleLabels(set.scale),
    })
  );
  if (note) options.reporter?.info(note);
  if (report.items.compared === 0) {
    throw usageError(
      `No rated item was judged ok in "${runDir}" (${report.items.rated} items rated, ` +
        `${report.items.left_out.not_in_run} not in the run): are the ratings for this run?`,
    );
  }
  const added = agreementWarnings(report, read.skipped);
  for (const w of added) options.reporter?.warn(w);
  const warnings = [...run.warnings, ...added];
  const ratingsDate = options.date ?? latest(read.dates);
  const meta = metaOf(run.manifest, "judge", run.dir);
  const judge = {
    judge_model: meta.judge_model ?? null,
    prompt_sha256: meta.prompt_sha256 ?? null,
  };
  const written = await writeAgreement(
    "agreement",
    options,
    report,
    [judgmentsFile(run), ...read.files],
    report,
    {
      run: runDir,
      judge_run: run.manifest.id,
      ...judge,
      ratings: [...ratingFiles],
      ratings_date: ratingsDate,
      verdict: report.verdict,
      recalibrate: report.recalibrate,
      warnings,
      ...dimensionMeta(set),
      ...(note ? { dimensions_note: note } : {}),
    },
  );
  return {
    artifact: written.dir,
    created: written.created,
    report,
    warnings,
    summary: agreementSummary(written.dir, runDir, judge, report, ratingsDate, warnings),
  };
}

/** The `agreement --json` summary of one run. */
function agreementSummary(
  artifact: string,
  run: string,
  judge: { judge_model: string | null; prompt_sha256: string | null },
  report: AgreementReport,
  ratingsDate: string | null,
  warnings: readonly string[],
): Record<string, unknown> {
  return {
    artifact,
    mode: "agreement",
    run,
    ...judge,
    metric: report.metric,
    threshold: report.threshold,
    level: report.level,
    verdict: report.verdict,
    recalibrate: report.recalibrate,
    raters: report.raters,
    items: report.items,
    ratings_date: ratingsDate,
    dimensions: summarizeDimensions(report),
    disagreements: report.disagreements,
    warnings,
  };
}

/**
 * Write an agreement artifact: `agreement.json` holds `data`; the parameters and seed
 * are `report`'s (the new run's, for a comparison), the meta starts with the mode.
 */
function writeAgreement(
  mode: "agreement" | "compare",
  options: AgreementForOptions,
  report: AgreementReport,
  inputs: readonly string[],
  data: unknown,
  meta: Record<string, unknown>,
): Promise<{ dir: string; created: boolean }> {
  return writeArtifact({
    kind: "agreement",
    out: options.out,
    command: "agreement",
    params: params(options, report, mode),
    seed: report.seed,
    inputs: [...inputs],
    files: { "agreement.json": JSON.stringify(data, null, 2) + "\n" },
    now: options.now,
    meta: { mode, ...meta },
  });
}

async function checkSameResponses(
  a: JudgeRun,
  b: JudgeRun,
  ids: ReadonlySet<string>,
  warnings: string[],
): Promise<void> {
  const ma = metaOf(a.manifest, "judge", a.dir);
  const mb = metaOf(b.manifest, "judge", b.dir);
  if (
    ma.evalset?.sha256 && ma.evalset.sha256 === mb.evalset?.sha256 &&
    (ma.responses?.sha256 ?? null) === (mb.responses?.sha256 ?? null)
  ) return;
  let ia, ib;
  try {
    [ia, ib] = [await readRunItems(a), await readRunItems(b)];
  } catch (e) {
    warnings.push(
      `cannot check that both runs judged the same responses (${
        (e as Error).message.split("\n")[0]
      })`,
    );
    return;
  }
  for (const id of [...ids].sort()) {
    const x = ia.items.get(id);
    const y = ib.items.get(id);
    if (!x || !y) continue;
    if (
      x.response !== y.response ||
      JSON.stringify(x.item.query ?? x.item.messages) !==
        JSON.stringify(y.item.query ?? y.item.messages)
    ) {
      throw usageError(
        `Refusing to compare "${a.dir}" and "${b.dir}": they judged different content for item ` +
          `"${id}". Compare prompt versions on the same items and responses`,
      );
    }
  }
}

/**
 * Two judge runs (prompt versions) compared on the same human ratings, written as
 * `agreement-<id>/agreement.json` (`mode: "compare"`).
 *
 * @param oldRun The current prompt's judge run.
 * @param newRun The candidate prompt's judge run of the same items and responses.
 * @param ratingFiles Rating files or `ratings-<id>/` folders.
 * @param options As {@link agreementFor}.
 * @returns The comparison, whether to adopt the new prompt, and the summary.
 * @throws {RangeError} Bad usage: held-out input, the runs judged different content, too few common items.
 *
 * @example
 * ```ts
 * import { runJudge } from "../judge/run.ts";
 * import { demoPaths } from "../demo_world.ts";
 * import { comparePromptsFor } from "./run.ts";
 * const out = await Deno.makeTempDir();
 * const paths = demoPaths();
 * const judge = (bands: Record<string, [number, number]>) =>
 *   runJudge(paths.evalItems, { judge: "heuristic", responses: paths.responses("r10"), out,
 *     heuristic: { lengthBands: bands } });
 * const [oldRun, newRun] = [await judge({}), await judge({ billing: [60, 120] })];
 * const result = await comparePromptsFor(oldRun.artifact, newRun.artifact, paths.ratings, { out, resamples: 200 });
 * if (typeof result.comparison.adopt !== "boolean") throw new Error();
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function comparePromptsFor(
  oldRun: string,
  newRun: string,
  ratingFiles: readonly string[],
  options: AgreementForOptions = {},
): Promise<PromptComparisonResult> {
  checkDate(options.date);
  const a = await openJudgeRun(oldRun);
  const b = await openJudgeRun(newRun);
  const { set, ratingsSet, note } = await compareSetsFor(a, b, ratingFiles, options.dimensions);
  const read = await readRatings(ratingFiles, { set: ratingsSet });
  noRatings(read.ratings.length, ratingFiles);
  if (note) options.reporter?.info(note);
  const ma = metaOf(a.manifest, "judge", a.dir);
  const mb = metaOf(b.manifest, "judge", b.dir);
  const warnings = [...new Set([...a.warnings, ...b.warnings]), ...judgeWarnings(ma, mb)];
  await checkSameResponses(a, b, new Set(read.ratings.map((r) => String(r.item_id))), warnings);
  const comparison = asUsage(() =>
    comparePrompts(a.judgments, b.judgments, read.ratings, {
      ...options,
      dimensions: set.dimensions,
      labels: scaleLabels(set.scale),
    })
  );
  if (comparison.left_out > 0) {
    warnings.push(
      `${comparison.left_out} rated items were judged ok by only one run: left out of both`,
    );
  }
  for (const w of warnings) options.reporter?.warn(w);
  const ratingsDate = options.date ?? latest(read.dates);
  const runs = { old: oldRun, new: newRun };
  const prompts = { old: ma.prompt_sha256 ?? null, new: mb.prompt_sha256 ?? null };
  const written = await writeAgreement(
    "compare",
    options,
    comparison.new,
    [judgmentsFile(a), judgmentsFile(b), ...read.files],
    comparison,
    {
      runs,
      judge_runs: { old: a.manifest.id, new: b.manifest.id },
      judge_models: { old: ma.judge_model ?? null, new: mb.judge_model ?? null },
      prompt_sha256: prompts,
      ratings: [...ratingFiles],
      ratings_date: ratingsDate,
      adopt: comparison.adopt,
      warnings,
      ...dimensionMeta(set),
      ...(note ? { dimensions_note: note } : {}),
    },
  );
  return {
    artifact: written.dir,
    created: written.created,
    comparison,
    warnings,
    summary: {
      artifact: written.dir,
      mode: "compare",
      runs,
      prompt_sha256: prompts,
      metric: comparison.metric,
      threshold: comparison.threshold,
      items: comparison.items,
      adopt: comparison.adopt,
      recommendation: comparison.recommendation,
      verdict: comparison.new.verdict,
      recalibrate: comparison.new.recalibrate,
      ratings_date: ratingsDate,
      dimensions: comparisonDimensions(comparison),
      disagreements: comparison.new.disagreements,
      warnings,
    },
  };
}
