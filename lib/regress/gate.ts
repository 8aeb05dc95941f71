/**
 * The regression gate (SPEC §1.4, §3 `regress`): a new version must not
 * regress on the held-out set of real past failures.
 *
 * For every case the gate gets the version's response (it generates one
 * through the same client as `generate`, or reads a responses artifact or
 * JSONL file made elsewhere), judges it against the case's
 * `expected_behavior` with the judge library (an LLM judge sees the expected
 * behaviour in its prompt; see `lib/judge/prompt.ts`), and applies the case's
 * checks ({@link checkCase}: `min_scores`, `must_include`,
 * `must_not_include`).
 *
 * The gate's rule, and so its exit code:
 * - with a baseline (a previous gate artifact), a *regression* is a case that
 *   passed on the baseline and fails now; the gate fails on any regression. A
 *   case the baseline failed too, or did not have (added since), does not fail
 *   the gate, but is listed.
 * - without a baseline, the gate fails on any failing case: that is the safe
 *   reading of "no version may regress on a known failure" when there is
 *   nothing to compare with.
 *
 * The result is a `gate-<id>/` artifact: `gate.json` (the verdict, every case's
 * checks and scores), `judgments.jsonl`, and `responses.jsonl` when the gate
 * generated them. A rerun with the same inputs finds the artifact and makes no
 * request. A run left unfinished (responses or judgments missing after every
 * retry) writes no artifact: its finished calls are cached, so rerunning the
 * same command finishes it.
 *
 * @module
 */
import { z } from "zod";
import { usageError } from "../_errors.ts";
import { sha256, sha256File } from "../_hash.ts";
import { planArtifact, readManifest, writeArtifact } from "../artifacts.ts";
import { readArtifact } from "../artifact_kinds.ts";
import { readRecords } from "../io/read.ts";
import { toJsonl } from "../io/write.ts";
import type { Reporter } from "../reporter.ts";
import { type Judgment, KINDS, RegressionCase, Response } from "../schemas.ts";
import {
  DEFAULT_DIMENSION_SET,
  type DimensionSet,
  judgmentSchema,
  regressionCaseSchema,
  sameSet,
  scaleLabel,
} from "../dimensions.ts";
import { runCache } from "../llm/run.ts";
import type { ChatClient, ChatClientOptions } from "../llm/client.ts";
import type { PriceTable } from "../llm/cost.ts";
import type { SelfJudgeOptions } from "../judge/family.ts";
import { HEURISTIC_JUDGE, type HeuristicOptions, heuristicSha } from "../judge/heuristic.ts";
import { judgeItems, type ResponseToJudge } from "../judge/judge.ts";
import type { JudgeItem, JudgePrompt } from "../judge/prompt.ts";
import { judgeRubric, readResponsesFor, resolveInputFile, rubricMeta } from "../judge/run.ts";
import { generateResponses, GenerationFailure, readSystemPrompt } from "../generate/generate.ts";
import { type CaseCheck, checkCase } from "./checks.ts";
import { GateCaseResult, GateReport } from "./gate_report.ts";

/** Options for {@link runGate}. */
export interface GateOptions extends SelfJudgeOptions {
  /** The regression cases file (JSONL or CSV of RegressionCase records). */
  cases: string;
  /** The version's responses: a responses artifact folder or a responses JSONL file (item_id = case id). Give this or `model`. */
  responses?: string;
  /** The model under test: its responses are generated. Give this or `responses`. */
  model?: string;
  /** A file whose text is the model's system prompt (with `model`). @default none */
  systemPrompt?: string;
  /** The judge model, or `"heuristic"` for the offline judge. */
  judge: string;
  /** A judge prompt file; its rubric's dimensions are the ones `min_scores` may name. @default the bundled rubric-v1 */
  prompt?: string;
  /** A previous gate artifact folder: regressions are counted against it. @default none */
  baseline?: string;
  /** Where artifacts go. @default "runs" */
  out?: string;
  /** The model's endpoint and limits (with `model`). @default {} */
  modelClientOptions?: ChatClientOptions;
  /** The model's client. @default one made from `modelClientOptions` */
  modelClient?: ChatClient;
  /** The judge's endpoint and limits. @default {} */
  judgeClientOptions?: ChatClientOptions;
  /** The judge's client. @default one made from `judgeClientOptions` */
  judgeClient?: ChatClient;
  /** Sampling temperature of the model and the judge. @default 0 */
  temperature?: number;
  /** Seed sent where the endpoint supports it; null sends none. @default 0 */
  seed?: number | null;
  /** The price table. @default the bundled lib/llm/prices.json */
  prices?: PriceTable;
  /** Length bands of the heuristic judge. @default {} */
  heuristic?: HeuristicOptions;
  /** The cache root: `<cacheDir>/generate` and `<cacheDir>/judge`. @default the user's cache (`$EVALKIT_CACHE_DIR`, …) */
  cacheDir?: string;
  /** Neither read nor write the caches. @default false */
  noCache?: boolean;
  /** Progress and warnings. @default none */
  reporter?: Reporter;
  /** The clock for the manifest. @default () => new Date() */
  now?: () => Date;
}

export { GateCaseResult, GateReport } from "./gate_report.ts";

/** What {@link runGate} returns. */
export interface GateResult {
  /** The artifact folder (planned, when the run is unfinished). */
  artifact: string;
  id: string;
  /** Every case got a response and a judgment (or a recorded failure). */
  complete: boolean;
  /** The artifact existed already: nothing was generated or judged. */
  reused: boolean;
  /** The report; null when the run is unfinished. */
  report: GateReport | null;
  /** Cases left without a response or judgment after every retry (rerun to finish). */
  missing: string[];
  /** HTTP requests made (generation and judging, retries included). */
  requests: number;
  /** 0 the gate passed, 1 it failed (or the run is unfinished). */
  exitCode: 0 | 1;
}

const CacheEntry = z.union([Response, GenerationFailure]);

/** The last component of a path (a folder or file name). */
function folderName(path: string): string {
  return path.replace(/\/+$/, "").split("/").pop() ?? path;
}

/**
 * A regression case as the judge sees it: its conversation and its expected behaviour.
 *
 * @example
 * ```ts
 * import { caseToJudgeItem } from "./gate.ts";
 * const item = caseToJudgeItem({ id: "case-1", query: "Undo a void?", added_on: "2026-06-04",
 *   source: "INC-1", expected_behavior: "Says a void cannot be undone." } as never);
 * if (item.id !== "case-1" || !item.expected_behavior) throw new Error();
 * ```
 */
export function caseToJudgeItem(regressionCase: RegressionCase): JudgeItem {
  return {
    id: String(regressionCase.id),
    ...(regressionCase.query !== undefined ? { query: regressionCase.query } : {}),
    ...(regressionCase.messages !== undefined ? { messages: regressionCase.messages } : {}),
    expected_behavior: regressionCase.expected_behavior,
  };
}

/**
 * Read a regression-cases file: every record valid, ids unique, `min_scores` naming only
 * dimensions of `set` (the judge rubric's) on its scale.
 *
 * @throws {TypeError} or {SyntaxError} naming file, line and field.
 *
 * @example
 * ```ts
 * import { readCases } from "./gate.ts";
 * import { demoPaths } from "../demo_world.ts";
 * if ((await readCases(demoPaths().cases)).length !== 30) throw new Error();
 * ```
 */
export async function readCases(
  file: string,
  set: DimensionSet = DEFAULT_DIMENSION_SET,
): Promise<RegressionCase[]> {
  return await readRecords(file, regressionCaseSchema(set), { key: KINDS.cases.key });
}

/**
 * A gate artifact's report, read through its schema.
 *
 * @throws {TypeError} (exit 2) when the folder is not a gate artifact, or its gate.json is broken.
 *
 * @example
 * ```ts
 * import { readGate } from "./gate.ts";
 * const dir = await Deno.makeTempDir();
 * const error = await readGate(dir).catch((e) => e);
 * if (!/not an artifact folder/.test(String(error))) throw new Error(String(error));
 * await Deno.remove(dir);
 * ```
 */
export async function readGate(dir: string): Promise<GateReport> {
  return (await readArtifact(dir, "gate", "--baseline")).data;
}

/**
 * The verdict from every case's checks and the baseline's: pure.
 *
 * @param checks Each case's checks now.
 * @param baseline Each case id's result on the baseline (`true` passed); `null` without a baseline.
 * @returns The regressions, fixed, still-failing and new-failing cases, and the verdict.
 *
 * @example
 * ```ts
 * import { gateVerdict } from "./gate.ts";
 * const now = [
 *   { id: "a", passed: false, failures: [], reason: "correctness 2 < 3" },
 *   { id: "b", passed: true, failures: [], reason: "" },
 * ];
 * const v = gateVerdict(now, new Map([["a", true], ["b", false]]));
 * if (v.verdict !== "failed" || v.regressions[0].id !== "a" || v.fixed[0] !== "b") throw new Error();
 * if (gateVerdict(now.slice(1), null).verdict !== "passed") throw new Error();
 * ```
 */
export function gateVerdict(
  checks: readonly CaseCheck[],
  baseline: ReadonlyMap<string, boolean> | null,
): Pick<
  GateReport,
  "verdict" | "rule" | "regressions" | "fixed" | "still_failing" | "new_failing"
> {
  const regressions: { id: string; reason: string }[] = [];
  const fixed: string[] = [];
  const still: string[] = [];
  const fresh: string[] = [];
  for (const c of checks) {
    const before = baseline?.get(c.id);
    if (before === undefined) {
      if (!c.passed) fresh.push(c.id);
    } else if (before && !c.passed) regressions.push({ id: c.id, reason: c.reason });
    else if (!before && c.passed) fixed.push(c.id);
    else if (!before && !c.passed) still.push(c.id);
  }
  if (baseline === null) {
    return {
      verdict: fresh.length > 0 ? "failed" : "passed",
      rule: "no baseline: any failing case fails the gate",
      regressions: [],
      fixed: [],
      still_failing: [],
      new_failing: fresh,
    };
  }
  return {
    verdict: regressions.length > 0 ? "failed" : "passed",
    rule:
      "a case that passed on the baseline and fails now is a regression; any regression fails the gate",
    regressions,
    fixed,
    still_failing: still,
    new_failing: fresh,
  };
}

/**
 * Run the regression gate and write a gate artifact.
 *
 * @param options The cases, the version (responses or a model), the judge, the baseline.
 * @returns The artifact, the report and the exit code (1 on a failed gate or an unfinished run).
 * @throws {TypeError} or {SyntaxError} Bad input (cases, responses, baseline), naming file, line and field.
 * @throws {RangeError} Bad usage: both or neither of `responses` and `model`, self-judging refused.
 *
 * @example The offline judge on two releases' answers to one case
 * ```ts
 * import { runGate } from "./gate.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/cases.jsonl`, JSON.stringify({ id: "case-1",
 *   query: "Can I undo a void?", expected_behavior: "Says a void cannot be undone.",
 *   added_on: "2026-06-04", source: "INC-1", must_include: ["cannot be undone"] }) + "\n");
 * const answer = (response: string) => JSON.stringify({ item_id: "case-1", model: "m",
 *   response, latency_ms: 1, usage: { prompt_tokens: 1, completion_tokens: 1 } }) + "\n";
 * await Deno.writeTextFile(`${dir}/old.jsonl`, answer("A void cannot be undone."));
 * await Deno.writeTextFile(`${dir}/new.jsonl`, answer("Open the invoice and undo it."));
 * const base = await runGate({ cases: `${dir}/cases.jsonl`, responses: `${dir}/old.jsonl`,
 *   judge: "heuristic", out: `${dir}/runs` });
 * const gate = await runGate({ cases: `${dir}/cases.jsonl`, responses: `${dir}/new.jsonl`,
 *   judge: "heuristic", baseline: base.artifact, out: `${dir}/runs` });
 * if (base.exitCode !== 0 || gate.exitCode !== 1) throw new Error("gate");
 * if (gate.report!.regressions[0].reason !== 'missing "cannot be undone"') throw new Error();
 * ```
 */
export async function runGate(options: GateOptions): Promise<GateResult> {
  const setup = await planGate(options);
  const { plan } = setup;
  if (await readManifest(plan.dir).then(() => true, () => false)) return await reusedGate(setup);
  const answers = await gateResponses(setup, options);
  const judged = await gateJudgments(setup, options, answers.responses);
  const missing = [...answers.missing, ...judged.missing];
  if (missing.length > 0) {
    options.reporter?.warn(
      `${missing.length} cases left without a response or judgment after every retry: ` +
        `no gate artifact written; rerun the same command to finish (done calls are cached)`,
    );
    return {
      artifact: plan.dir,
      id: plan.id,
      complete: false,
      reused: false,
      report: null,
      missing,
      requests: answers.requests + judged.stats.requests,
      exitCode: 1,
    };
  }
  const report = gateReport(setup, options, answers, judged);
  for (const w of report.warnings) options.reporter?.warn(w);
  const written = await writeGate(setup, options, report, answers.responses, judged);
  return {
    artifact: written.dir,
    id: written.id,
    complete: true,
    reused: false,
    report,
    missing: [],
    requests: answers.requests + judged.stats.requests,
    exitCode: report.verdict === "passed" ? 0 : 1,
  };
}

/** What a gate run settles before any call: the cases, the baseline, the judge, the plan. */
interface GateSetup {
  out: string;
  cases: RegressionCase[];
  items: JudgeItem[];
  ids: Set<string>;
  baseline: GateReport | null;
  heuristic: boolean;
  prompt: JudgePrompt | undefined;
  /** The judge rubric's dimension set. */
  set: DimensionSet;
  promptSha: string;
  temperature: number;
  seed: number | null;
  systemPrompt: string | undefined;
  responsesFile: string | null;
  params: Record<string, unknown> & { baseline: string | null };
  inputs: string[];
  plan: { id: string; dir: string };
}

function checkGateOptions(options: GateOptions): void {
  if ((options.responses === undefined) === (options.model === undefined)) {
    throw usageError(
      "Give the version under test either as --model M (its responses are generated) " +
        "or as --responses DIR (a responses artifact or JSONL file), not both or neither",
    );
  }
  if (options.systemPrompt !== undefined && options.model === undefined) {
    throw usageError("--system-prompt goes with --model (the responses are generated)");
  }
}

/** Read the cases and the baseline, settle the judge and prompt, and plan the artifact. */
async function planGate(options: GateOptions): Promise<GateSetup> {
  checkGateOptions(options);
  const out = options.out ?? "runs";
  const { prompt, set } = await judgeRubric(options);
  const cases = await readCases(options.cases, set);
  const items = cases.map(caseToJudgeItem);
  const baseline = options.baseline === undefined ? null : await readGate(options.baseline);
  const heuristic = options.judge === HEURISTIC_JUDGE;
  const promptSha = heuristic ? heuristicSha(options.heuristic) : prompt!.sha256;
  const temperature = options.temperature ?? 0;
  const seed = options.seed === undefined ? 0 : options.seed;
  const systemPrompt = await readSystemPrompt(options.systemPrompt);
  const responsesFile = options.responses === undefined
    ? null
    : await resolveInputFile(options.responses, "responses.jsonl");
  const params = {
    judge: options.judge,
    prompt_sha256: promptSha,
    model: options.model ?? null,
    system_prompt_sha256: systemPrompt === undefined ? null : sha256(systemPrompt),
    source: responsesFile ? "responses" : "generate",
    temperature,
    seed,
    baseline: baseline ? (await readManifest(options.baseline!)).id : null,
  };
  const inputs = [
    options.cases,
    ...(responsesFile ? [responsesFile] : []),
    ...(options.systemPrompt ? [options.systemPrompt] : []),
    ...(options.baseline ? [`${options.baseline.replace(/\/+$/, "")}/gate.json`] : []),
  ];
  const plan = await planArtifact({ kind: "gate", out, command: "regress", params, seed, inputs });
  return {
    out,
    cases,
    items,
    ids: new Set(items.map((i) => i.id)),
    baseline,
    heuristic,
    prompt,
    set,
    promptSha,
    temperature,
    seed,
    systemPrompt,
    responsesFile,
    params,
    inputs,
    plan,
  };
}

/** The gate already written for the same inputs: read back, nothing called. */
async function reusedGate(setup: GateSetup): Promise<GateResult> {
  const report = await readGate(setup.plan.dir);
  return {
    artifact: setup.plan.dir,
    id: setup.plan.id,
    complete: true,
    reused: true,
    report,
    missing: [],
    requests: 0,
    exitCode: report.verdict === "passed" ? 0 : 1,
  };
}

/** The version's answers to the cases: read from a file, or generated. */
interface GateAnswers {
  responses: Response[];
  /** Case id → why it has no response. */
  noResponse: Map<string, string>;
  missing: string[];
  requests: number;
}

async function gateResponses(setup: GateSetup, options: GateOptions): Promise<GateAnswers> {
  const noResponse = new Map<string, string>();
  const file = setup.responsesFile;
  if (file) {
    const responses = await readResponsesFor(file, setup.ids, "regression case");
    const answered = new Set(responses.map((r) => String(r.item_id)));
    for (const id of setup.ids) if (!answered.has(id)) noResponse.set(id, `none in ${file}`);
    if (noResponse.size > 0) {
      options.reporter?.warn(
        `${noResponse.size} of ${setup.ids.size} cases have no response in "${file}": they fail`,
      );
    }
    return { responses, noResponse, missing: [], requests: 0 };
  }
  const caching = { cacheDir: options.cacheDir, noCache: options.noCache };
  const generated = await generateResponses(setup.items, {
    model: options.model!,
    systemPrompt: setup.systemPrompt,
    temperature: setup.temperature,
    seed: setup.seed,
    client: options.modelClient,
    clientOptions: options.modelClientOptions,
    prices: options.prices,
    cache: runCache("generate", CacheEntry, caching),
    reporter: options.reporter,
  });
  for (const f of generated.failures) noResponse.set(String(f.item_id), f.error);
  return {
    responses: generated.responses,
    noResponse,
    missing: [...generated.missing],
    requests: generated.stats.requests,
  };
}

/** The judge, against each answered case's expected behaviour. */
async function gateJudgments(
  setup: GateSetup,
  options: GateOptions,
  responses: readonly Response[],
) {
  const toJudge: ResponseToJudge[] = responses.map((r) => ({
    item_id: String(r.item_id),
    response: r.response,
    model: r.model,
  }));
  const answeredIds = new Set(toJudge.map((r) => r.item_id));
  const caching = { cacheDir: options.cacheDir, noCache: options.noCache };
  return await judgeItems(setup.items.filter((i) => answeredIds.has(i.id)), toJudge, {
    judge: options.judge,
    prompt: setup.prompt,
    client: options.judgeClient,
    clientOptions: options.judgeClientOptions,
    temperature: setup.temperature,
    seed: setup.seed,
    prices: options.prices,
    heuristic: options.heuristic,
    cache: runCache("judge", judgmentSchema(setup.set), caching),
    judgeFamily: options.judgeFamily,
    modelFamily: options.modelFamily,
    allowSelfJudge: options.allowSelfJudge,
    reporter: options.reporter,
  });
}

type GateJudged = Awaited<ReturnType<typeof gateJudgments>>;

/** Each case checked, with its baseline outcome; and the verdict. */
export function caseResults(
  cases: readonly RegressionCase[],
  answers: Pick<GateAnswers, "responses" | "noResponse">,
  judgments: readonly Judgment[],
  baseline: GateReport | null,
): { results: GateCaseResult[]; verdict: ReturnType<typeof gateVerdict> } {
  const responseOf = new Map(answers.responses.map((r) => [String(r.item_id), r.response]));
  const judgmentOf = new Map(judgments.map((j) => [String(j.item_id), j]));
  const checks = cases.map((c) => {
    const id = String(c.id);
    const j = judgmentOf.get(id);
    return checkCase(c, {
      response: responseOf.get(id) ?? null,
      responseError: answers.noResponse.get(id),
      scores: j?.status === "ok" ? j.scores : null,
      judgeError: j?.error,
    });
  });
  const baselineOf = baseline ? new Map(baseline.results.map((r) => [r.id, r.passed])) : null;
  const results: GateCaseResult[] = cases.map((c, i) => {
    const id = String(c.id);
    const j = judgmentOf.get(id);
    return {
      id,
      source: c.source,
      passed: checks[i].passed,
      reason: checks[i].reason,
      failures: checks[i].failures,
      scores: j?.status === "ok" ? j.scores : null,
      min_scores: definedScores(c.min_scores ?? {}),
      baseline: baselineOf?.has(id) ? (baselineOf.get(id) ? "passed" : "failed") : null,
      case_sha256: sha256(JSON.stringify(c)),
    };
  });
  return { results, verdict: gateVerdict(checks, baselineOf) };
}

/** The named minimums of a case (a key whose value is undefined dropped). */
function definedScores(scores: Partial<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(scores).filter((e): e is [string, number] => e[1] !== undefined),
  );
}

/** What a reader of the verdict must know: self-judging, the heuristic, a changed judge or case. */
export function gateWarnings(
  judge: { model: string; prompt_sha256: string; self_judged: boolean; family: string | null },
  heuristic: boolean,
  baseline: GateReport | null,
  results: readonly GateCaseResult[],
  set?: DimensionSet,
): string[] {
  const warnings: string[] = [];
  if (judge.self_judged) {
    warnings.push(
      `self-judged: the judge "${judge.model}" is from the same family ` +
        `(${judge.family}) as the model under test`,
    );
  }
  if (heuristic) {
    warnings.push(
      "heuristic judge: a weak text-feature baseline that reads expected_behavior by word " +
        "overlap (facts to state, wrong claims not to make), not by meaning",
    );
  }
  if (!baseline) return warnings;
  if (
    baseline.judge.model !== judge.model || baseline.judge.prompt_sha256 !== judge.prompt_sha256
  ) {
    warnings.push(
      `the baseline was judged by "${baseline.judge.model}" (prompt ${
        baseline.judge.prompt_sha256.slice(0, 12)
      }), this run by "${judge.model}" (prompt ${judge.prompt_sha256.slice(0, 12)}): ` +
        `a change of verdict may be the judge's, not the model's`,
    );
  }
  const before = new Map(baseline.results.map((r) => [r.id, r.case_sha256]));
  if (set !== undefined && !sameSet(baseline, set)) {
    warnings.push(
      `the baseline scored ${baseline.dimensions.join(", ")} on ${
        scaleLabel(baseline.scale)
      }, this run ${set.dimensions.join(", ")} on ${scaleLabel(set.scale)}: ` +
        `a case's minimum scores may not mean the same on both`,
    );
  }
  const edited = results.filter((r) => before.has(r.id) && before.get(r.id) !== r.case_sha256);
  if (edited.length > 0) {
    warnings.push(
      `${edited.length} cases differ from the baseline's copy (${
        edited.slice(0, 5).map((r) => r.id).join(", ")
      }): the regression file is meant to be append-only`,
    );
  }
  return warnings;
}

function gateReport(
  setup: GateSetup,
  options: GateOptions,
  answers: GateAnswers,
  judged: GateJudged,
): GateReport {
  const { cases, baseline, heuristic, promptSha } = setup;
  const { results, verdict } = caseResults(cases, answers, judged.judgments, baseline);
  const selfJudged = judged.self_judge?.self_judged ?? false;
  const family = heuristic ? HEURISTIC_JUDGE : judged.self_judge?.judge_family ?? null;
  const failed = results.filter((r) => !r.passed).length;
  return {
    verdict: verdict.verdict,
    rule: verdict.rule,
    cases: cases.length,
    passed: cases.length - failed,
    failed,
    regressions: verdict.regressions,
    fixed: verdict.fixed,
    still_failing: verdict.still_failing,
    new_failing: verdict.new_failing,
    judge: {
      model: options.judge,
      prompt_sha256: promptSha,
      judge_family: family,
      self_judged: selfJudged,
    },
    version: {
      models: [...new Set(answers.responses.map((r) => r.model))].sort(),
      source: setup.responsesFile ? "responses" : "generate",
      responses: options.responses === undefined ? null : folderName(options.responses),
    },
    baseline: baseline
      ? {
        artifact: folderName(options.baseline!),
        id: setup.params.baseline!,
        verdict: baseline.verdict,
        failed: baseline.failed,
        judge_model: baseline.judge.model,
        prompt_sha256: baseline.judge.prompt_sha256,
      }
      : null,
    dimensions: [...setup.set.dimensions],
    scale: { min: setup.set.scale.min, max: setup.set.scale.max },
    results,
    warnings: gateWarnings(
      {
        model: options.judge,
        prompt_sha256: promptSha,
        self_judged: selfJudged,
        family: judged.self_judge?.judge_family ?? null,
      },
      heuristic,
      baseline,
      results,
      setup.set,
    ),
  };
}

async function writeGate(
  setup: GateSetup,
  options: GateOptions,
  report: GateReport,
  responses: readonly Response[],
  judged: GateJudged,
) {
  const files: Record<string, string> = {
    "gate.json": JSON.stringify(report, null, 2) + "\n",
    "judgments.jsonl": toJsonl(judged.judgments),
  };
  if (!setup.responsesFile) files["responses.jsonl"] = toJsonl(responses);
  return await writeArtifact({
    kind: "gate",
    out: setup.out,
    command: "regress",
    params: setup.params,
    seed: setup.seed,
    inputs: setup.inputs,
    files,
    now: options.now,
    meta: {
      judge_model: options.judge,
      prompt_sha256: setup.promptSha,
      ...rubricMeta(setup.set, setup.prompt?.rubric.declared ?? null),
      self_judged: report.judge.self_judged,
      cases: { path: options.cases, sha256: await sha256File(options.cases) },
      responses: options.responses ?? null,
      baseline: options.baseline ?? null,
      verdict: report.verdict,
      counts: {
        cases: report.cases,
        failed: report.failed,
        regressions: report.regressions.length,
      },
    },
  });
}
