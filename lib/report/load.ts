/**
 * What the HTML report shows, read from artifacts: the judge run and, named
 * or found in its runs folder, the comparison whose candidate it is, the gate
 * of its model, the judge–human agreement of its judge, and the latest
 * quarterly correlation. Every fact the report prints comes from here, and
 * nothing here depends on the clock or on where the runs folder sits, so the
 * same artifacts give a byte-identical report.
 *
 * @module
 */
import { inputError } from "../_errors.ts";
import { readManifest } from "../artifacts.ts";
import type { AgreementReport } from "../agreement/compute.ts";
import type { Comparison } from "../compare/run.ts";
import type { CorrelationResult } from "../correlate/correlate.ts";
import { HEURISTIC_JUDGE } from "../judge/heuristic.ts";
import { type JudgeRun, readJudgeRun } from "../judge/run.ts";
import { type ScoreCount, scoreDistribution, summarizeJudgments } from "../judge/summary.ts";
import type { GateReport } from "../regress/gate.ts";
import { readRunItems } from "../review/source.ts";
import { type Dimension, DIMENSIONS } from "../schemas.ts";
import { humanSampleCommand } from "../status/_commands.ts";
import {
  type ArtifactEntry,
  baseName,
  byCreation,
  readInventory,
  releaseNames,
} from "../status/inventory.ts";

/** The report's sections that come from other artifacts than the run. */
export const LINKED_SECTIONS = ["comparison", "gate", "agreement", "correlation"] as const;
/** One of {@link LINKED_SECTIONS}. */
export type LinkedSection = typeof LINKED_SECTIONS[number];

/** Below these, the report warns of small n. */
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
  scores: { distribution: ScoreCount[]; means: Record<Dimension, number | null>; n: number };
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
  /** Why a section is empty, and the command that fills it. */
  missing: Partial<Record<LinkedSection, { why: string; command: string }>>;
  warnings: ReportWarning[];
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}

function trimDir(dir: string): string {
  return dir.replace(/\/+$/, "") || "/";
}

function parentOf(dir: string): string {
  const d = trimDir(dir);
  const i = d.lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : d.slice(0, i);
}

async function readMain<T>(dir: string, kind: string, file: string, flag: string): Promise<T> {
  let actual: string;
  try {
    actual = (await readManifest(dir)).kind;
  } catch {
    throw inputError([{
      file: dir,
      line: 0,
      problem: `not an artifact folder (no manifest.json); ${flag} takes ${
        article(kind)
      } ${kind} artifact`,
      kind: "type",
    }]);
  }
  if (actual !== kind) {
    throw inputError([{
      file: dir,
      line: 0,
      problem: `${article(actual)} ${actual} artifact, not ${
        article(kind)
      } ${kind} artifact (${flag})`,
      kind: "type",
    }]);
  }
  try {
    return JSON.parse(await Deno.readTextFile(`${dir}/${file}`)) as T;
  } catch (e) {
    throw inputError([{
      file: `${dir}/${file}`,
      line: 0,
      problem: `unreadable: ${(e as Error).message}`,
      kind: "syntax",
    }]);
  }
}

interface RunMeta {
  judge_model?: string;
  judge_family?: string | null;
  self_judged?: boolean;
  prompt_sha256?: string;
  prompt?: { name?: string | null; sha256?: string } | string;
  evalset?: { path?: string; file?: string; sha256?: string; abs?: string };
  responses?: { path?: string; file?: string; sha256?: string } | null;
  models?: string[];
  counts?: { items?: number; ok?: number; failed?: number; flagged?: number };
  cost_usd?: number | null;
}

function evalsetArtifact(path: string | null): string | null {
  if (!path) return null;
  const parts = trimDir(path).split("/");
  const hit = [...parts].reverse().find((p) => /^evalset-[0-9a-f]{6,}$/.test(p));
  return hit ?? null;
}

function latest(entries: readonly ArtifactEntry[]): ArtifactEntry | undefined {
  return [...entries].sort(byCreation).at(-1);
}

const sameModels = (a: readonly string[], b: readonly string[]) =>
  [...a].sort().join("\n") === [...b].sort().join("\n");

/**
 * Read the run and the artifacts the report shows.
 *
 * @param runDir A judge-run folder (`runs/judge-<id>`).
 * @param options The runs folder to search, or the artifacts to show.
 * @returns The report's data (no file is written).
 * @throws {TypeError} When the run or a named artifact is missing or of another kind.
 */
export async function loadReport(runDir: string, options: ReportOptions = {}): Promise<ReportData> {
  const dir = trimDir(runDir);
  let run: JudgeRun;
  try {
    run = await readJudgeRun(dir);
  } catch (e) {
    if (e instanceof TypeError && /not an artifact folder|not a judge run/.test(e.message)) {
      throw inputError([{
        file: dir,
        line: 0,
        problem: `${
          e.message.replace(/^Cannot read "[^"]*": /, "")
        }; --run takes a judgment run written by evalkit judge`,
        kind: "type",
      }]);
    }
    throw e;
  }
  const runsDir = options.runs ?? parentOf(dir);
  const inventory = await readInventory(runsDir).catch(() => [] as ArtifactEntry[]);
  const releases = await releaseNames(inventory);
  const runName = baseName(dir);
  const meta = run.manifest.meta as RunMeta;
  const summary = summarizeJudgments(run.judgments);
  const warnings: ReportWarning[] = run.warnings.map((text) => ({
    kind: text.startsWith("self-judged")
      ? "self-judged"
      : text.startsWith("heuristic judge")
      ? "heuristic judge"
      : /judgments failed/.test(text)
      ? "failed judgments"
      : "other",
    text,
  }));

  // The eval set: its version, its strata, and whether it changed.
  const evalsetPath = meta.evalset?.path ?? meta.evalset?.file ?? null;
  const evalsetSha = meta.evalset?.sha256 ?? null;
  let strata: Record<string, number> | null = null;
  try {
    const withItems = await readRunItems(run);
    strata = {};
    for (const j of run.judgments) {
      const s = withItems.items.get(String(j.item_id))?.item.stratum ?? "(unknown)";
      strata[s] = (strata[s] ?? 0) + 1;
    }
    strata = Object.fromEntries(Object.entries(strata).sort(([a], [b]) => a.localeCompare(b)));
  } catch (e) {
    const message = (e as Error).message;
    if (/changed since/.test(message)) {
      warnings.push({
        kind: "eval set changed",
        text: `eval set changed: "${
          meta.evalset?.file ?? evalsetPath
        }" is no longer the version this run judged (sha256 ${
          evalsetSha?.slice(0, 12)
        }); judge the new version before comparing with it`,
      });
    }
  }
  const judgeRuns = inventory.filter((e) => e.kind === "judge");
  const self = judgeRuns.find((e) => e.name === runName);
  const before = self ? judgeRuns.filter((e) => byCreation(e, self) < 0) : [];
  const previous = before.at(-1);
  const previousSha = (previous?.manifest.meta as RunMeta | undefined)?.evalset?.sha256;
  if (previous && previousSha && evalsetSha && previousSha !== evalsetSha) {
    warnings.push({
      kind: "eval set changed",
      text:
        `eval set changed: this run judged eval set ${evalsetSha.slice(0, 12)}; the run before ` +
        `it (${previous.name}${
          releases.has(previous.name) ? `, ${releases.get(previous.name)}` : ""
        }) judged ${previousSha.slice(0, 12)}. Scores across the change are not comparable: ` +
        `re-baseline the current model on the new set before comparing`,
    });
  }
  if (summary.ok > 0 && summary.ok < SMALL_N.items) {
    warnings.push({
      kind: "small n",
      text: `small n: ${summary.ok} items judged; per-dimension means and differences carry ` +
        `wide intervals (${SMALL_N.items}+ items recommended)`,
    });
  }

  const promptMeta = typeof meta.prompt === "object" && meta.prompt !== null ? meta.prompt : null;
  const runSummary: RunSummary = {
    artifact: runName,
    id: run.manifest.id,
    release: releases.get(runName) ?? null,
    models: [...(meta.models ?? [])],
    judge: {
      model: meta.judge_model ?? "unknown",
      family: meta.judge_family ?? null,
      self_judged: run.self_judged,
    },
    prompt: {
      name: promptMeta?.name ?? (typeof meta.prompt === "string" ? meta.prompt : null),
      sha256: meta.prompt_sha256 ?? "",
    },
    evalset: {
      path: evalsetPath,
      sha256: evalsetSha,
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
    kit: {
      version: run.manifest.kit?.version ?? "",
      git_commit: run.manifest.kit?.git_commit ?? null,
    },
  };

  const missing: ReportData["missing"] = {};
  const given = (name: LinkedSection) => options[name] !== undefined && options[name] !== null;
  const skipped = (name: LinkedSection) => options[name] === null;
  const shown = `${trimDir(runsDir)}`;

  // The comparison whose candidate is this run.
  let comparison: ReportData["comparison"] = null;
  {
    let entryDir: string | undefined;
    if (given("comparison")) entryDir = options.comparison!;
    else if (!skipped("comparison")) {
      entryDir = latest(
        inventory.filter((e) =>
          e.kind === "comparison" &&
          (e.manifest.params.run === run.manifest.id ||
            baseName(String((e.manifest.meta as { run?: string }).run ?? "")) === runName)
        ),
      )?.dir;
    }
    if (entryDir) {
      const data = await readMain<Comparison>(
        trimDir(entryDir),
        "comparison",
        "comparison.json",
        "--comparison",
      );
      comparison = {
        artifact: baseName(entryDir),
        dir: trimDir(entryDir),
        how: given("comparison") ? "given" : "found",
        data,
        baseline_release: releases.get(data.baseline.artifact) ?? null,
      };
    } else {
      missing.comparison = {
        why: skipped("comparison")
          ? "No comparison was asked for."
          : `No comparison in ${shown} has this run as its candidate.`,
        command: `evalkit compare --run ${dir} --baseline ${shown}/judge-<baseline>`,
      };
    }
  }

  // The regression gate of this run's model(s).
  let gate: ReportData["gate"] = null;
  {
    let entryDir: string | undefined;
    let gates = 0;
    if (given("gate")) entryDir = options.gate!;
    else if (!skipped("gate")) {
      const candidates: ArtifactEntry[] = [];
      for (const e of inventory.filter((e) => e.kind === "gate")) {
        gates++;
        const report = await readMain<GateReport>(e.dir, "gate", "gate.json", "--gate").catch(
          () => null,
        );
        if (report && sameModels(report.version?.models ?? [], runSummary.models)) {
          candidates.push(e);
        }
      }
      entryDir = latest(candidates)?.dir;
    }
    if (entryDir) {
      gate = {
        artifact: baseName(entryDir),
        dir: trimDir(entryDir),
        how: given("gate") ? "given" : "found",
        data: await readMain<GateReport>(trimDir(entryDir), "gate", "gate.json", "--gate"),
      };
    } else {
      missing.gate = {
        why: skipped("gate")
          ? "No regression gate was asked for."
          : gates > 0
          ? `None of the ${gates} gate artifacts in ${shown} tested ${
            runSummary.models.join(", ") || "this run's model"
          }.`
          : `No gate artifact in ${shown}.`,
        command: `evalkit regress --cases regression_cases.jsonl --responses CASE_RESPONSES ` +
          `--judge ${runSummary.judge.model} --baseline ${shown}/gate-<previous release>`,
      };
    }
  }

  // Judge–human agreement: this run's human sample, else the latest of the same judge and prompt.
  let agreement: ReportData["agreement"] = null;
  {
    let entry: { dir: string; meta: { run?: string | null; judge_run?: string } } | undefined;
    if (given("agreement")) {
      const d = trimDir(options.agreement!);
      const m = await readManifest(d).catch(() => null);
      entry = { dir: d, meta: (m?.meta ?? {}) as { run?: string | null; judge_run?: string } };
    } else if (!skipped("agreement")) {
      const plain = inventory.filter((e) =>
        e.kind === "agreement" && (e.manifest.meta as { mode?: string }).mode === "agreement"
      );
      const forRun = (e: ArtifactEntry) => {
        const m = e.manifest.meta as { run?: string | null; judge_run?: string };
        return m.judge_run === run.manifest.id || baseName(String(m.run ?? "")) === runName;
      };
      const sameJudge = (e: ArtifactEntry) => {
        const m = e.manifest.meta as { judge_model?: string; prompt_sha256?: string };
        return m.judge_model === meta.judge_model && m.prompt_sha256 === meta.prompt_sha256;
      };
      const hit = latest(plain.filter(forRun)) ?? latest(plain.filter(sameJudge));
      if (hit) {
        entry = {
          dir: hit.dir,
          meta: hit.manifest.meta as { run?: string | null; judge_run?: string },
        };
      }
    }
    if (entry) {
      const data = await readMain<AgreementReport>(
        entry.dir,
        "agreement",
        "agreement.json",
        "--agreement",
      );
      const ratedRun = entry.meta.run ? baseName(entry.meta.run) : null;
      const sameRun = entry.meta.judge_run === run.manifest.id || ratedRun === runName;
      agreement = {
        artifact: baseName(entry.dir),
        dir: entry.dir,
        how: given("agreement") ? "given" : "found",
        data,
        same_run: sameRun,
        rated_run: ratedRun,
        rated_release: ratedRun ? releases.get(ratedRun) ?? null : null,
      };
      if (!sameRun) {
        warnings.push({
          kind: "no human sample",
          text:
            `no human sample of this run: the agreement shown is of ${ratedRun ?? "another run"}${
              agreement.rated_release ? ` (${agreement.rated_release})` : ""
            }, judged by the same judge and prompt. Have ~50 of this run's items rated ` +
            `(evalkit review export --run ${dir} --n 50) to catch judge drift on this release`,
        });
      }
      const items = data.items;
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
    } else {
      missing.agreement = {
        why: skipped("agreement")
          ? "No agreement was asked for."
          : `No agreement artifact in ${shown} for this run or for its judge (${runSummary.judge.model}, prompt ${
            runSummary.prompt.sha256.slice(0, 12)
          }).`,
        command: humanSampleCommand(dir, shown, 50),
      };
    }
  }

  // The latest quarterly correlation.
  let correlation: ReportData["correlation"] = null;
  {
    let entryDir: string | undefined;
    if (given("correlation")) entryDir = options.correlation!;
    else if (!skipped("correlation")) {
      const found: { e: ArtifactEntry; quarter: string }[] = [];
      for (const e of inventory.filter((e) => e.kind === "correlation")) {
        found.push({ e, quarter: String((e.manifest.meta as { quarter?: string }).quarter ?? "") });
      }
      found.sort((a, b) => a.quarter.localeCompare(b.quarter) || byCreation(a.e, b.e));
      entryDir = found.at(-1)?.e.dir;
    }
    if (entryDir) {
      const data = await readMain<CorrelationResult>(
        trimDir(entryDir),
        "correlation",
        "correlation.json",
        "--correlation",
      );
      correlation = {
        artifact: baseName(entryDir),
        dir: trimDir(entryDir),
        how: given("correlation") ? "given" : "found",
        data,
        includes_run: data.releases.some((r) => r.runs.some((p) => baseName(p) === runName)),
      };
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
    } else {
      missing.correlation = {
        why: skipped("correlation")
          ? "No correlation was asked for."
          : `No correlation artifact in ${shown}.`,
        command: "evalkit correlate --releases releases.csv",
      };
    }
  }

  if (comparison) {
    const c = comparison.data;
    if (c.baseline.self_judged) {
      warnings.push({
        kind: "self-judged",
        text:
          `self-judged baseline: ${c.baseline.artifact} was judged by a model of the tested family`,
      });
    }
    const coarse = DIMENSIONS.filter((d) => (c.dimensions[d]?.mdd ?? 0) > SMALL_N.mdd);
    if (coarse.length > 0) {
      warnings.push({
        kind: "small n",
        text: `small n: with ${c.n} paired items the comparison detects (80% power) only ` +
          `differences of at least ${
            coarse.map((d) => `${c.dimensions[d].mdd!.toFixed(2)} on ${d}`).join(", ")
          }`,
      });
    }
  }
  if (gate?.data.judge.self_judged) {
    warnings.push({
      kind: "self-judged",
      text: `self-judged gate: ${gate.artifact} was judged by ${gate.data.judge.model}, ` +
        `a model of the tested family`,
    });
  }
  if (gate && gate.data.judge.model === HEURISTIC_JUDGE && meta.judge_model !== HEURISTIC_JUDGE) {
    warnings.push({
      kind: "heuristic judge",
      text: `heuristic judge: the gate ${gate.artifact} was judged by the offline heuristic`,
    });
  }

  const seen = new Set<string>();
  return {
    run: runSummary,
    scores: {
      distribution: scoreDistribution(run.judgments),
      means: summary.means,
      n: summary.ok,
    },
    comparison,
    gate,
    agreement,
    correlation,
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
  return files;
}
