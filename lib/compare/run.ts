/**
 * `compare` as an artifact: read two judgment runs, hold them to the release
 * discipline, compare them dimension by dimension ({@link comparePaired}) and
 * write `comparison-<id>/comparison.json`.
 *
 * The discipline (SPEC §1.5): both runs must judge the same eval set (the
 * same sha256) with the same judge and the same judge prompt. Otherwise the
 * comparison is refused (a usage error: exit 2) with the recipe: update the
 * eval set, re-baseline the current model on it, then change the model. When
 * the eval set *and* the model (or its system prompt) both differ, the refusal
 * says so in plain words: a change in scores could come from either.
 *
 * A self-judged run is shown as such (a warning in the output and the
 * artifact). Runs with failed judgments are compared on the items both judged
 * `ok`; the count left out is reported.
 *
 * @module
 */
import { type JudgeMeta, metaOf, readProdMix } from "../artifact_kinds.ts";
import { inputError, usageError } from "../_errors.ts";
import { sha256File } from "../_hash.ts";
import {
  locateInput,
  type Manifest,
  readManifest,
  resolveRecorded,
  writeArtifact,
} from "../artifacts.ts";
import { readRecords } from "../io/read.ts";
import type { Reporter } from "../reporter.ts";
import { EvalItem, Response } from "../schemas.ts";
import { type JudgeRun, readJudgeRun } from "../judge/run.ts";
import { type PairedScores, pairJudgments } from "./pair.ts";
import { dimensionSetOf, sharedDimensions } from "../dimensions.ts";
import { comparePaired, type PairedComparison } from "./compare.ts";

/** Options for {@link compareRuns}. */
export interface CompareRunsOptions {
  /** Compare only these dimensions (when the runs' sets differ, the shared ones to use). @default the runs' */
  dimensions?: readonly string[];
  /** Where the artifact goes. @default "runs" */
  out?: string;
  /** Seed of the bootstrap and the permutation tests. @default 0 */
  seed?: number;
  /** Bootstrap resamples and Monte Carlo sign flips. @default 9999 */
  resamples?: number;
  /** Confidence level. @default 0.95 */
  level?: number;
  /** Power of the minimum detectable difference. @default 0.8 */
  power?: number;
  /** The prod mix to post-stratify with. @default the `mix.prod` of the eval set's strata.json */
  mix?: Record<string, number>;
  /** The file `mix` came from, recorded as an input. @default none */
  mixFile?: string;
  /** Where the eval set is, when the path the runs recorded no longer holds it. @default the runs' `meta.evalset.file` */
  evalset?: string;
  /** Progress and warnings. @default none */
  reporter?: Reporter;
  /** The clock for the manifest. @default () => new Date() */
  now?: () => Date;
}

/** What the comparison says about one run. */
export interface RunInfo {
  /** The run's folder name, `judge-<id>` (the path is in the manifest: the file stays the same from any working directory). */
  artifact: string;
  id: string;
  judge_model: string;
  prompt_sha256: string;
  /** The models whose responses were judged. */
  models: string[];
  self_judged: boolean;
  items: number;
  ok: number;
  failed: number;
  /** What every report using this run must show (self-judging, the heuristic judge, failures). */
  warnings: string[];
}

/** The content of `comparison.json`. */
export interface Comparison extends PairedComparison {
  baseline: RunInfo;
  candidate: RunInfo;
  evalset: { sha256: string; items: number | null };
  /** Items not compared: judged in one run only, or failed in either. */
  left_out: { only_baseline: number; only_candidate: number; failed: number; total: number };
  /** How each number was computed. */
  method: Record<string, string>;
  warnings: string[];
}

/** What {@link compareRuns} returns. */
export interface CompareRunsResult {
  artifact: string;
  id: string;
  created: boolean;
  comparison: Comparison;
}

/** The facts of a run the discipline looks at. */
export interface RunFacts {
  dir: string;
  evalset_sha256: string | null;
  judge_model: string | null;
  prompt_sha256: string | null;
  /** The models that answered, sorted. */
  models: string[];
  /** The system prompt of a generated run, when its responses artifact records one; undefined when unknown. */
  system_prompt_sha256?: string | null;
}

const RECIPE =
  "The recipe: (1) update the eval set; (2) re-baseline the current model on it (evalkit generate " +
  "--evalset NEW --model CURRENT, then evalkit judge --evalset NEW --responses THAT --judge J); " +
  "(3) then change the model, judge it on the same eval set with the same judge and prompt, and " +
  "compare those two runs";

const short = (sha: string | null) => (sha ? sha.slice(0, 12) : "unknown");

/**
 * Whether two runs may be compared under the release discipline.
 *
 * @returns null when they may, else the refusal in plain words, with the recipe.
 *
 * @example
 * ```ts
 * import { checkComparable } from "./run.ts";
 * const run = (dir: string, evalset: string, model: string) => ({ dir, evalset_sha256: evalset,
 *   judge_model: "gpt-4o", prompt_sha256: "p", models: [model] });
 * if (checkComparable(run("a", "e1", "v1"), run("b", "e1", "v2")) !== null) throw new Error();
 * const both = checkComparable(run("a", "e1", "v1"), run("b", "e2", "v2"))!;
 * if (!both.includes("both the eval set and the model")) throw new Error(both);
 * ```
 */
export function checkComparable(baseline: RunFacts, candidate: RunFacts): string | null {
  const head = `Refusing to compare "${candidate.dir}" with the baseline "${baseline.dir}"`;
  const modelsA = baseline.models.join(", ") || "unknown";
  const modelsB = candidate.models.join(", ") || "unknown";
  const modelChanged = modelsA !== modelsB ||
    (baseline.system_prompt_sha256 !== undefined && candidate.system_prompt_sha256 !== undefined &&
      baseline.system_prompt_sha256 !== candidate.system_prompt_sha256);
  if (baseline.evalset_sha256 !== candidate.evalset_sha256) {
    const sets = `eval set ${short(baseline.evalset_sha256)} → ${short(candidate.evalset_sha256)}`;
    if (modelChanged) {
      return `${head}: both the eval set and the model/prompt changed between the runs (${sets}; ` +
        `model ${modelsA} → ${modelsB}). A difference in scores could come from either change, ` +
        `so it says nothing about the new model. Change one thing at a time. ${RECIPE}`;
    }
    return `${head}: the runs judge different eval sets (${sets}); scores on different items ` +
      `are not comparable. ${RECIPE}`;
  }
  if (baseline.judge_model !== candidate.judge_model) {
    return `${head}: the runs were judged by different judges ("${baseline.judge_model}" → ` +
      `"${candidate.judge_model}"); a judge change moves scores by itself. Re-judge the baseline's ` +
      `responses with the candidate's judge and compare those. ${RECIPE}`;
  }
  if (baseline.prompt_sha256 !== candidate.prompt_sha256) {
    return `${head}: the runs were judged with different judge prompts (${
      short(baseline.prompt_sha256)
    } → ${short(candidate.prompt_sha256)}); a prompt change moves scores by itself. Re-judge ` +
      `the baseline's responses with the candidate's prompt (evalkit judge --prompt F) and ` +
      `compare those. ${RECIPE}`;
  }
  return null;
}

async function readRun(dir: string, role: "baseline" | "run"): Promise<JudgeRun> {
  const flag = role === "baseline" ? "--baseline" : "--run";
  try {
    await Deno.stat(dir);
  } catch {
    throw inputError([{
      file: dir,
      line: 0,
      problem: `no such folder (${flag}: a judgment run written by evalkit judge)`,
      kind: "type",
    }]);
  }
  let manifest: Manifest;
  try {
    manifest = await readManifest(dir);
  } catch {
    throw inputError([{
      file: dir,
      line: 0,
      problem: `not an artifact folder (no manifest.json); ${flag} takes a judgment run`,
      kind: "type",
    }]);
  }
  if (manifest.kind !== "judge") {
    throw inputError([{
      file: dir,
      line: 0,
      problem: `${article(manifest.kind)} ${manifest.kind} artifact, not a judgment run (${flag})`,
      kind: "type",
    }]);
  }
  const run = await readJudgeRun(dir);
  if (run.judgments.length === 0) {
    throw inputError([{
      file: `${dir}/judgments.jsonl`,
      line: 0,
      problem: "the run holds no judgments: nothing to compare",
      kind: "type",
    }]);
  }
  return run;
}

type RunMeta = JudgeMeta;

async function systemPromptOf(
  runDir: string,
  meta: RunMeta,
): Promise<string | null | undefined> {
  const path = meta.responses?.path;
  if (!path) return meta.source === "prod" ? null : undefined;
  try {
    const m = await readManifest(resolveRecorded(runDir, path));
    const sha = m.params?.system_prompt_sha256;
    return typeof sha === "string" || sha === null ? sha : undefined;
  } catch {
    return undefined;
  }
}

async function factsOf(run: JudgeRun): Promise<RunFacts> {
  const meta = metaOf(run.manifest, "judge", run.dir);
  return {
    dir: run.dir,
    evalset_sha256: meta.evalset?.sha256 ?? null,
    judge_model: meta.judge_model ?? null,
    prompt_sha256: meta.prompt_sha256 ?? null,
    models: [...(meta.models ?? [])].sort(),
    system_prompt_sha256: await systemPromptOf(run.dir, meta),
  };
}

/** A file if it exists and has the expected sha256, else the reason it is unusable. */
/** The eval set a run recorded, found from here (see {@link locateInput}), or why not. */
async function recordedFile(
  runDir: string,
  recorded: { file?: string; abs?: string } | undefined,
  sha: string,
): Promise<{ file: string } | { reason: string }> {
  if (!recorded?.file) return { reason: "no path recorded" };
  try {
    return { file: await locateInput(runDir, recorded.file, sha, recorded.abs) };
  } catch (e) {
    return { reason: (e as Error).message.replace(/^Cannot read /, "") };
  }
}

async function checkedFile(
  path: string | undefined,
  sha: string | undefined,
): Promise<{ file: string } | { reason: string }> {
  if (!path) return { reason: "no path recorded" };
  let actual: string;
  try {
    actual = await sha256File(path);
  } catch {
    return { reason: `"${path}" cannot be read` };
  }
  if (sha && actual !== sha) return { reason: `"${path}" changed since the run (sha256 differs)` };
  return { file: path };
}

function round(value: unknown, key = ""): unknown {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return null;
    const digits = key === "p_value" ? 1e6 : 1e4;
    return Math.round(value * digits) / digits;
  }
  if (Array.isArray(value)) return value.map((v) => round(v, key));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, round(v, k)]));
  }
  return value;
}

/**
 * Compare a candidate run with a baseline run and write a comparison artifact.
 *
 * @param baselineDir The baseline judgment run (`judge-<id>/`).
 * @param candidateDir The candidate judgment run.
 * @param options Statistics (seed, resamples, level, power), the prod mix, where to write.
 * @returns The artifact and the comparison (numbers rounded as in `comparison.json`).
 * @throws {TypeError} (exit 2) A missing or empty run, a folder that is not a judgment run.
 * @throws {RangeError} (exit 2) Runs the discipline refuses to compare (see {@link checkComparable}),
 * or fewer than 2 items judged in both.
 *
 * @example
 * ```ts
 * import { compareRuns } from "./run.ts";
 * import { runJudge } from "../judge/run.ts";
 * import { demoPaths } from "../demo_world.ts";
 * const out = await Deno.makeTempDir();
 * const paths = demoPaths();
 * const judge = (r: string) => runJudge(paths.evalItems, { judge: "heuristic", responses: paths.responses(r), out });
 * const [base, cand] = [await judge("r08"), await judge("r09")];
 * const { comparison } = await compareRuns(base.artifact, cand.artifact, { out, resamples: 499 });
 * if (comparison.n !== 300) throw new Error();
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function compareRuns(
  baselineDir: string,
  candidateDir: string,
  options: CompareRunsOptions = {},
): Promise<CompareRunsResult> {
  const base = await readRun(baselineDir, "baseline");
  const cand = await readRun(candidateDir, "run");
  const refusal = checkComparable(await factsOf(base), await factsOf(cand));
  if (refusal) throw usageError(refusal);
  const { paired, warnings } = pairRuns(base, cand, options.dimensions);

  const baseMeta = metaOf(base.manifest, "judge", base.dir);
  const candMeta = metaOf(cand.manifest, "judge", cand.dir);
  const evalSha = baseMeta.evalset?.sha256 ?? "";
  const inputs = [`${base.dir}/judgments.jsonl`, `${cand.dir}/judgments.jsonl`];
  const context = await evalContext(base.dir, baseMeta, options, { warnings, inputs });
  const seen = { evalItems: context.evalItems, warnings, inputs };
  const baseTexts = await responseTexts(base.dir, baseMeta, "baseline", seen);
  const candTexts = await responseTexts(cand.dir, candMeta, "candidate", seen);

  const stats = {
    seed: options.seed ?? 0,
    resamples: options.resamples ?? 9999,
    level: options.level ?? 0.95,
    power: options.power ?? 0.8,
  };
  const core = comparePaired(paired, {
    ...stats,
    strata: context.strata,
    mix: context.mix,
    weights: context.weights,
    responses: baseTexts && candTexts ? { baseline: baseTexts, candidate: candTexts } : null,
    scale: dimensionSetOf(base.manifest).scale,
  });
  const lo = paired.left_out;
  const comparison = round({
    baseline: runInfo(base),
    candidate: runInfo(cand),
    evalset: { sha256: evalSha, items: context.evalItems?.length ?? null },
    left_out: { ...lo, total: lo.only_baseline + lo.only_candidate + lo.failed },
    ...core,
    method: methodNotes(stats, core.weights !== undefined),
    warnings,
  }) as Comparison;
  for (const w of warnings) options.reporter?.warn(w);
  if (core.weights) {
    options.reporter?.info(
      `weighted by the eval set's inclusion weights (sample --oversample): ${core.weights.items} ` +
        `items, weights ${core.weights.min.toFixed(2)}–${core.weights.max.toFixed(2)}, ` +
        `effective n ${core.weights.effective_n.toFixed(1)}`,
    );
  }

  const written = await writeArtifact({
    kind: "comparison",
    out: options.out,
    command: "compare",
    params: {
      baseline: base.manifest.id,
      run: cand.manifest.id,
      ...stats,
      mix: options.mix ?? null,
    },
    seed: stats.seed,
    inputs,
    files: { "comparison.json": JSON.stringify(comparison, null, 2) + "\n" },
    now: options.now,
    meta: {
      baseline: base.dir,
      run: cand.dir,
      evalset: context.evalFile,
      judge_model: comparison.candidate.judge_model,
      prompt_sha256: comparison.candidate.prompt_sha256,
      evalset_sha256: evalSha,
      self_judged: { baseline: base.self_judged, candidate: cand.self_judged },
      n: comparison.n,
    },
  });
  return { artifact: written.dir, id: written.id, created: written.created, comparison };
}

/**
 * The two runs paired on their shared dimensions, and the warnings so far (the runs' own,
 * the dimension note, the items left out).
 *
 * @throws {RangeError} (exit 2) When fewer than 2 items were judged ok in both.
 */
function pairRuns(
  base: JudgeRun,
  cand: JudgeRun,
  dimensions: readonly string[] | undefined,
): { paired: PairedScores; warnings: string[] } {
  const shared = sharedDimensions(
    { name: `the baseline ${base.dir}`, set: dimensionSetOf(base.manifest) },
    { name: `the run ${cand.dir}`, set: dimensionSetOf(cand.manifest) },
    dimensions,
  );
  const paired = pairJudgments(base.judgments, cand.judgments, shared.set.dimensions);
  const lo = paired.left_out;
  const leftOut = lo.only_baseline + lo.only_candidate + lo.failed;
  if (paired.items.length < 2) {
    throw usageError(
      `Refusing to compare "${cand.dir}" with "${base.dir}": only ${paired.items.length} ` +
        `items were judged ok in both runs (${leftOut} left out), too few to compare`,
    );
  }
  const warnings: string[] = [];
  for (const [role, run] of [["baseline", base], ["candidate", cand]] as const) {
    for (const w of run.warnings) warnings.push(`${role} ${folderName(run.dir)}: ${w}`);
  }
  if (shared.note) warnings.push(shared.note);
  if (leftOut > 0) {
    warnings.push(
      `${leftOut} items left out: ${lo.failed} with a failed judgment in either run, ` +
        `${lo.only_baseline} judged only in the baseline, ${lo.only_candidate} only in the candidate; ` +
        `compared on the ${paired.items.length} items both judged`,
    );
  }
  return { paired, warnings };
}

/** What the comparison learns from the eval set, when it is still there. */
interface EvalContext {
  evalFile: string | null;
  evalItems: EvalItem[] | null;
  /** Item id → stratum; null without the eval set. */
  strata: Map<string, string> | null;
  mix: Record<string, number> | null;
  /** Item id → inclusion weight, when the eval set's items carry one (`sample --oversample`). */
  weights: Map<string, number> | null;
}

/** The eval set (strata) and the prod mix (`--mix`, else its strata.json); adds to warnings and inputs. */
async function evalContext(
  runDir: string,
  meta: RunMeta,
  options: CompareRunsOptions,
  seen: { warnings: string[]; inputs: string[] },
): Promise<EvalContext> {
  const evalSha = meta.evalset?.sha256 ?? "";
  let evalFile: string | null = null;
  let evalItems: EvalItem[] | null = null;
  const evalCheck = options.evalset !== undefined
    ? await checkedFile(await resolveEvalset(options.evalset), evalSha)
    : await recordedFile(runDir, meta.evalset, evalSha);
  if ("file" in evalCheck) {
    evalFile = evalCheck.file;
    evalItems = await readRecords(evalFile, EvalItem);
    seen.inputs.push(evalFile);
  } else {
    seen.warnings.push(
      `the eval set is unavailable (${evalCheck.reason}): no strata, no prod weighting` +
        (meta.source === "prod" ? ", no hedge rate" : "") + "; pass --evalset to point at it",
    );
  }
  let mix = options.mix ?? null;
  if (options.mixFile) seen.inputs.push(options.mixFile);
  if (!mix && evalFile) {
    const prod = await readProdMix(evalFile);
    if (prod) {
      mix = prod.mix;
      seen.inputs.push(prod.file);
    }
    if (!mix) {
      seen.warnings.push(
        `no prod mix: the eval set has no strata.json beside it (an eval-set artifact has one); ` +
          `pass --mix FILE for prod-weighted means`,
      );
    }
  }
  const strata = evalItems ? new Map(evalItems.map((i) => [String(i.id), i.stratum])) : null;
  const weighted = evalItems?.filter((i) => i.weight !== undefined) ?? [];
  const weights = weighted.length ? new Map(weighted.map((i) => [String(i.id), i.weight!])) : null;
  return { evalFile, evalItems, strata, mix, weights };
}

/** A run's response text per item (for the hedge rate), or null when unavailable (said in warnings). */
async function responseTexts(
  runDir: string,
  meta: RunMeta,
  role: string,
  seen: { evalItems: EvalItem[] | null; warnings: string[]; inputs: string[] },
): Promise<Map<string, string> | null> {
  if (meta.source === "prod" || !meta.responses) {
    if (!seen.evalItems) return null;
    return new Map(
      seen.evalItems.filter((i) => typeof i.response === "string").map((i) => [
        String(i.id),
        i.response!,
      ]),
    );
  }
  const recorded = meta.responses.file;
  const check = await checkedFile(
    recorded === undefined ? undefined : resolveRecorded(runDir, recorded),
    meta.responses.sha256,
  );
  if (!("file" in check)) {
    seen.warnings.push(`the ${role}'s responses are unavailable (${check.reason}): no hedge rate`);
    return null;
  }
  seen.inputs.push(check.file);
  const records = await readRecords(check.file, Response);
  return new Map(records.map((r) => [String(r.item_id), r.response]));
}

/** What the comparison says about one run. */
function runInfo(run: JudgeRun): RunInfo {
  const meta = metaOf(run.manifest, "judge", run.dir);
  return {
    artifact: folderName(run.dir),
    id: run.manifest.id,
    judge_model: meta.judge_model ?? "",
    prompt_sha256: meta.prompt_sha256 ?? "",
    models: [...(meta.models ?? [])].sort(),
    self_judged: run.self_judged,
    items: run.judgments.length,
    ok: run.judgments.filter((j) => j.status === "ok").length,
    failed: run.judgments.filter((j) => j.status === "failed").length,
    warnings: run.warnings,
  };
}

/** How each number of `comparison.json` was computed. */
function methodNotes(
  stats: { seed: number; resamples: number; level: number; power: number },
  weighted: boolean,
): Record<string, string> {
  const notes = unweightedNotes(stats);
  if (!weighted) return notes;
  const { seed, resamples, level } = stats;
  return {
    ...notes,
    weights:
      "the eval set's items carry unequal inclusion weights (sample --oversample): every estimate that describes prod weights each item by its weight (its cell's prod records over its draws), so oversampled feedback groups count back at their prod share; wins/ties/losses stay counts of items",
    diff:
      "weighted mean of the paired differences candidate − baseline, Σ w·d / Σ w, over the items both runs judged ok; the means likewise",
    ci: `${
      Math.round(level * 100)
    }% BCa bootstrap interval of the weighted mean difference, resampling items with their weights (${resamples} resamples, seed ${seed})`,
    p_value:
      `two-sided paired permutation test: sign flips of the weighted differences w·d (exact for n ≤ 20, else Monte Carlo with ${resamples} flips)`,
    mdd: notes.mdd.replace("sd(diff) / √n", "weighted sd(diff) / √n_eff (Kish's effective n)"),
    prod_weighted:
      "post-stratified means: each stratum's weighted mean weighted by its prod share (strata without items left out and the rest renormalised); interval from Σ W²·var, var of a stratum's weighted mean n/(n − 1)·Σ w²(x − m)²/(Σ w)²",
    confidently_wrong: `${notes.confidently_wrong}, weighted`,
    hedge_rate: `${notes.hedge_rate}; weighted shares`,
  };
}

function unweightedNotes(
  stats: { seed: number; resamples: number; level: number; power: number },
): Record<string, string> {
  const { seed, resamples, level, power } = stats;
  const pct = Math.round(level * 100);
  return {
    diff: "mean of the paired differences candidate − baseline over the items both runs judged ok",
    ci:
      `${pct}% BCa bootstrap interval of the mean difference (${resamples} resamples, seed ${seed})`,
    p_value:
      `two-sided paired permutation test: sign flips of the differences (exact for n ≤ 20, else Monte Carlo with ${resamples} flips, whose smallest possible p is 1/${
        resamples + 1
      })`,
    verdict:
      `"improved" when the ${pct}% interval lies above 0, "regressed" when below, else "no detectable change"`,
    mdd: `minimum detectable difference at ${Math.round(power * 100)}% power, two-sided α = ${
      Math.round((1 - level) * 1000) / 1000
    }: (z(1−α/2) + z(power)) · sd(diff) / √n, the normal approximation of the paired test`,
    prod_weighted:
      "post-stratified means: each stratum's mean weighted by its prod share (strata without items left out and the rest renormalised); interval from the stratified variance Σ w²·s²/n",
    strata:
      "the same paired comparison within each stratum; many intervals, so read as description",
    confidently_wrong: "share of items the judge scored correctness ≤ 2 and calibration ≤ 2",
    hedge_rate:
      "share of responses holding a hedging phrase (lib/compare/hedge.ts); among_correct: of answers scored correctness ≥ 4, among_wrong: correctness ≤ 2",
  };
}

/** The last component of a path: an artifact's folder name. */
export function folderName(path: string): string {
  return path.replace(/\/+$/, "").split("/").pop() ?? path;
}

async function resolveEvalset(path: string): Promise<string> {
  try {
    const stat = await Deno.stat(path);
    return stat.isDirectory ? `${path.replace(/\/+$/, "")}/evalset.jsonl` : path;
  } catch {
    return path;
  }
}

/** "a" or "an" before a word. */
function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}
