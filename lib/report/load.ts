/**
 * What the HTML report shows, read from artifacts: the judge run and, named
 * or found in its runs folder, the comparison whose candidate it is, the gate
 * of its model, the judge–human agreement of its judge, the latest
 * quarterly correlation and the latest item-level validity check of its judge. Every fact the report prints comes from here, and
 * nothing here depends on the clock or on where the runs folder sits, so the
 * same artifacts give a byte-identical report.
 *
 * @module
 */
import { inputIssues } from "../_errors.ts";
import { JudgeMeta, readArtifact } from "../artifact_kinds.ts";
import type { AgreementReport } from "../agreement/compute.ts";
import type { Comparison } from "../compare/run.ts";
import type { CorrelationResult } from "../correlate/correlate.ts";
import type { Validity } from "../validity/run.ts";
import { HEURISTIC_JUDGE } from "../judge/heuristic.ts";
import { type JudgeRun, readJudgeRun } from "../judge/run.ts";
import { type ScoreCount, scoreDistribution, summarizeJudgments } from "../judge/summary.ts";
import { dimensionSetOf, type Scale } from "../dimensions.ts";
import type { GateReport } from "../regress/gate.ts";
import { readRunItems } from "../review/source.ts";
import {
  agreementOfRun,
  type ArtifactEntry,
  baseName,
  byCreation,
  entriesOf,
  readRunsIfAny,
  releaseNames,
} from "../runs.ts";
import type { Dimension } from "../schemas.ts";
import { humanSampleCommand } from "../status/_commands.ts";

/**
 * The report's sections that come from other artifacts than the run.
 *
 * @example
 * ```ts
 * import { LINKED_SECTIONS } from "./load.ts";
 * if (!LINKED_SECTIONS.includes("gate")) throw new Error();
 * ```
 */
export const LINKED_SECTIONS = [
  "comparison",
  "gate",
  "agreement",
  "correlation",
  "validity",
] as const;
/** One of {@link LINKED_SECTIONS}. */
export type LinkedSection = typeof LINKED_SECTIONS[number];

/**
 * Below these, the report warns of small n.
 *
 * @example
 * ```ts
 * import { SMALL_N } from "./load.ts";
 * if (SMALL_N.human !== 50 || SMALL_N.overlap !== 30) throw new Error();
 * ```
 */
export const SMALL_N = {
  /** Items judged ok in the run. */
  items: 100,
  /** Items rated by humans (the practice asks about 50 per release). */
  human: 50,
  /** Items rated by two humans (the monthly check asks 30). */
  overlap: 30,
  /** Release pairs of the quarterly correlation. */
  pairs: 10,
  /** A minimum detectable difference above this (in score points) is too coarse to read. */
  mdd: 0.3,
} as const;

/**
 * How the report's suggested commands name the runs folder. The report is an artifact:
 * it must read the same wherever `--out` was, so it names the folder by this word
 * (and says so) instead of by its path.
 */
export const RUNS_PLACEHOLDER = "RUNS";

/** Options for {@link loadReport}: which artifacts to show. */
export interface ReportOptions {
  /** The runs folder to look for related artifacts in. @default the run's parent folder */
  runs?: string;
  /** The comparison; `null` for none. @default the latest comparison whose candidate is the run */
  comparison?: string | null;
  /** The regression gate; `null` for none. @default the latest gate of the run's model(s) */
  gate?: string | null;
  /** The judge–human agreement; `null` for none. @default the latest for the run, else for its judge and prompt */
  agreement?: string | null;
  /** The quarterly correlation; `null` for none. @default the latest quarter's */
  correlation?: string | null;
  /** The item-level validity check; `null` for none. @default the run's own, else the latest of its judge and prompt */
  validity?: string | null;
}

/** The run the report is about. */
export interface RunSummary {
  /** The folder name, `judge-<id>`. */
  artifact: string;
  id: string;
  /** The release the run evaluated, when a registry or correlation in the runs folder names it. */
  release: string | null;
  models: string[];
  judge: { model: string; family: string | null; self_judged: boolean };
  prompt: { name: string | null; sha256: string };
  evalset: {
    path: string | null;
    sha256: string | null;
    /** The eval-set artifact (`evalset-<id>`) the file sits in, when it does. */
    artifact: string | null;
    /** Items per stratum, when the eval set could be read. */
    strata: Record<string, number> | null;
  };
  /** Where the judged responses came from (file or folder, as the judge was told). */
  responses: string | null;
  counts: { items: number; ok: number; failed: number; flagged: number };
  cost_usd: number | null;
  tokens: { prompt: number; completion: number };
  kit: { version: string; git_commit: string | null };
}

/** A related artifact the report shows. */
export interface Linked<T> {
  /** The folder name, `<kind>-<id>`. */
  artifact: string;
  /** Where it was read from. */
  dir: string;
  /** `"given"` when named in the options, `"found"` when discovered in the runs folder. */
  how: "given" | "found";
  data: T;
}

/** One warning of the report. */
export interface ReportWarning {
  kind:
    | "self-judged"
    | "heuristic judge"
    | "failed judgments"
    | "small n"
    | "eval set changed"
    | "no human sample"
    | "other";
  text: string;
}

/** Everything the report shows. */
export interface ReportData {
  run: RunSummary;
  scores: {
    distribution: ScoreCount[];
    means: Record<Dimension | string, number | null>;
    n: number;
    /** The run's dimensions, in report order, and its scale (from its manifest). */
    dimensions: string[];
    scale: Scale;
  };
  comparison: (Linked<Comparison> & { baseline_release: string | null }) | null;
  gate: Linked<GateReport> | null;
  agreement:
    | (Linked<AgreementReport> & {
      /** The human sample was of this run (not another run of the same judge). */
      same_run: boolean;
      /** The run the humans rated (folder name) and its release, when known. */
      rated_run: string | null;
      rated_release: string | null;
    })
    | null;
  correlation: (Linked<CorrelationResult> & { includes_run: boolean }) | null;
  /** Item-level validity: a judge run of prod answers, scored against their users' feedback. */
  validity:
    | (Linked<Validity> & {
      /** The judge run of prod answers it read (folder name). */
      judged_run: string;
      /** It read this very run (a run of prod answers), not another run of the same judge. */
      same_run: boolean;
    })
    | null;
  /** Why a section is empty, and the command that fills it. */
  missing: Partial<Record<LinkedSection, { why: string; command: string }>>;
  warnings: ReportWarning[];
}

function trimDir(dir: string): string {
  return dir.replace(/\/+$/, "") || "/";
}

function parentOf(dir: string): string {
  const d = trimDir(dir);
  const i = d.lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : d.slice(0, i);
}

function evalsetArtifact(path: string | null): string | null {
  if (!path) return null;
  const parts = trimDir(path).split("/");
  const hit = [...parts].reverse().find((p) => /^evalset-[0-9a-f]{6,}$/.test(p));
  return hit ?? null;
}

function latest<T extends { created_at: string; name: string }>(
  entries: readonly T[],
): T | undefined {
  return [...entries].sort(byCreation).at(-1);
}

const sameModels = (a: readonly string[], b: readonly string[]) =>
  [...a].sort().join("\n") === [...b].sort().join("\n");

/** What the report's steps share: the run, its runs folder and the releases named there. */
interface ReportContext {
  dir: string;
  runName: string;
  run: JudgeRun;
  meta: JudgeMeta;
  inventory: ArtifactEntry[];
  releases: Map<string, string>;
  /** The run as suggested commands name it: `RUNS/judge-<id>`. */
  runRef: string;
  options: ReportOptions;
}

/** A linked section's finding: the artifact shown (or why none), and the warnings it raises. */
interface Found<T> {
  linked: T | null;
  missing?: { why: string; command: string };
  warnings: ReportWarning[];
}

/**
 * Open the judge run the report is about.
 *
 * @throws {TypeError} `Cannot read "dir": ...; --run takes a judge artifact` when it is none.
 */
export async function openReportRun(dir: string): Promise<JudgeRun> {
  await readArtifact(dir, "judge", "--run");
  return await readJudgeRun(dir);
}

/** The run's own warnings (self-judged, heuristic judge, failed judgments), classified. */
export function runWarnings(run: JudgeRun): ReportWarning[] {
  return run.warnings.map((text) => ({
    kind: text.startsWith("self-judged")
      ? "self-judged"
      : text.startsWith("heuristic judge")
      ? "heuristic judge"
      : /judgments failed/.test(text)
      ? "failed judgments"
      : "other",
    text,
  }));
}

/** Items per stratum of the judged eval set, or null (with a warning when it changed). */
async function evalsetStrata(
  ctx: ReportContext,
): Promise<{ strata: Record<string, number> | null; warnings: ReportWarning[] }> {
  try {
    const withItems = await readRunItems(ctx.run);
    const strata: Record<string, number> = {};
    for (const j of ctx.run.judgments) {
      const s = withItems.items.get(String(j.item_id))?.item.stratum ?? "(unknown)";
      strata[s] = (strata[s] ?? 0) + 1;
    }
    return {
      strata: Object.fromEntries(Object.entries(strata).sort(([a], [b]) => a.localeCompare(b))),
      warnings: [],
    };
  } catch (e) {
    const changed = (inputIssues(e) ?? []).some((i) => /^changed since/.test(i.problem));
    if (!changed) return { strata: null, warnings: [] };
    const m = ctx.meta.evalset;
    return {
      strata: null,
      warnings: [{
        kind: "eval set changed",
        text: `eval set changed: "${
          m?.file ?? m?.path
        }" is no longer the version this run judged (sha256 ${
          m?.sha256?.slice(0, 12)
        }); judge the new version before comparing with it`,
      }],
    };
  }
}

/** A warning when the judge run before this one in the runs folder judged another eval set. */
export function evalsetChangeWarning(
  inventory: readonly ArtifactEntry[],
  runName: string,
  evalsetSha: string | null,
  releases: ReadonlyMap<string, string>,
): ReportWarning | null {
  const judgeRuns = entriesOf(inventory, "judge");
  const self = judgeRuns.find((e) => e.name === runName);
  const previous = self ? judgeRuns.filter((e) => byCreation(e, self) < 0).at(-1) : undefined;
  const previousSha = previous?.meta.evalset?.sha256;
  if (!previous || !previousSha || !evalsetSha || previousSha === evalsetSha) return null;
  return {
    kind: "eval set changed",
    text: `eval set changed: this run judged eval set ${evalsetSha.slice(0, 12)}; the run before ` +
      `it (${previous.name}${
        releases.has(previous.name) ? `, ${releases.get(previous.name)}` : ""
      }) judged ${previousSha.slice(0, 12)}. Scores across the change are not comparable: ` +
      `re-baseline the current model on the new set before comparing`,
  };
}

function summarizeRun(
  ctx: ReportContext,
  summary: ReturnType<typeof summarizeJudgments>,
  strata: Record<string, number> | null,
): RunSummary {
  const { meta, run } = ctx;
  const evalsetPath = meta.evalset?.path ?? meta.evalset?.file ?? null;
  const prompt = typeof meta.prompt === "object" && meta.prompt !== null ? meta.prompt : null;
  return {
    artifact: ctx.runName,
    id: run.manifest.id,
    release: ctx.releases.get(ctx.runName) ?? null,
    models: [...(meta.models ?? [])],
    judge: {
      model: meta.judge_model ?? "unknown",
      family: meta.judge_family ?? null,
      self_judged: run.self_judged,
    },
    prompt: {
      name: prompt?.name ?? (typeof meta.prompt === "string" ? meta.prompt : null),
      sha256: meta.prompt_sha256 ?? "",
    },
    evalset: {
      path: evalsetPath,
      sha256: meta.evalset?.sha256 ?? null,
      artifact: evalsetArtifact(evalsetPath),
      strata,
    },
    responses: meta.responses?.path ?? meta.responses?.file ?? null,
    counts: {
      items: summary.items,
      ok: summary.ok,
      failed: summary.failed,
      flagged: summary.flagged,
    },
    cost_usd: meta.cost_usd ?? null,
    tokens: { prompt: summary.usage.prompt_tokens, completion: summary.usage.completion_tokens },
    kit: { version: run.manifest.kit.version, git_commit: run.manifest.kit.git_commit },
  };
}

const given = (o: ReportOptions, name: LinkedSection) => o[name] !== undefined && o[name] !== null;
const skipped = (o: ReportOptions, name: LinkedSection) => o[name] === null;

/** What a section says when `--NAME none` asked for nothing. */
const NOT_ASKED: Record<LinkedSection, string> = {
  comparison: "No comparison was asked for.",
  gate: "No regression gate was asked for.",
  agreement: "No agreement was asked for.",
  correlation: "No correlation was asked for.",
  validity: "No validity check was asked for.",
};

/**
 * The folder a section links: the one given (`--NAME DIR`), none for `--NAME none`,
 * else the one `find` picks in the runs folder (or none).
 */
async function linkedDir(
  ctx: ReportContext,
  name: LinkedSection,
  find: () => Promise<string | undefined> | string | undefined,
): Promise<string | undefined> {
  if (given(ctx.options, name)) return trimDir(ctx.options[name]!);
  if (skipped(ctx.options, name)) return undefined;
  return await find();
}

/** A section with nothing linked: why (asked for none, or none found), and the command that makes one. */
function notLinked<T>(
  ctx: ReportContext,
  name: LinkedSection,
  whyNoneFound: string,
  command: string,
): Found<T> {
  const why = skipped(ctx.options, name) ? NOT_ASKED[name] : whyNoneFound;
  return { linked: null, missing: { why, command }, warnings: [] };
}

/** Whether a linked artifact was named by a flag or found in the runs folder. */
const howLinked = (ctx: ReportContext, name: LinkedSection) =>
  given(ctx.options, name) ? "given" as const : "found" as const;

/** The comparison whose candidate is this run: named, or the latest in the runs folder. */
export async function findComparison(ctx: ReportContext): Promise<Found<ReportData["comparison"]>> {
  const entryDir = await linkedDir(ctx, "comparison", () =>
    latest(
      entriesOf(ctx.inventory, "comparison").filter((e) =>
        e.manifest.params.run === ctx.run.manifest.id ||
        baseName(e.meta.run ?? "") === ctx.runName
      ),
    )?.dir);
  if (!entryDir) {
    return notLinked(
      ctx,
      "comparison",
      "No comparison in the runs folder has this run as its candidate.",
      `evalkit compare --run ${ctx.runRef} --baseline ${RUNS_PLACEHOLDER}/judge-<baseline>`,
    );
  }
  const read = await readArtifact(entryDir, "comparison", "--comparison");
  const c = read.data;
  const warnings: ReportWarning[] = [];
  if (c.baseline.self_judged) {
    warnings.push({
      kind: "self-judged",
      text:
        `self-judged baseline: ${c.baseline.artifact} was judged by a model of the tested family`,
    });
  }
  const dims = c.dimensions as Record<string, { mdd?: number | null }>;
  const coarse = Object.keys(dims).filter((d) => (dims[d]?.mdd ?? 0) > SMALL_N.mdd);
  if (coarse.length > 0) {
    warnings.push({
      kind: "small n",
      text: `small n: with ${c.n} paired items the comparison detects (80% power) only ` +
        `differences of at least ${
          coarse.map((d) => `${dims[d].mdd!.toFixed(2)} on ${d}`).join(", ")
        }`,
    });
  }
  return {
    linked: {
      artifact: read.name,
      dir: read.dir,
      how: howLinked(ctx, "comparison"),
      data: c,
      baseline_release: ctx.releases.get(c.baseline.artifact) ?? null,
    },
    warnings,
  };
}

/** The regression gate of this run's model(s): named, or the latest in the runs folder. */
export async function findGate(
  ctx: ReportContext,
  run: RunSummary,
): Promise<Found<ReportData["gate"]>> {
  const gates = entriesOf(ctx.inventory, "gate");
  const entryDir = await linkedDir(ctx, "gate", async () => {
    const candidates: ArtifactEntry[] = [];
    for (const e of gates) {
      const { data } = await readArtifact(e.dir, "gate");
      if (sameModels(data.version.models, run.models)) candidates.push(e);
    }
    return latest(candidates)?.dir;
  });
  if (!entryDir) {
    return notLinked(
      ctx,
      "gate",
      gates.length > 0
        ? `None of the ${gates.length} gate artifacts in the runs folder tested ${
          run.models.join(", ") || "this run's model"
        }.`
        : "No gate artifact in the runs folder.",
      `evalkit regress --cases regression_cases.jsonl --responses CASE_RESPONSES ` +
        `--judge ${run.judge.model} --baseline ${RUNS_PLACEHOLDER}/gate-<previous release>`,
    );
  }
  const read = await readArtifact(entryDir, "gate", "--gate");
  const warnings: ReportWarning[] = [];
  if (read.data.judge.self_judged) {
    warnings.push({
      kind: "self-judged",
      text: `self-judged gate: ${read.name} was judged by ${read.data.judge.model}, ` +
        `a model of the tested family`,
    });
  }
  if (read.data.judge.model === HEURISTIC_JUDGE && run.judge.model !== HEURISTIC_JUDGE) {
    warnings.push({
      kind: "heuristic judge",
      text: `heuristic judge: the gate ${read.name} was judged by the offline heuristic`,
    });
  }
  return {
    linked: {
      artifact: read.name,
      dir: read.dir,
      how: howLinked(ctx, "gate"),
      data: read.data,
    },
    warnings,
  };
}

function agreementWarnings(
  ctx: ReportContext,
  linked: NonNullable<ReportData["agreement"]>,
): ReportWarning[] {
  const warnings: ReportWarning[] = [];
  if (!linked.same_run) {
    warnings.push({
      kind: "no human sample",
      text:
        `no human sample of this run: the agreement shown is of ${
          linked.rated_run ?? "another run"
        }${linked.rated_release ? ` (${linked.rated_release})` : ""}, judged by the same judge ` +
        `and prompt. Have ~50 of this run's items rated ` +
        `(evalkit review export --run ${ctx.runRef} --n 50) to catch judge drift on this release`,
    });
  }
  const items = linked.data.items;
  if (items.compared < SMALL_N.human) {
    warnings.push({
      kind: "small n",
      text: `small n: humans rated ${items.compared} of the judged items ` +
        `(about ${SMALL_N.human} per release recommended); agreement intervals are wide`,
    });
  }
  if (items.overlap < SMALL_N.overlap) {
    warnings.push({
      kind: "small n",
      text: `small n: ${items.overlap} items were rated by two humans ` +
        `(the monthly check asks ${SMALL_N.overlap}); human–human agreement is uncertain`,
    });
  }
  return warnings;
}

/** Judge–human agreement: named, else the one {@link agreementOfRun} says applies. */
export async function findAgreement(
  ctx: ReportContext,
  run: RunSummary,
): Promise<Found<ReportData["agreement"]>> {
  const entryDir = await linkedDir(ctx, "agreement", () =>
    agreementOfRun(
      entriesOf(ctx.inventory, "agreement").map((e) => ({ ...e, artifact: e.dir })),
      {
        name: ctx.runName,
        id: ctx.run.manifest.id,
        judge_model: ctx.meta.judge_model ?? null,
        prompt_sha256: ctx.meta.prompt_sha256 ?? null,
      },
    )?.dir);
  if (!entryDir) {
    return notLinked(
      ctx,
      "agreement",
      `No agreement artifact in the runs folder for this run or for its judge (${run.judge.model}, prompt ${
        run.prompt.sha256.slice(0, 12)
      }).`,
      humanSampleCommand(ctx.runRef, RUNS_PLACEHOLDER, 50),
    );
  }
  const read = await readArtifact(entryDir, "agreement", "--agreement");
  const ratedRun = read.meta.run ? baseName(read.meta.run) : null;
  const linked: NonNullable<ReportData["agreement"]> = {
    artifact: read.name,
    dir: read.dir,
    how: howLinked(ctx, "agreement"),
    data: read.data as AgreementReport,
    same_run: read.meta.judge_run === ctx.run.manifest.id || ratedRun === ctx.runName,
    rated_run: ratedRun,
    rated_release: ratedRun ? ctx.releases.get(ratedRun) ?? null : null,
  };
  return { linked, warnings: agreementWarnings(ctx, linked) };
}

/** The latest quarterly correlation: named, or the latest quarter's in the runs folder. */
export async function findCorrelation(
  ctx: ReportContext,
): Promise<Found<ReportData["correlation"]>> {
  const entryDir = await linkedDir(ctx, "correlation", () =>
    entriesOf(ctx.inventory, "correlation")
      .map((e) => ({ e, quarter: e.meta.quarter ?? "" }))
      .sort((a, b) => a.quarter.localeCompare(b.quarter) || byCreation(a.e, b.e))
      .at(-1)?.e.dir);
  if (!entryDir) {
    return notLinked(
      ctx,
      "correlation",
      "No correlation artifact in the runs folder.",
      "evalkit correlate --releases releases.csv",
    );
  }
  const read = await readArtifact(entryDir, "correlation", "--correlation");
  const data = read.data;
  const warnings: ReportWarning[] = [];
  if (data.pairs.length < SMALL_N.pairs) {
    warnings.push({
      kind: "small n",
      text: `small n: the correlation rests on ${data.pairs.length} release pairs; ` +
        `read its direction and intervals, not the second decimal`,
    });
  }
  for (const s of data.skipped) {
    if (/eval set/i.test(s.reason)) {
      warnings.push({
        kind: "eval set changed",
        text: `eval set changed between ${s.from} and ${s.to}: ${s.reason}`,
      });
    }
  }
  return {
    linked: {
      artifact: read.name,
      dir: read.dir,
      how: howLinked(ctx, "correlation"),
      data,
      includes_run: data.releases.some((r) => r.runs.some((p) => baseName(p) === ctx.runName)),
    },
    warnings,
  };
}

/**
 * The validity check that applies to the run best: of this very run, else of a judge run
 * by the same judge and prompt, else by the same judge model (the check is of the judge's
 * scores, not of one release); the latest within the best tier.
 */
function bestValidity(ctx: ReportContext) {
  const judges = new Map(entriesOf(ctx.inventory, "judge").map((e) => [e.name, e]));
  const tiers = entriesOf(ctx.inventory, "validity").map((e) => {
    const judged = baseName(e.meta.run ?? "");
    const j = judges.get(judged)?.meta;
    const model = j?.judge_model ?? e.meta.judge_model;
    const tier = judged === ctx.runName
      ? 3
      : model !== ctx.meta.judge_model
      ? 0
      : j && j.prompt_sha256 === ctx.meta.prompt_sha256
      ? 2
      : 1;
    return { e, tier };
  }).filter((t) => t.tier > 0);
  const top = Math.max(0, ...tiers.map((t) => t.tier));
  return tiers.filter((t) => t.tier === top).map((t) => t.e).sort(byCreation).at(-1);
}

/** The item-level validity check: named, or the latest that applies to the run's judge. */
export async function findValidity(ctx: ReportContext): Promise<Found<ReportData["validity"]>> {
  const entryDir = await linkedDir(ctx, "validity", () => bestValidity(ctx)?.dir);
  if (!entryDir) {
    return notLinked(
      ctx,
      "validity",
      `No validity artifact in the runs folder for this run or for its judge (${
        ctx.meta.judge_model ?? "unknown"
      }): no item-level check of whether its scores predict the users' feedback.`,
      `evalkit judge --evalset ${RUNS_PLACEHOLDER}/evalset-<id> --judge ${
        ctx.meta.judge_model ?? "MODEL"
      } && evalkit validity --run ${RUNS_PLACEHOLDER}/judge-<that run>`,
    );
  }
  const read = await readArtifact(entryDir, "validity", "--validity");
  const judged = read.data.run;
  const warnings: ReportWarning[] = [];
  const thin = Object.entries(read.data.dimensions).filter(([, d]) => d.auc === null);
  if (thin.length) {
    warnings.push({
      kind: "small n",
      text: `small n: item-level AUC not estimable for ${thin.map(([d]) => d).join(", ")} (${
        thin[0][1].reason ?? "too few answers with feedback"
      })`,
    });
  }
  return {
    linked: {
      artifact: read.name,
      dir: read.dir,
      how: howLinked(ctx, "validity"),
      data: read.data,
      judged_run: judged,
      same_run: judged === ctx.runName,
    },
    warnings,
  };
}

/**
 * Read the run and the artifacts the report shows.
 *
 * Nothing it returns holds the path of the runs folder: commands it suggests name the
 * folder {@link RUNS_PLACEHOLDER}, so the same artifacts give the same report wherever
 * they were written.
 *
 * @param runDir A judge-run folder (`runs/judge-<id>`).
 * @param options The runs folder to search, or the artifacts to show.
 * @returns The report's data (no file is written).
 * @throws {TypeError} When the run or a named artifact is missing, of another kind, or broken.
 *
 * @example A run alone: every linked section says what is missing
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
 * import { loadReport } from "./load.ts";
 * const data = await loadReport(run.dir);
 * if (data.run.counts.ok !== 2 || !data.missing.gate?.command.startsWith("evalkit regress")) {
 *   throw new Error(JSON.stringify(data.missing));
 * }
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function loadReport(runDir: string, options: ReportOptions = {}): Promise<ReportData> {
  const dir = trimDir(runDir);
  const run = await openReportRun(dir);
  const inventory = await readRunsIfAny(options.runs ?? parentOf(dir));
  const runName = baseName(dir);
  const ctx: ReportContext = {
    dir,
    runName,
    run,
    meta: JudgeMeta.parse(run.manifest.meta),
    inventory,
    releases: await releaseNames(inventory),
    runRef: `${RUNS_PLACEHOLDER}/${runName}`,
    options,
  };
  const set = dimensionSetOf(run.manifest);
  const summary = summarizeJudgments(run.judgments, set);
  const { strata, warnings: evalsetWarnings } = await evalsetStrata(ctx);
  const warnings = [...runWarnings(run), ...evalsetWarnings];
  const changed = evalsetChangeWarning(
    inventory,
    runName,
    ctx.meta.evalset?.sha256 ?? null,
    ctx.releases,
  );
  if (changed) warnings.push(changed);
  if (summary.ok > 0 && summary.ok < SMALL_N.items) {
    warnings.push({
      kind: "small n",
      text: `small n: ${summary.ok} items judged; per-dimension means and differences carry ` +
        `wide intervals (${SMALL_N.items}+ items recommended)`,
    });
  }
  const runSummary = summarizeRun(ctx, summary, strata);
  const agreement = await findAgreement(ctx, runSummary);
  const correlation = await findCorrelation(ctx);
  const validity = await findValidity(ctx);
  const comparison = await findComparison(ctx);
  const gate = await findGate(ctx, runSummary);
  warnings.push(
    ...agreement.warnings,
    ...correlation.warnings,
    ...validity.warnings,
    ...comparison.warnings,
    ...gate.warnings,
  );
  const missing: ReportData["missing"] = {};
  const sections = { comparison, gate, agreement, correlation, validity };
  for (const name of LINKED_SECTIONS) {
    if (sections[name].missing) missing[name] = sections[name].missing;
  }
  const seen = new Set<string>();
  return {
    run: runSummary,
    scores: {
      distribution: scoreDistribution(run.judgments, set),
      means: summary.means,
      n: summary.ok,
      dimensions: [...set.dimensions],
      scale: set.scale,
    },
    comparison: comparison.linked,
    gate: gate.linked,
    agreement: agreement.linked,
    correlation: correlation.linked,
    validity: validity.linked,
    missing,
    warnings: warnings.filter((w) => !seen.has(w.text) && seen.add(w.text)),
  };
}

/** The main files of the report's artifacts: the report artifact's inputs. */
export function reportInputs(data: ReportData, runDir: string): string[] {
  const files = [`${trimDir(runDir)}/judgments.jsonl`];
  if (data.comparison) files.push(`${data.comparison.dir}/comparison.json`);
  if (data.gate) files.push(`${data.gate.dir}/gate.json`);
  if (data.agreement) files.push(`${data.agreement.dir}/agreement.json`);
  if (data.correlation) files.push(`${data.correlation.dir}/correlation.json`);
  if (data.validity) files.push(`${data.validity.dir}/validity.json`);
  return files;
}
