/**
 * A judge run as an artifact (SPEC §5): read the eval set and the responses
 * (a generate artifact, or the production responses the eval set keeps),
 * plan the artifact's id up front, journal each judgment to
 * `<out>/.partial/judge-<id>/judgments.jsonl` as it lands, and when every item
 * is judged write `<out>/judge-<id>/` (`judgments.jsonl` in eval-set order,
 * so reruns are byte-identical) and remove the journal.
 *
 * A rerun of a finished run finds the artifact and makes no request; a rerun
 * of a killed run judges only what the journal lacks; a rerun with the same
 * judge, prompt and content elsewhere is served by the cache
 * (`<out>/.cache/judge/`).
 *
 * @module
 */
import { dimensionMeta, type DimensionSet, dimensionSetOf, judgmentSchema } from "../dimensions.ts";
import type { RubricDimension } from "../rubric.ts";
import { metaOf } from "../artifact_meta.ts";
import { inputError, type InputIssue, usageError } from "../_errors.ts";
import { sha256File } from "../_hash.ts";
import { type Manifest, readManifest } from "../artifacts.ts";
import { iterateRecords, readRecords } from "../io/read.ts";
import { toJsonl } from "../io/jsonl.ts";
import { EvalItem, Judgment, KINDS, Response } from "../schemas.ts";
import type { BatchOptions } from "../llm/batch.ts";
import { resolveEndpoint } from "../llm/client.ts";
import { DEFAULT_PRICES } from "../llm/cost.ts";
import {
  type CacheChoice,
  type PlannedRun,
  readFinished,
  resolveInputFile,
  reusedResult,
  reusedStats,
  runCache,
  runJournaled,
} from "../llm/run.ts";
import { checkSelfJudging, modelFamily, type SelfJudgeCheck } from "./family.ts";
import {
  checkHeuristicSet,
  HEURISTIC_DIMENSIONS,
  HEURISTIC_JUDGE,
  heuristicSha,
} from "./heuristic.ts";
import {
  judgeItems,
  type JudgeOptions,
  type JudgeResult,
  type JudgeStats,
  type ResponseToJudge,
} from "./judge.ts";
import { type JudgeItem, type JudgePrompt, loadPrompt } from "./prompt.ts";

export { resolveInputFile } from "../llm/run.ts";

/**
 * An eval item as the judge sees it.
 *
 * @example
 * ```ts
 * import { toJudgeItem } from "./run.ts";
 * const item = toJudgeItem({ id: 7, query: "How do I void an invoice?", stratum: "billing", source_id: "log-1" } as never);
 * if (item.id !== "7" || item.stratum !== "billing") throw new Error();
 * ```
 */
export function toJudgeItem(item: EvalItem): JudgeItem {
  return {
    id: String(item.id),
    ...(item.query !== undefined ? { query: item.query } : {}),
    ...(item.messages !== undefined ? { messages: item.messages } : {}),
    stratum: item.stratum,
    ...(item.reference !== undefined ? { reference: item.reference } : {}),
  };
}

/**
 * Read responses, checking every `item_id` names an item (problems name file and line).
 *
 * @param file A responses JSONL (or CSV) file.
 * @param itemIds The ids responses may answer.
 * @param noun What the ids are, for messages. @default "item of the eval set"
 */
export async function readResponsesFor(
  file: string,
  itemIds: ReadonlySet<string>,
  noun = "item of the eval set",
): Promise<Response[]> {
  const issues: InputIssue[] = [];
  const out: Response[] = [];
  for await (
    const { line, record } of iterateRecords(file, Response, {
      key: KINDS.responses.key,
      onIssue: (i) => issues.push(i),
    })
  ) {
    if (!itemIds.has(String(record.item_id))) {
      issues.push({
        file,
        line,
        field: "item_id",
        problem: `no ${noun} has id ${JSON.stringify(String(record.item_id))}`,
        kind: "type",
      });
      continue;
    }
    out.push(record);
  }
  if (issues.length > 0) throw inputError(issues);
  return out;
}

/** Options for {@link runJudge}. */
export interface JudgeRunOptions
  extends Omit<JudgeOptions, "prompt" | "cache" | "journal" | "batch">, CacheChoice {
  /** Responses to judge: a generate artifact folder or a responses JSONL file. @default the eval set's production responses */
  responses?: string;
  /** A judge prompt file. @default the bundled rubric-v1 */
  prompt?: string;
  /** Where artifacts go. @default "runs" */
  out?: string;
  /** Use the Batch API; the pending batch's id is kept in the partial folder. @default false */
  batch?: boolean | Omit<BatchOptions, "statePath">;
  /** The clock for the manifest. @default () => new Date() */
  now?: () => Date;
}

/** What a judge run did. */
export interface JudgeRunResult {
  /** The artifact folder (planned, when the run is not complete). */
  artifact: string;
  id: string;
  complete: boolean;
  /** The artifact existed already: nothing was judged. */
  reused: boolean;
  /** The journal of an unfinished run (rerun the same command to finish), else null. */
  partial: string | null;
  /** Judgments in eval-set order (all of them when complete). */
  judgments: Judgment[];
  stats: JudgeStats;
  self_judged: boolean;
  prompt_sha256: string;
  /** Set when the run was not started because the estimate exceeded the budget. */
  budget_refused: boolean;
  manifest: Manifest | null;
}

/** What a judge run reads: the eval set and the responses to judge. */
interface JudgeInputs {
  evalset: string;
  evalFile: string;
  items: JudgeItem[];
  responsesFile: string | null;
  responses: ResponseToJudge[];
  models: string[];
}

async function readJudgeInputs(evalset: string, responsesPath?: string): Promise<JudgeInputs> {
  const evalFile = await resolveInputFile(evalset, "evalset.jsonl");
  const evalItems = await readRecords(evalFile, EvalItem, { key: KINDS.evalset.key });
  const items = evalItems.map(toJudgeItem);
  let responsesFile: string | null = null;
  let responses: ResponseToJudge[];
  if (responsesPath !== undefined) {
    responsesFile = await resolveInputFile(responsesPath, "responses.jsonl");
    const ids = new Set(items.map((i) => i.id));
    responses = (await readResponsesFor(responsesFile, ids)).map((r) => ({
      item_id: String(r.item_id),
      response: r.response,
      model: r.model,
    }));
  } else {
    responses = evalItems
      .filter((i) => typeof i.response === "string")
      .map((i) => ({ item_id: String(i.id), response: i.response!, model: i.model ?? null }));
    if (responses.length === 0) {
      throw usageError(
        `The eval set "${evalset}" holds no production responses to judge: ` +
          `pass --responses DIR (a generate artifact)`,
      );
    }
  }
  const models = [...new Set(responses.map((r) => r.model).filter((m): m is string => !!m))];
  return { evalset, evalFile, items, responsesFile, responses, models };
}

/** The result of a run whose artifact exists: read back, nothing requested. */
async function reusedJudgeRun(
  run: PlannedRun,
  options: JudgeRunOptions,
  promptSha: string,
  schema: typeof Judgment,
): Promise<JudgeRunResult> {
  const { records: judgments, meta: facts } = await readFinished(
    run,
    "judgments.jsonl",
    schema,
    options.reporter,
  );
  const meta = metaOf({ meta: facts }, "judge", run.dir);
  const ok = judgments.filter((j) => j.status === "ok").length;
  const counts = { items: judgments.length, ok, failed: judgments.length - ok };
  return {
    ...reusedResult(run),
    judgments,
    stats: {
      ...reusedStats(counts, meta.cost_usd ?? null, options.budgetUsd),
      flagged: judgments.filter((j) => j.flags?.includes("possible_injection")).length,
      judged: 0,
    },
    self_judged: meta.self_judged === true,
    prompt_sha256: promptSha,
  };
}

/**
 * The prompt and dimension set of a run: the prompt file's rubric for a model judge,
 * the heuristic's own five for the heuristic (which takes no prompt).
 *
 * @throws {RangeError} A usage error for a prompt given to the heuristic judge (naming
 * the dimensions it cannot score, when the rubric declares others).
 */
export async function judgeRubric(
  options: { judge: string; prompt?: string },
): Promise<{ prompt: JudgePrompt | undefined; set: DimensionSet }> {
  if (options.judge !== HEURISTIC_JUDGE) {
    const prompt = await loadPrompt(options.prompt);
    return { prompt, set: prompt.rubric };
  }
  if (options.prompt !== undefined) {
    const prompt = await loadPrompt(options.prompt);
    checkHeuristicSet(prompt.rubric, prompt.path);
    throw usageError("--prompt is for an LLM judge; the heuristic judge has no prompt");
  }
  return { prompt: undefined, set: HEURISTIC_DIMENSIONS };
}

/**
 * What a judge run's manifest says of its rubric: the dimension set (`dimensions`,
 * `scale`), and, for a rubric that declares them, each dimension's question, anchors
 * and note (`rubric`), so the review page and the report show the rubric's own words.
 */
export function rubricMeta(
  set: DimensionSet,
  declared: readonly RubricDimension[] | null,
): Record<string, unknown> {
  return { ...dimensionMeta(set), ...(declared ? { rubric: declared } : {}) };
}

/** A file input as the manifest records it. */
async function inputRecord(path: string | undefined, file: string) {
  return { path, file, abs: await Deno.realPath(file), sha256: await sha256File(file) };
}

/** The manifest's judge-specific facts. */
async function judgeMeta(
  input: JudgeInputs,
  options: JudgeRunOptions,
  prompt: JudgePrompt | undefined,
  result: JudgeResult,
  selfJudge: SelfJudgeCheck | null,
  params: { prompt_sha256: string; temperature: number; seed: number | null; source: string },
): Promise<Record<string, unknown>> {
  const heuristic = options.judge === HEURISTIC_JUDGE;
  const promptSha = params.prompt_sha256;
  return {
    judge_model: options.judge,
    judge_family: heuristic ? HEURISTIC_JUDGE : selfJudge?.judge_family ?? null,
    model_family: Object.fromEntries(
      input.models.map((m, i) => [m, selfJudge ? selfJudge.model_families[i] : modelFamily(m)]),
    ),
    self_judged: selfJudge?.self_judged ?? false,
    prompt: heuristic
      ? { name: HEURISTIC_JUDGE, path: null, sha256: promptSha, bands: options.heuristic ?? {} }
      : { name: prompt!.name, path: prompt!.path, sha256: promptSha },
    prompt_sha256: promptSha,
    temperature: params.temperature,
    seed: params.seed,
    source: params.source,
    evalset: await inputRecord(input.evalset, input.evalFile),
    responses: input.responsesFile
      ? await inputRecord(options.responses, input.responsesFile)
      : null,
    models: input.models,
    counts: {
      items: result.stats.items,
      ok: result.stats.ok,
      failed: result.stats.failed,
      flagged: result.stats.flagged,
    },
    cost_usd: result.stats.cost_usd_total,
    price: priceRecord(result, options),
    endpoint: heuristic
      ? null
      : options.client?.endpoint ?? resolveEndpoint(options.clientOptions?.baseURL).endpoint,
    batch_id: result.stats.batch_id,
    structured: result.stats.structured,
  };
}

/** The price used, as the manifest records it. */
export function priceRecord(
  result: { price: JudgeResult["price"] },
  options: { prices?: JudgeRunOptions["prices"] },
): Record<string, unknown> | null {
  if (!result.price) return null;
  return {
    entry: result.price.entry,
    ...result.price.price,
    as_of: (options.prices ?? DEFAULT_PRICES).as_of,
  };
}

/**
 * Judge an eval set's responses and write a judgment-run artifact.
 *
 * @param evalset An eval-set artifact folder (or an `evalset.jsonl`-shaped file).
 * @param options The judge and how to run it.
 * @returns Where the artifact is, whether the run is complete, counts and cost.
 * @throws {TypeError} or {SyntaxError} Bad input, naming file, line and field.
 * @throws {RangeError} Bad usage: self-judging refused, no production responses.
 * @throws {EndpointError} The endpoint refused the run (the journal is kept).
 *
 * @example
 * ```ts
 * import { runJudge } from "./run.ts";
 * import { demoPaths } from "../demo_world.ts";
 * const out = await Deno.makeTempDir();
 * const paths = demoPaths();
 * const run = await runJudge(paths.evalItems, { judge: "heuristic", responses: paths.responses("r10"), out });
 * if (run.judgments.length !== 300 || run.stats.requests !== 0) throw new Error();
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function runJudge(
  evalset: string,
  options: JudgeRunOptions,
): Promise<JudgeRunResult> {
  const out = options.out ?? "runs";
  const heuristic = options.judge === HEURISTIC_JUDGE;
  const input = await readJudgeInputs(evalset, options.responses);
  const selfJudge = heuristic ? null : checkSelfJudging(options.judge, input.models, options);
  const { prompt, set } = await judgeRubric(options);
  const schema = judgmentSchema(set);
  const params = {
    judge: options.judge,
    prompt: heuristic ? HEURISTIC_JUDGE : prompt!.name,
    prompt_sha256: heuristic ? heuristicSha(options.heuristic) : prompt!.sha256,
    temperature: options.temperature ?? 0,
    seed: options.seed === undefined ? 0 : options.seed,
    source: input.responsesFile ? "responses" : "prod",
  };
  const inputs = input.responsesFile ? [input.evalFile, input.responsesFile] : [input.evalFile];
  const spec = { kind: "judge", out, command: "judge", params, seed: params.seed, inputs };
  const base = {
    self_judged: selfJudge?.self_judged ?? false,
    prompt_sha256: params.prompt_sha256,
  };
  return runJournaled(spec, {
    journal: { file: "judgments.jsonl", schema, idOf: (j) => String(j.item_id) },
    total: input.items.length,
    noun: "judgments",
    keep: ["batch.json"],
    reporter: options.reporter,
    now: options.now,
    reuse: (run) => reusedJudgeRun(run, options, params.prompt_sha256, schema),
    work: (journal, run) =>
      judgeItems(input.items, input.responses, {
        ...options,
        prompt,
        cache: runCache("judge", schema, options),
        journal,
        batch: options.batch
          ? {
            ...(options.batch === true ? {} : options.batch),
            statePath: `${run.partialDir}/batch.json`,
          }
          : undefined,
      }),
    unfinished: (result, run, partial) => ({
      ...base,
      artifact: run.dir,
      id: run.id,
      stats: result.stats,
      complete: false,
      reused: false,
      partial,
      judgments: result.judgments,
      budget_refused: result.stats.budget_refused,
      manifest: null,
    }),
    artifact: async (result) => ({
      files: { "judgments.jsonl": toJsonl(result.judgments.map((j) => schema.parse(j))) },
      meta: {
        ...await judgeMeta(input, options, prompt, result, selfJudge, params),
        ...rubricMeta(set, prompt?.rubric.declared ?? null),
      },
    }),
    finished: (result, written) => ({
      ...base,
      artifact: written.dir,
      id: written.id,
      stats: result.stats,
      complete: true,
      reused: false,
      partial: null,
      judgments: result.judgments,
      budget_refused: false,
      manifest: written.manifest,
    }),
  });
}

/** A judgment run read back, with what every report that uses it must say. */
export interface JudgeRun {
  dir: string;
  manifest: Manifest;
  judgments: Judgment[];
  self_judged: boolean;
  /** Lines a report must show, e.g. the self-judging flag. */
  warnings: string[];
}

/**
 * Read a judgment-run artifact: its manifest, its judgments and its flags.
 * Every report that uses a run shows `warnings` (a self-judged run says so).
 *
 * @throws {TypeError} When the folder is not a judge artifact.
 *
 * @example
 * ```ts
 * import { readJudgeRun } from "./run.ts";
 * import { writeArtifact } from "../artifacts.ts";
 * const out = await Deno.makeTempDir();
 * const judgment = (item_id: string, s: number) => JSON.stringify({ item_id, judge_model: "j",
 *   prompt_sha256: "a".repeat(64), scores: { correctness: s, relevance: 4, clarity: 4,
 *   calibration: 4, length: 4 }, rationale: "r", usage: { prompt_tokens: 1, completion_tokens: 1 },
 *   status: "ok" }) + "\n";
 * const run = await writeArtifact({ kind: "judge", out, command: "judge", params: {},
 *   files: { "judgments.jsonl": judgment("q1", 2) + judgment("q2", 5) },
 *   meta: { judge_model: "j", prompt_sha256: "a".repeat(64), models: ["m"] } });
 * const read = await readJudgeRun(run.dir);
 * if (read.judgments.length !== 2 || read.self_judged) throw new Error();
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function readJudgeRun(dir: string): Promise<JudgeRun> {
  const manifest = await readManifest(dir);
  if (manifest.kind !== "judge") {
    throw new TypeError(`Cannot read "${dir}": a ${manifest.kind} artifact, not a judge run`);
  }
  const schema = judgmentSchema(dimensionSetOf(manifest));
  const judgments = await readRecords(`${dir}/judgments.jsonl`, schema, { allowEmpty: true });
  const meta = metaOf(manifest, "judge", dir);
  const warnings: string[] = [];
  if (meta.self_judged) {
    warnings.push(
      `self-judged: the judge "${meta.judge_model}" is from the same family (${meta.judge_family}) ` +
        `as a judged model (run with --allow-self-judge)`,
    );
  }
  if (meta.judge_model === HEURISTIC_JUDGE) {
    warnings.push("heuristic judge: a weak text-feature baseline, not an LLM judgment");
  }
  const failed = judgments.filter((j) => j.status === "failed").length;
  if (failed > 0) warnings.push(`${failed} of ${judgments.length} judgments failed (no scores)`);
  return { dir, manifest, judgments, self_judged: meta.self_judged === true, warnings };
}
