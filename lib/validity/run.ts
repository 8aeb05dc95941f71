/**
 * `validity` as an artifact: read a judge run of an eval set's production responses,
 * join each judgment through the item's `source_id` with the feedback its user gave in
 * the prod logs, compute {@link itemValidity} and write `validity-<id>/validity.json`.
 *
 * @module
 */
import { metaOf, readProdMix } from "../artifact_kinds.ts";
import { inputError, type InputIssue, usageError } from "../_errors.ts";
import { locateInput, type Manifest, readManifest, writeArtifact } from "../artifacts.ts";
import { iterateRecords, readRecords } from "../io/read.ts";
import { readExportLogs } from "../io/formats/mod.ts";
import { EvalItem, type Judgment, ProdLogRecord } from "../schemas.ts";
import { type JudgeRun, readJudgeRun } from "../judge/run.ts";
import type { Reporter } from "../reporter.ts";
import { type FeedbackRow, type ItemValidity, itemValidity } from "./compute.ts";
import { runDimensions } from "./dimensions.ts";
import { dimensionSetOf, scaleLabels } from "../dimensions.ts";

/** Options for {@link validityOf}. */
export interface ValidityOptions {
  /** Prod log files holding the feedback. @default the logs the eval set was sampled from */
  logs?: readonly string[];
  /** Field → column renames for the logs (`--map`). @default {} */
  map?: Record<string, string>;
  /** Where the artifact goes. @default "runs" */
  out?: string;
  /** Bootstrap seed. @default 0 */
  seed?: number;
  /** Bootstrap resamples. @default 2000 */
  resamples?: number;
  /** Confidence level. @default 0.95 */
  level?: number;
  /** The prod mix {stratum: share} for `weighted_auc`. @default the `mix.prod` of the eval set's strata.json, else the items' own mix */
  mix?: Record<string, number>;
  /** The file `mix` came from, recorded as an input. @default none */
  mixFile?: string;
  /** Where the run's eval set is, if it moved. @default the path the run recorded */
  evalset?: string;
  reporter?: Reporter;
  now?: () => Date;
}

/** The content of `validity.json`. */
export interface Validity extends ItemValidity {
  run: string;
  judge_model: string;
  evalset: { sha256: string; items: number };
  /** Judged items with no log record among the logs read. */
  unmatched: number;
  /** Judgments left out because they failed. */
  failed: number;
  method: Record<string, string>;
  warnings: string[];
}

/** What {@link validityOf} returns. */
export interface ValidityResult {
  artifact: string;
  id: string;
  created: boolean;
  validity: Validity;
}

async function evalsetOf(run: JudgeRun, override: string | undefined) {
  const meta = metaOf(run.manifest, "judge", run.dir);
  const sha = meta.evalset?.sha256 ?? "";
  let file: string;
  if (override !== undefined) {
    const stat = await Deno.stat(override).catch(() => null);
    file = stat?.isDirectory ? `${override.replace(/\/+$/, "")}/evalset.jsonl` : override;
  } else if (meta.evalset?.file) {
    file = await locateInput(run.dir, meta.evalset.file, sha, meta.evalset.abs);
  } else {
    throw usageError(`The run "${run.dir}" records no eval set: pass --evalset DIR`);
  }
  const items = await readRecords(file, EvalItem);
  const dir = file.slice(0, file.lastIndexOf("/") + 1) || "./";
  const manifest = await readManifest(dir).catch(() => null);
  return { file, dir, sha, items, manifest };
}

/** The log files an eval set was sampled from, found from here. */
async function recordedLogs(evalDir: string, manifest: Manifest | null): Promise<string[]> {
  const logs = manifest ? metaOf(manifest, "evalset", evalDir).logs : undefined;
  if (!manifest || !logs?.length) {
    throw usageError(
      `The eval set in "${evalDir}" does not record its prod logs: pass --logs FILE...`,
    );
  }
  const found: string[] = [];
  for (const path of logs) {
    const entry = manifest.inputs.find((i) => i.path === path);
    found.push(await locateInput(evalDir, path, entry?.sha256 ?? "", null));
  }
  return found;
}

/**
 * Feedback by log id, for the ids wanted, read through the log schema.
 *
 * @example
 * ```ts
 * import { readFeedback } from "./run.ts";
 * const file = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(file, [
 *   { id: "l1", ts: "2026-06-01T10:00:00Z", query: "q", feedback: "down" },
 *   { id: "l2", ts: "2026-06-01T10:00:00Z", query: "q", feedback: null },
 * ].map((r) => JSON.stringify(r)).join("\n") + "\n");
 * const feedback = await readFeedback([file], new Set(["l1", "l2"]));
 * if (feedback.get("l1") !== "down" || feedback.get("l2") !== null) throw new Error();
 * await Deno.remove(file);
 * ```
 */
export async function readFeedback(
  files: readonly string[],
  wanted: ReadonlySet<string>,
  map: Record<string, string> = {},
): Promise<Map<string, "up" | "down" | null>> {
  const feedback = new Map<string, "up" | "down" | null>();
  const issues: InputIssue[] = [];
  const onIssue = (issue: InputIssue) => issues.length < 100 && issues.push(issue);
  for (const file of files) {
    // An export (LangSmith, Langfuse, OTel GenAI, …) the eval set was sampled from with --format.
    const exported = /\.(jsonl?|ndjson)$/i.test(file)
      ? await readExportLogs(file, { format: "auto", map })
      : undefined;
    if (exported && exported.format !== "evalkit") {
      exported.issues.forEach(onIssue);
      for (const r of exported.records) {
        if (wanted.has(r.id)) feedback.set(r.id, r.feedback ?? null);
      }
      continue;
    }
    for await (const { record } of iterateRecords(file, ProdLogRecord, { map, onIssue })) {
      const id = String(record.id);
      if (wanted.has(id)) feedback.set(id, record.feedback ?? null);
    }
  }
  if (issues.length) throw inputError(issues);
  return feedback;
}

/**
 * Join judgments with their items and the feedback of each item's log record.
 *
 * @example
 * ```ts
 * import { joinFeedback } from "./run.ts";
 * const judgment = { item_id: "q1", judge_model: "m", prompt_sha256: "0".repeat(64), rationale: "",
 *   scores: { correctness: 2, relevance: 4, clarity: 4, calibration: 4, length: 4 },
 *   usage: { prompt_tokens: 0, completion_tokens: 0 }, status: "ok" as const };
 * const item = { id: "q1", query: "q", stratum: "billing", source_id: "l1" };
 * const { rows, unmatched } = joinFeedback([judgment], [item], new Map([["l1", "down" as const]]));
 * if (rows[0].feedback !== "down" || unmatched !== 0) throw new Error(JSON.stringify(rows));
 * ```
 */
export function joinFeedback(
  judgments: readonly Judgment[],
  items: readonly EvalItem[],
  feedback: ReadonlyMap<string, "up" | "down" | null>,
): { rows: FeedbackRow[]; unmatched: number; failed: number } {
  const byId = new Map(items.map((i) => [String(i.id), i]));
  const rows: FeedbackRow[] = [];
  let unmatched = 0;
  let failed = 0;
  for (const j of judgments) {
    const item = byId.get(String(j.item_id));
    if (j.status !== "ok" || !j.scores) {
      failed++;
      continue;
    }
    if (!item || !feedback.has(String(item.source_id))) {
      unmatched++;
      continue;
    }
    rows.push({
      item_id: String(item.id),
      source_id: String(item.source_id),
      stratum: item.stratum,
      // The inclusion weight of an eval set drawn with sample --oversample; else all alike.
      weight: item.weight ?? 1,
      feedback: feedback.get(String(item.source_id)) ?? null,
      scores: j.scores as Record<string, number>,
    });
  }
  return { rows, unmatched, failed };
}

async function prodMix(
  evalDir: string,
): Promise<{ mix: Record<string, number> | null; file: string | null }> {
  return (await readProdMix(`${evalDir}strata.json`)) ?? { mix: null, file: null };
}

const METHOD: Record<string, string> = {
  auc: "Mann–Whitney AUC: P(score of a thumbed-up answer > score of a thumbed-down one), ties " +
    "half; answers without feedback are not used (and never read as not-down)",
  auc_ci: "DeLong (1988) variance, auc ± z·se clipped to [0, 1]; with unequal inclusion weights, " +
    "a class-stratified weighted bootstrap percentile interval",
  bootstrap_ci: "class-stratified bootstrap percentile interval (seeded), a check on DeLong's",
  auc_down_vs_rest: "thumbed-down against every other answer, answers without feedback included",
  auc_up_vs_rest: "thumbs-up as an outcome of its own: thumbed-up against every other answer",
  down_rate_by_score:
    "thumbs-down among answers with feedback at each score (rate) and among all " +
    "answers at that score (share_of_all), Wilson intervals (on the Kish effective n when weighted)",
  by_stratum: "the primary AUC within each stratum",
  weighted_auc: "Σ mix[s]·AUC[s] over strata with an AUC (prod mix of strata.json), " +
    "renormalised; interval from the strata's DeLong variances",
  adjusted: "unpenalised logistic regression of thumbs-down on every score and stratum " +
    "indicators (Newton–Raphson; Wald intervals); unweighted, since outcome- and " +
    "stratum-dependent sampling shifts only intercepts; VIF > 10 = too collinear to separate",
  power: "half-width of the AUC interval; n_for_half_width_0_05 scales the feedback-bearing " +
    "items by (half-width / 0.05)², keeping the down share",
  null: "fewer than 10 answers in either group: null with a reason, never a number",
};

/** How inclusion weights enter, said only when the eval set's items carry unequal ones. */
const WEIGHTS_METHOD = "the eval set's items carry inclusion weights (sample --oversample: " +
  "its cell's prod records over its draws); every AUC counts each pair w_i·w_j (as " +
  "roc_auc_score with sample_weight), rates are weighted means, intervals a class-stratified " +
  "weighted bootstrap; the adjusted model stays unweighted (see adjusted)";

function round(value: unknown): unknown {
  if (typeof value === "number") {
    return Number.isFinite(value) ? Math.round(value * 1e6) / 1e6 : null;
  }
  if (Array.isArray(value)) return value.map(round);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, round(v)]));
  }
  return value;
}

/**
 * Item-level validity of a judge run of prod responses, written as an artifact.
 *
 * @param runDir A judgment run of an eval set's production responses (`judge` without `--responses`).
 * @param options Logs (default: the eval set's), statistics, where to write.
 * @throws {RangeError} (exit 2) A run of generated responses (their users gave no feedback), no logs.
 * @throws {TypeError} (exit 2) A folder that is not a judge run, logs that do not parse.
 *
 * @example
 * ```ts
 * import { runJudge } from "../judge/run.ts";
 * import { demoPaths } from "../demo_world.ts";
 * import { validityOf } from "./run.ts";
 * const out = await Deno.makeTempDir();
 * const paths = demoPaths();
 * const judged = await runJudge(paths.feedbackItems, { judge: "heuristic", out });
 * const { validity } = await validityOf(judged.artifact, { logs: [paths.logs], out, resamples: 200 });
 * if (validity.n_items !== 1500) throw new Error(String(validity.n_items));
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function validityOf(
  runDir: string,
  options: ValidityOptions = {},
): Promise<ValidityResult> {
  const run = await readJudgeRun(runDir).catch((e) => {
    throw inputError([{ file: runDir, line: 0, problem: (e as Error).message, kind: "type" }]);
  });
  const meta = metaOf(run.manifest, "judge", run.dir);
  if (meta.source !== "prod") {
    throw usageError(
      `The run "${runDir}" judged generated responses, not the production answers users gave ` +
        `feedback on: run evalkit judge --evalset DIR without --responses, then validity on that run`,
    );
  }
  const ev = await evalsetOf(run, options.evalset);
  const logs = options.logs?.length ? [...options.logs] : await recordedLogs(ev.dir, ev.manifest);
  const wanted = new Set(ev.items.map((i) => String(i.source_id)));
  const feedback = await readFeedback(logs, wanted, options.map);
  const joined = joinFeedback(run.judgments, ev.items, feedback);
  const { mix, file: mixFile } = options.mix
    ? { mix: options.mix, file: options.mixFile ?? null }
    : await prodMix(ev.dir);
  const seed = options.seed ?? 0;
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  const dimensions = runDimensions(run);
  const scale = scaleLabels(dimensionSetOf(run.manifest).scale);
  const core = itemValidity(joined.rows, { dimensions, mix, seed, resamples, level, scale });
  const warnings = [...run.warnings];
  if (joined.unmatched) {
    warnings.push(`${joined.unmatched} judged items have no record in the logs read: left out`);
  }
  if (!mix) {
    warnings.push(
      "no prod mix (no strata.json beside the eval set): weighted_auc uses the items' own mix",
    );
  }
  for (const w of warnings) options.reporter?.warn(w);
  const validity = round({
    run: run.dir.replace(/\/+$/, "").split("/").pop(),
    judge_model: meta.judge_model ?? "",
    evalset: { sha256: ev.sha, items: ev.items.length },
    unmatched: joined.unmatched,
    failed: joined.failed,
    ...core,
    method: core.weighted ? { ...METHOD, weights: WEIGHTS_METHOD } : METHOD,
    warnings,
  }) as Validity;
  const written = await writeArtifact({
    kind: "validity",
    out: options.out,
    command: "validity",
    params: {
      run: run.manifest.id,
      seed,
      resamples,
      level,
      map: options.map ?? {},
      mix: options.mix ?? null,
    },
    seed,
    inputs: [`${run.dir}/judgments.jsonl`, ev.file, ...(mixFile ? [mixFile] : []), ...logs],
    files: { "validity.json": JSON.stringify(validity, null, 2) + "\n" },
    now: options.now,
    meta: { run: run.dir, evalset: ev.file, logs, judge_model: validity.judge_model, dimensions },
  });
  return { artifact: written.dir, id: written.id, created: written.created, validity };
}
