/**
 * Judge drift without humans: re-judge a previous run's items with the same
 * judge model name, the same prompt (checked by sha256), temperature and seed,
 * and measure per dimension how far the scores moved. A provider that silently
 * updates the model behind a name shows up here between monthly human checks.
 *
 * Per dimension, on the items judged ok both times: the mean shift (after −
 * before) with a paired bootstrap interval and sign-flip p-value, and the share
 * of items whose score changed. A dimension has `drifted` when the share changed
 * exceeds `maxChanged` (default 0.2), or when |mean shift| exceeds `maxShift`
 * (default 0.1) and its interval excludes 0. An LLM at temperature 0 is not
 * perfectly repeatable, so a few changed scores are expected; the defaults are a
 * starting point to tune on your judge's own repeat runs.
 *
 * The dimensions are the run's own (its manifest's set, which its prompt declares); the
 * artifact's manifest records them.
 *
 * @module
 */
import { writeArtifact } from "../artifacts.ts";
import { pairJudgments } from "../compare/pair.ts";
import { toJsonl } from "../io/write.ts";
import type { ChatClient, ChatClientOptions } from "../llm/client.ts";
import type { PriceTable } from "../llm/cost.ts";
import { HEURISTIC_JUDGE, heuristicSha } from "../judge/heuristic.ts";
import { judgeItems, type JudgeResult } from "../judge/judge.ts";
import type { JudgeRun } from "../judge/run.ts";
import type { Reporter } from "../reporter.ts";
import { type Dimension, DIMENSIONS, type Judgment } from "../schemas.ts";
import {
  DEFAULT_DIMENSION_SET,
  dimensionMeta,
  type DimensionSet,
  dimensionSetOf,
  sharedDimensions,
} from "../dimensions.ts";
import type { JudgePrompt } from "../judge/prompt.ts";
import { pairedDifference } from "../stats/mod.ts";
import { openJudgeRun, readRunItems } from "../review/source.ts";
import { judgmentsFile, round4 } from "./_items.ts";
import { itemsToRejudge, rejudgeMetaOf, type RunMeta, sameJudge, samePrompt } from "./_rejudge.ts";

/** Options for {@link judgeDrift}. */
export interface JudgeDriftOptions {
  /** Bootstrap resamples. @default 2000 */
  resamples?: number;
  /** Confidence level. @default 0.95 */
  level?: number;
  /** Bootstrap seed. @default 0 */
  seed?: number;
  /** The largest |mean shift| not flagged (when its interval excludes 0). @default 0.1 */
  maxShift?: number;
  /** The largest share of changed scores not flagged. @default 0.2 */
  maxChanged?: number;
  /** The dimensions compared, in report order (the run's set). @default the five */
  dimensions?: readonly string[];
}

/** How one dimension's scores moved on re-judging. */
export interface DimensionDrift {
  n: number;
  mean_before: number;
  mean_after: number;
  /** after − before. */
  mean_shift: number;
  ci: [number, number];
  p_value: number;
  /** Share of items whose score changed. */
  changed_share: number;
  /** Share of items whose score moved by 2 or more. */
  changed_by_2: number;
  drifted: boolean;
}

/** How a judge's scores moved between two judgings of the same items. */
export interface JudgeDrift {
  /** Items judged ok both times. */
  items: number;
  left_out: { only_before: number; only_after: number; failed: number };
  max_shift: number;
  max_changed: number;
  dimensions: Record<Dimension, DimensionDrift>;
  drifted: Dimension[];
  verdict: "stable" | "drifted";
}

/**
 * Per-dimension drift between two judgings of the same items.
 *
 * @param before The earlier judgments.
 * @param after The judgments of the same items now.
 * @param options Bootstrap settings and flag limits.
 * @returns Mean shift with interval and p-value, share changed, and which dimensions drifted.
 * @throws {RangeError} When fewer than 2 items were judged ok both times.
 *
 * @example
 * ```ts
 * import { judgeDrift } from "./rejudge.ts";
 * const j = (id: string, v: number) => ({ item_id: id, judge_model: "m", prompt_sha256: "0".repeat(64),
 *   scores: { correctness: v, relevance: 3, clarity: 3, calibration: 3, length: 3 }, rationale: "",
 *   usage: { prompt_tokens: 0, completion_tokens: 0 }, status: "ok" as const });
 * const ids = Array.from({ length: 30 }, (_, i) => `q${i}`);
 * const drift = judgeDrift(ids.map((id) => j(id, 3)), ids.map((id) => j(id, 4)), { resamples: 200 });
 * if (!drift.dimensions.correctness.drifted || drift.dimensions.clarity.drifted) throw new Error("unexpected");
 * ```
 */
export function judgeDrift(
  before: readonly Judgment[],
  after: readonly Judgment[],
  options: JudgeDriftOptions = {},
): JudgeDrift {
  const { resamples = 2000, level = 0.95, seed = 0, maxShift = 0.1, maxChanged = 0.2 } = options;
  const dims = (options.dimensions ?? DIMENSIONS) as readonly Dimension[];
  const paired = pairJudgments(before, after, dims);
  const n = paired.items.length;
  if (n < 2) {
    throw new RangeError(
      `judgeDrift(): ${n} items were judged ok both times; at least 2 are needed`,
    );
  }
  const dimensions = {} as Record<Dimension, DimensionDrift>;
  for (const d of dims) {
    const a = paired.baseline[d];
    const b = paired.candidate[d];
    const pd = pairedDifference(a, b, { resamples, level, seed, method: "percentile" });
    let changed = 0;
    let changed2 = 0;
    for (let i = 0; i < n; i++) {
      const gap = Math.abs(b[i] - a[i]);
      if (gap > 0) changed++;
      if (gap >= 2) changed2++;
    }
    const changedShare = changed / n;
    const excludesZero = pd.ci[0] > 0 || pd.ci[1] < 0;
    dimensions[d] = {
      n,
      mean_before: round4(pd.mean_a),
      mean_after: round4(pd.mean_b),
      mean_shift: round4(pd.diff),
      ci: [round4(pd.ci[0]), round4(pd.ci[1])],
      p_value: round4(pd.p_value),
      changed_share: round4(changedShare),
      changed_by_2: round4(changed2 / n),
      drifted: changedShare > maxChanged + 1e-12 ||
        (Math.abs(pd.diff) > maxShift + 1e-12 && excludesZero),
    };
  }
  const drifted = dims.filter((d) => dimensions[d].drifted);
  return {
    items: n,
    left_out: {
      only_before: paired.left_out.only_baseline,
      only_after: paired.left_out.only_candidate,
      failed: paired.left_out.failed,
    },
    max_shift: maxShift,
    max_changed: maxChanged,
    dimensions,
    drifted,
    verdict: drifted.length ? "drifted" : "stable",
  };
}

/** Options for {@link rejudgeRun}. */
export interface RejudgeOptions extends JudgeDriftOptions {
  /** Only these of the run's dimensions (`--dimensions a,b`). @default the run's set */
  dimensions?: readonly string[];
  /** The chat client. @default one made from `clientOptions` */
  client?: ChatClient;
  /** Endpoint, concurrency, retries, timeout. @default {} */
  clientOptions?: ChatClientOptions;
  /** The price table. @default the bundled one */
  prices?: PriceTable;
  /** Stop before spending passes this. @default none */
  budgetUsd?: number;
  /** Where the artifact goes. @default "runs" */
  out?: string;
  /** The clock (the re-judge time is part of the artifact's id). @default () => new Date() */
  now?: () => Date;
  /** Progress and warnings. @default none */
  reporter?: Reporter;
}

/** What {@link rejudgeRun} did. */
export interface RejudgeResult {
  artifact: string;
  drift: JudgeDrift;
  judgments: Judgment[];
  requests: number;
  cost_usd: number | null;
  /** The `--json` summary of `agreement --rejudge`. */
  summary: Record<string, unknown>;
}

/**
 * Re-judge a judge run's items with its judge model and prompt, and write the drift as an
 * agreement artifact (`mode: "rejudge"`: `agreement.json` holds the drift, `judgments.jsonl`
 * the new judgments). The cache is not used: the point is to ask the judge again.
 *
 * @param runDir A judge-run folder.
 * @param options The endpoint, flag limits and where to write.
 * @returns The drift, the new judgments and the artifact.
 * @throws {RangeError} Bad usage: held-out input, not a judge run, the prompt changed or missing.
 * @throws {TypeError} When the run's eval set or responses are missing or changed.
 *
 * @example
 * ```ts
 * import { runJudge } from "../judge/run.ts";
 * import { demoPaths } from "../demo_world.ts";
 * const out = await Deno.makeTempDir();
 * const paths = demoPaths();
 * const judged = await runJudge(paths.evalItems, { judge: "heuristic", responses: paths.responses("r10"), out });
 * import { rejudgeRun } from "./rejudge.ts";
 * const again = await rejudgeRun(judged.artifact, { out });
 * if (again.requests !== 0 || again.judgments.length === 0) throw new Error();
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function rejudgeRun(
  runDir: string,
  options: RejudgeOptions = {},
): Promise<RejudgeResult> {
  const run = await openJudgeRun(runDir);
  const { items } = await readRunItems(run);
  const meta = rejudgeMetaOf(run);
  const heuristic = meta.judge_model === HEURISTIC_JUDGE;
  if (heuristic && heuristicSha(meta.prompt?.bands ?? {}) !== meta.prompt_sha256) {
    options.reporter?.warn(
      "the heuristic judge's version changed since the run: its scores may move for that reason",
    );
  }
  const prompt = heuristic ? undefined : await samePrompt(run.dir, meta);
  const { set, note } = rejudgeSet(runDir, run, prompt, options.dimensions);
  if (note) options.reporter?.info(note);
  const before = run.judgments.filter((j) => j.status === "ok");
  const again = itemsToRejudge(before, items);
  const result = await judgeItems(again.items, again.responses, sameJudge(meta, prompt, options));
  if (!result.complete) {
    options.reporter?.warn(
      `${result.missing.length} of ${again.items.length} items could not be re-judged: compared on the rest`,
    );
  }
  const drift = judgeDrift(before, result.judgments, { ...options, dimensions: set.dimensions });
  const artifact = await writeRejudge(runDir, run, meta, drift, result, {
    ...options,
    set,
    note,
  });
  return {
    artifact,
    drift,
    judgments: result.judgments,
    requests: result.stats.requests,
    cost_usd: result.stats.cost_usd,
    summary: {
      artifact,
      mode: "rejudge",
      run: runDir,
      judge_model: meta.judge_model,
      prompt_sha256: meta.prompt_sha256,
      items: drift.items,
      requests: result.stats.requests,
      cost_usd: result.stats.cost_usd,
      verdict: drift.verdict,
      drifted: drift.drifted,
      dimensions: drift.dimensions,
    },
  };
}

/**
 * The dimensions re-judging compares: the run's set and its prompt's (the heuristic
 * judge's five), which must agree, or the `wanted` ones of both.
 *
 * @throws {RangeError} A usage error naming what differs, or a wanted dimension not in both.
 */
function rejudgeSet(
  runDir: string,
  run: JudgeRun,
  prompt: JudgePrompt | undefined,
  wanted: readonly string[] | undefined,
): { set: DimensionSet; note: string | null } {
  const promptSet: DimensionSet = prompt
    ? { dimensions: prompt.rubric.dimensions, scale: prompt.rubric.scale }
    : DEFAULT_DIMENSION_SET;
  return sharedDimensions(
    { name: `the run ${runDir}`, set: dimensionSetOf(run.manifest) },
    { name: `its prompt ${prompt?.name ?? "(the heuristic judge)"}`, set: promptSet },
    wanted,
  );
}

/** Write the drift and the new judgments as an agreement artifact (`mode: "rejudge"`); its folder. */
async function writeRejudge(
  runDir: string,
  run: JudgeRun,
  meta: RunMeta,
  drift: JudgeDrift,
  result: JudgeResult,
  options: RejudgeOptions & { set: DimensionSet; note: string | null },
): Promise<string> {
  const now = options.now ?? (() => new Date());
  const written = await writeArtifact({
    kind: "agreement",
    out: options.out,
    command: "agreement --rejudge",
    params: {
      mode: "rejudge",
      run: run.manifest.id,
      at: now().toISOString(),
      resamples: options.resamples ?? 2000,
      seed: options.seed ?? 0,
      max_shift: drift.max_shift,
      max_changed: drift.max_changed,
    },
    seed: options.seed ?? 0,
    inputs: [judgmentsFile(run)],
    files: {
      "agreement.json": JSON.stringify(drift, null, 2) + "\n",
      "judgments.jsonl": toJsonl(result.judgments),
    },
    now,
    meta: {
      mode: "rejudge",
      run: runDir,
      judge_run: run.manifest.id,
      judge_model: meta.judge_model,
      prompt_sha256: meta.prompt_sha256,
      requests: result.stats.requests,
      cost_usd: result.stats.cost_usd,
      verdict: drift.verdict,
      ...dimensionMeta(options.set),
      ...(options.note ? { dimensions_note: options.note } : {}),
    },
  });
  return written.dir;
}
