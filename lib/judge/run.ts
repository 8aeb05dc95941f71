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
import { inputError, type InputIssue, usageError } from "../_errors.ts";
import { sha256File } from "../_hash.ts";
import { type Manifest, planArtifact, readManifest, writeArtifact } from "../artifacts.ts";
import { iterateRecords, readRecords } from "../io/read.ts";
import { toJsonl } from "../io/write.ts";
import { EvalItem, Judgment, KINDS, Response } from "../schemas.ts";
import { fileCache } from "./cache.ts";
import { OPENAI_BASE_URL, safeEndpoint } from "./client.ts";
import { DEFAULT_PRICES } from "./cost.ts";
import { checkSelfJudging, modelFamily } from "./family.ts";
import { HEURISTIC_JUDGE, heuristicSha } from "./heuristic.ts";
import { openJournal } from "./journal.ts";
import {
  judgeItems,
  type JudgeOptions,
  type JudgeResult,
  type JudgeStats,
  type ResponseToJudge,
} from "./judge.ts";
import type { BatchOptions } from "./batch.ts";
import { type JudgeItem, type JudgePrompt, loadPrompt } from "./prompt.ts";

/** The main file of an artifact folder, or the path itself when it is a file. */
export async function resolveInputFile(path: string, mainFile: string): Promise<string> {
  let stat: Deno.FileInfo;
  try {
    stat = await Deno.stat(path);
  } catch {
    throw inputError([{ file: path, line: 0, problem: "no such file or folder", kind: "type" }]);
  }
  if (!stat.isDirectory) return path;
  const file = `${path.replace(/\/+$/, "")}/${mainFile}`;
  try {
    await Deno.stat(file);
  } catch {
    throw inputError([{
      file: path,
      line: 0,
      problem: `not an artifact folder holding ${mainFile}`,
      kind: "type",
    }]);
  }
  return file;
}

/** An eval item as the judge sees it. */
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
  extends Omit<JudgeOptions, "prompt" | "cache" | "journal" | "batch"> {
  /** Responses to judge: a generate artifact folder or a responses JSONL file. @default the eval set's production responses */
  responses?: string;
  /** A judge prompt file. @default the bundled rubric-v1 */
  prompt?: string;
  /** Where artifacts go. @default "runs" */
  out?: string;
  /** The cache folder. @default `<out>/.cache/judge` */
  cacheDir?: string;
  /** Do not read or write the cache. @default false */
  noCache?: boolean;
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

/**
 * Judge an eval set's responses and write a judgment-run artifact.
 *
 * @param evalset An eval-set artifact folder (or an `evalset.jsonl`-shaped file).
 * @param options The judge and how to run it.
 * @returns Where the artifact is, whether the run is complete, counts and cost.
 * @throws {TypeError} or {SyntaxError} Bad input, naming file, line and field.
 * @throws {RangeError} Bad usage: self-judging refused, no production responses, a fatal endpoint error.
 */
export async function runJudge(
  evalset: string,
  options: JudgeRunOptions,
): Promise<JudgeRunResult> {
  const out = options.out ?? "runs";
  const heuristic = options.judge === HEURISTIC_JUDGE;
  const evalFile = await resolveInputFile(evalset, "evalset.jsonl");
  const evalItems = await readRecords(evalFile, EvalItem, { key: KINDS.evalset.key });
  const items = evalItems.map(toJudgeItem);
  const ids = new Set(items.map((i) => i.id));

  let responsesFile: string | null = null;
  let responses: ResponseToJudge[];
  if (options.responses !== undefined) {
    responsesFile = await resolveInputFile(options.responses, "responses.jsonl");
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
  const selfJudge = heuristic ? null : checkSelfJudging(options.judge, models, options);

  const prompt: JudgePrompt | undefined = heuristic ? undefined : await loadPrompt(options.prompt);
  const promptSha = heuristic ? heuristicSha(options.heuristic) : prompt!.sha256;
  const temperature = options.temperature ?? 0;
  const seed = options.seed === undefined ? 0 : options.seed;
  const params = {
    judge: options.judge,
    prompt: heuristic ? HEURISTIC_JUDGE : prompt!.name,
    prompt_sha256: promptSha,
    temperature,
    seed,
    source: responsesFile ? "responses" : "prod",
  };
  const inputs = responsesFile ? [evalFile, responsesFile] : [evalFile];
  const plan = await planArtifact({ kind: "judge", out, command: "judge", params, seed, inputs });

  const existing = await readManifest(plan.dir).catch(() => null);
  if (existing) {
    const judgments = await readRecords(`${plan.dir}/judgments.jsonl`, Judgment, {
      allowEmpty: true,
    });
    options.reporter?.info(`artifact  ${plan.dir} exists: nothing to judge (0 requests)`);
    // A run killed between writing the artifact and removing its journal leaves one behind.
    await removePartial(`${out}/.partial/judge-${plan.id}`);
    const meta = existing.meta as { self_judged?: boolean; cost_usd?: number | null };
    return {
      artifact: plan.dir,
      id: plan.id,
      complete: true,
      reused: true,
      partial: null,
      judgments,
      stats: reusedStats(judgments, meta.cost_usd ?? null, options.budgetUsd),
      self_judged: meta.self_judged === true,
      prompt_sha256: promptSha,
      budget_refused: false,
      manifest: existing,
    };
  }

  const partialDir = `${out}/.partial/judge-${plan.id}`;
  const journal = await openJournal(
    `${partialDir}/judgments.jsonl`,
    Judgment,
    (j) => String(j.item_id),
  );
  if (journal.existing.size > 0) {
    options.reporter?.info(
      `resuming  ${journal.existing.size} of ${items.length} judgments found in ${journal.path}` +
        (journal.dropped > 0 ? ` (${journal.dropped} torn or repeated lines ignored)` : ""),
    );
  }
  let result: JudgeResult;
  try {
    result = await judgeItems(items, responses, {
      ...options,
      prompt,
      cache: options.noCache
        ? undefined
        : fileCache(options.cacheDir ?? `${out}/.cache/judge`, Judgment),
      journal,
      batch: options.batch
        ? {
          ...(options.batch === true ? {} : options.batch),
          statePath: `${partialDir}/batch.json`,
        }
        : undefined,
    });
  } finally {
    await journal.close();
  }

  if (!result.complete) {
    const empty = (await Deno.stat(journal.path)).size === 0;
    const batchPending = await Deno.stat(`${partialDir}/batch.json`).then(() => true, () => false);
    if (empty && !batchPending) await removePartial(partialDir);
    return {
      artifact: plan.dir,
      id: plan.id,
      complete: false,
      reused: false,
      partial: empty && !batchPending ? null : journal.path,
      judgments: result.judgments,
      stats: result.stats,
      self_judged: selfJudge?.self_judged ?? false,
      prompt_sha256: promptSha,
      budget_refused: result.stats.budget_refused,
      manifest: null,
    };
  }

  const judgments = result.judgments.map((j) => Judgment.parse(j));
  const familyOf = Object.fromEntries(
    models.map((m, i) => [m, selfJudge ? selfJudge.model_families[i] : modelFamily(m)]),
  );
  const written = await writeArtifact({
    kind: "judge",
    out,
    command: "judge",
    params,
    seed,
    inputs,
    files: { "judgments.jsonl": toJsonl(judgments) },
    now: options.now,
    meta: {
      judge_model: options.judge,
      judge_family: heuristic ? HEURISTIC_JUDGE : selfJudge?.judge_family ?? null,
      model_family: familyOf,
      self_judged: selfJudge?.self_judged ?? false,
      prompt: heuristic
        ? { name: HEURISTIC_JUDGE, path: null, sha256: promptSha, bands: options.heuristic ?? {} }
        : { name: prompt!.name, path: prompt!.path, sha256: promptSha },
      prompt_sha256: promptSha,
      temperature,
      seed,
      source: params.source,
      evalset: {
        path: evalset,
        file: evalFile,
        abs: await Deno.realPath(evalFile),
        sha256: await sha256File(evalFile),
      },
      responses: responsesFile
        ? {
          path: options.responses,
          file: responsesFile,
          abs: await Deno.realPath(responsesFile),
          sha256: await sha256File(responsesFile),
        }
        : null,
      models,
      counts: {
        items: result.stats.items,
        ok: result.stats.ok,
        failed: result.stats.failed,
        flagged: result.stats.flagged,
      },
      cost_usd: result.stats.cost_usd_total,
      price: result.price
        ? {
          entry: result.price.entry,
          ...result.price.price,
          as_of: (options.prices ?? DEFAULT_PRICES).as_of,
        }
        : null,
      endpoint: heuristic ? null : options.client?.endpoint ??
        safeEndpoint(options.clientOptions?.baseURL ?? envBaseUrl() ?? OPENAI_BASE_URL),
      batch_id: result.stats.batch_id,
      structured: result.stats.structured,
    },
  });
  await removePartial(partialDir);
  return {
    artifact: written.dir,
    id: written.id,
    complete: true,
    reused: false,
    partial: null,
    judgments,
    stats: result.stats,
    self_judged: selfJudge?.self_judged ?? false,
    prompt_sha256: promptSha,
    budget_refused: false,
    manifest: written.manifest,
  };
}

/** Remove a run's partial folder, and `.partial/` itself when nothing else is in it. */
export async function removePartial(partialDir: string): Promise<void> {
  await Deno.remove(partialDir, { recursive: true }).catch(() => {});
  await Deno.remove(partialDir.slice(0, partialDir.lastIndexOf("/"))).catch(() => {});
}

function envBaseUrl(): string | undefined {
  try {
    return Deno.env.get("OPENAI_BASE_URL");
  } catch {
    return undefined;
  }
}

function reusedStats(
  judgments: Judgment[],
  costTotal: number | null,
  budget: number | undefined,
): JudgeStats {
  return {
    items: judgments.length,
    ok: judgments.filter((j) => j.status === "ok").length,
    failed: judgments.filter((j) => j.status === "failed").length,
    flagged: judgments.filter((j) => j.flags?.includes("possible_injection")).length,
    cached: 0,
    resumed: 0,
    judged: 0,
    missing: 0,
    requests: 0,
    retries: 0,
    rate_limited: 0,
    cost_usd: 0,
    cost_usd_total: costTotal,
    estimate_usd: 0,
    budget_usd: budget ?? null,
    budget_stopped: false,
    budget_refused: false,
    lowest_concurrency: null,
    structured: null,
    batch_id: null,
  };
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
 */
export async function readJudgeRun(dir: string): Promise<JudgeRun> {
  const manifest = await readManifest(dir);
  if (manifest.kind !== "judge") {
    throw new TypeError(`Cannot read "${dir}": a ${manifest.kind} artifact, not a judge run`);
  }
  const judgments = await readRecords(`${dir}/judgments.jsonl`, Judgment, { allowEmpty: true });
  const meta = manifest.meta as {
    self_judged?: boolean;
    judge_model?: string;
    judge_family?: string | null;
    counts?: { failed?: number };
  };
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
