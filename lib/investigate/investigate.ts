/**
 * Investigate one failing dimension of one judge run: the lowest-scored items
 * with the judge's rationale, the breakdown by stratum, where the judge and the
 * humans disagreed on it, the release where it moved (the release-to-release
 * history of the same eval set, judge and prompt) and the items that moved
 * most then, with both releases' responses. What
 * `notebooks/06_investigate_dimension.ipynb` shows.
 *
 * @module
 */
import { usageError } from "../_errors.ts";
import { readManifest } from "../artifacts.ts";
import { JudgeMeta, readArtifact } from "../artifact_kinds.ts";
import type { AgreementReport, DimensionAgreement } from "../agreement/compute.ts";
import { rationaleFor } from "../agreement/run.ts";
import { pairJudgments } from "../compare/pair.ts";
import { type JudgeRun, readJudgeRun } from "../judge/run.ts";
import { lowestItems } from "../judge/summary.ts";
import { renderConversation } from "../review/export.ts";
import { readRunItems, type RunItem } from "../review/source.ts";
import { type DimensionSet, dimensionSetOf, type Scale, scaleLabels } from "../dimensions.ts";
import { scoreBand } from "../review/select.ts";
import { bootstrapCI } from "../stats/bootstrap.ts";
import { pairedDifference } from "../stats/paired.ts";
import { mean } from "../stats/summary.ts";
import {
  agreementOfRun,
  type ArtifactEntry,
  baseName,
  byCreation,
  entriesOf,
  readRunsIfAny,
  releaseInfo,
  type RunRelease,
} from "../runs.ts";

/** Options for {@link investigateDimension}. */
export interface InvestigateOptions {
  /** The runs folder holding the run's history and agreement checks. @default the run's parent folder */
  runs?: string;
  /** How many lowest-scored items to list. @default 10 */
  lowest?: number;
  /** How many of the items that moved most to list. @default 8 */
  movers?: number;
  /** Seed of every bootstrap and permutation test. @default 0 */
  seed?: number;
  /** Bootstrap resamples and sign flips. @default 2000 */
  resamples?: number;
  /** Confidence level of the intervals. @default 0.95 */
  level?: number;
}

/** One of the lowest-scored items. */
export interface LowItem {
  item_id: string;
  stratum: string | null;
  score: number;
  /** The item's scores on every dimension of the run's set. */
  scores: Record<string, number>;
  /** The judge's rationale about this dimension (the whole rationale when it is not labelled). */
  rationale: string;
  query: string | null;
  response: string | null;
  reference: string[] | null;
}

/** The dimension in one stratum. */
export interface StratumRow {
  stratum: string;
  n: number;
  mean: number;
  /** Percentile bootstrap interval of the mean; null below 2 items. */
  ci: [number, number] | null;
  /** Share of items scored low: in the bottom quarter of the scale (1–2 on 1–5; see {@link lowScores}). */
  low_share: number;
  /** Items per score, one count per point of the run's scale, lowest first (1–5: five counts). */
  counts: number[];
  /** The paired change from the previous release in the history, within the stratum; null without one. */
  change: { n: number; diff: number; ci: [number, number] } | null;
}

/** One release of the history. */
export interface HistoryPoint {
  /** The release name, or the run folder when no registry names it. */
  label: string;
  run: string;
  date: string | null;
  mean: number;
  n: number;
}

/** The change from one release to the next on the dimension (paired by item). */
export interface Step {
  from: string;
  to: string;
  from_run: string;
  to_run: string;
  n: number;
  from_mean: number;
  to_mean: number;
  diff: number;
  ci: [number, number];
  p_value: number;
  verdict: "improved" | "regressed" | "no detectable change";
}

/** An item whose score moved in the step investigated, with both responses. */
export interface Mover {
  item_id: string;
  stratum: string | null;
  query: string | null;
  from_score: number;
  to_score: number;
  change: number;
  from_response: string | null;
  to_response: string | null;
  from_rationale: string;
  to_rationale: string;
}

/** One item where the judge and the humans disagreed on the dimension. */
export interface DimensionDisagreement {
  item_id: string;
  judge: number;
  human_mean: number;
  humans: Record<string, number>;
  rationale: string;
  notes: Record<string, string>;
  query: string | null;
  response: string | null;
}

/** What {@link investigateDimension} finds. */
export interface Investigation {
  dimension: string;
  /** The run's dimension set, from its manifest: every dimension in report order. */
  dimensions: string[];
  /** The run's scale, from its manifest. */
  scale: Scale;
  /** The scores that count as low on that scale: up to `max`, `label` as people write it. */
  low: LowScores;
  run: {
    artifact: string;
    dir: string;
    release: string | null;
    models: string[];
    judge_model: string;
    n: number;
    mean: number | null;
  };
  lowest: LowItem[];
  strata: StratumRow[];
  agreement: {
    artifact: string;
    /** The humans rated this run (else another run of the same judge and prompt). */
    same_run: boolean;
    rated_run: string | null;
    /** The release of the rated run, when a registry or correlation names it. */
    rated_release: string | null;
    metric: string;
    threshold: number;
    verdict: string;
    value: number | null;
    ci: [number | null, number | null];
    /** Judge mean minus human mean on the rated items. */
    bias: number | null;
    compared: number;
    disagreements: DimensionDisagreement[];
  } | null;
  history: HistoryPoint[];
  steps: Step[];
  /** The step where the dimension moved, and how it was chosen; null without history. */
  moved: { step: Step; why: string } | null;
  movers: Mover[];
  /** What could not be shown, and why. */
  notes: string[];
}

/** The low scores of a scale. */
export interface LowScores {
  /** The highest score that is low. */
  max: number;
  /** E.g. `1–2`, or `1` when one score is low. */
  label: string;
}

/**
 * The scores that are low on a scale: the bottom quarter, as the review sample's score
 * bands count them (`scoreBand`): 1–2 on 1–5, 1–3 on 1–10, 0 on binary.
 *
 * @example
 * ```ts
 * import { lowScores } from "./investigate.ts";
 * if (lowScores({ min: 1, max: 5 }).label !== "1–2" || lowScores({ min: 1, max: 10 }).max !== 3) {
 *   throw new Error();
 * }
 * ```
 */
export function lowScores(scale: Scale): LowScores {
  const low = scaleLabels(scale).filter((v) => scoreBand({ score: v }, scale) === "low");
  const max = low.at(-1) ?? scale.min;
  return { max, label: max === scale.min ? `${max}` : `${scale.min}–${max}` };
}

function trimDir(dir: string): string {
  return dir.replace(/\/+$/, "") || "/";
}

function parentOf(dir: string): string {
  const d = trimDir(dir);
  const i = d.lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : d.slice(0, i);
}

function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  const r = Math.round(x * f) / f;
  return r === 0 ? 0 : r;
}

/**
 * A judge run from a folder, or from a release name that a release registry or a
 * correlation in the runs folder gives a run.
 *
 * @param run A judge-run folder, or a release name such as `r09`.
 * @param runs The runs folder to look the release up in.
 * @returns The run's folder.
 * @throws {RangeError} A usage error when it is neither.
 *
 * @example
 * ```ts
 * import { resolveRun } from "./investigate.ts";
 * const runs = await Deno.makeTempDir();
 * const error = await resolveRun("r99", runs).catch((e) => e);
 * if (!(error instanceof RangeError)) throw new Error(String(error));
 * await Deno.remove(runs);
 * ```
 */
export async function resolveRun(run: string, runs: string): Promise<string> {
  const asDir = await readManifest(run).then((m) => m.kind === "judge").catch(() => false);
  if (asDir) return trimDir(run);
  if (!run.includes("/")) {
    const inventory = await readRunsIfAny(runs);
    const info = await releaseInfo(inventory);
    const hits = inventory.filter((e) => e.kind === "judge" && info.get(e.name)?.release === run);
    if (hits.length > 0) return hits.at(-1)!.dir;
  }
  throw usageError(
    `No judge run "${run}": not a judge-run folder, and no release registry or correlation in ` +
      `"${runs}" names a release "${run}"`,
  );
}

function verdictOf(ci: [number, number]): Step["verdict"] {
  return ci[0] > 0 ? "improved" : ci[1] < 0 ? "regressed" : "no detectable change";
}

async function itemsOf(run: JudgeRun, notes: string[]): Promise<Map<string, RunItem> | null> {
  try {
    return (await readRunItems(run)).items;
  } catch (e) {
    notes.push(
      `${baseName(run.dir)}: its eval set or responses cannot be read (${
        (e as Error).message
      }): items are shown without their text`,
    );
    return null;
  }
}

/** What the investigation's steps share. */
interface InvestigationContext {
  dim: string;
  /** The run's dimension set, from its manifest. */
  set: DimensionSet;
  dir: string;
  name: string;
  judged: JudgeRun;
  meta: JudgeMeta;
  runsDir: string;
  inventory: ArtifactEntry[];
  releases: Map<string, RunRelease>;
  items: Map<string, RunItem> | null;
  stats: { seed: number; resamples: number; level: number };
  notes: string[];
}

/** The text of an item of the investigated run: stratum, conversation, response, reference. */
function textOf(ctx: InvestigationContext, id: string) {
  const it = ctx.items?.get(id);
  return {
    stratum: it?.item.stratum ?? null,
    query: it ? renderConversation(it.item) : null,
    response: it?.response ?? null,
    reference: it?.item.reference ?? null,
  };
}

/** A judgment's scores on a dimension set of any names. */
function scoresOf(j: JudgeRun["judgments"][number]): Record<string, number> {
  return j.scores as Record<string, number>;
}

function okScores(run: JudgeRun, dim: string): Map<string, number> {
  return new Map(
    run.judgments.filter((j) => j.status === "ok" && j.scores)
      .map((j) => [String(j.item_id), scoresOf(j)[dim]]),
  );
}

/** The lowest-scored items on the dimension, with the judge's rationale about it. */
export function lowestOf(ctx: InvestigationContext, n: number): LowItem[] {
  return lowestItems(ctx.judged.judgments, ctx.dim, n).map((j) => {
    const t = textOf(ctx, String(j.item_id));
    return {
      item_id: String(j.item_id),
      stratum: t.stratum,
      score: scoresOf(j)[ctx.dim],
      scores: { ...scoresOf(j) },
      rationale: rationaleFor(j.rationale, ctx.dim, ctx.set.dimensions),
      query: t.query,
      response: t.response,
      reference: t.reference,
    };
  });
}

/**
 * The run's history: the runs of the same eval set, judge and prompt in release order
 * (release date, else creation), up to and including this run, each read. A run whose
 * manifest records another scale, or no such dimension, is not part of it.
 */
export async function comparableRuns(
  ctx: InvestigationContext,
): Promise<{ upTo: ArtifactEntry[]; read: Map<string, JudgeRun> }> {
  const { meta, name } = ctx;
  const comparable = entriesOf(ctx.inventory, "judge").filter((e) =>
    e.meta.evalset?.sha256 === meta.evalset?.sha256 && e.meta.judge_model === meta.judge_model &&
    e.meta.prompt_sha256 === meta.prompt_sha256 && scoresDimension(e, ctx)
  );
  if (!comparable.some((e) => e.name === name)) {
    ctx.notes.push(
      `${name} is not in "${ctx.runsDir}": its history there is not known (pass runs: the folder holding its releases)`,
    );
  }
  const orderKey = (e: ArtifactEntry) =>
    ctx.releases.get(e.name)?.date ?? e.created_at.slice(0, 10);
  const self: ArtifactEntry = ctx.inventory.find((e) => e.name === name) ?? {
    dir: ctx.dir,
    name,
    kind: "judge",
    id: ctx.judged.manifest.id,
    created_at: ctx.judged.manifest.created_at,
    manifest: ctx.judged.manifest,
  };
  const series = [...comparable.filter((e) => e.name !== name), self].sort((a, b) =>
    orderKey(a) < orderKey(b) ? -1 : orderKey(a) > orderKey(b) ? 1 : byCreation(a, b)
  );
  const upTo = series.slice(0, series.findIndex((e) => e.name === name) + 1);
  const read = new Map<string, JudgeRun>([[name, ctx.judged]]);
  for (const e of upTo) if (!read.has(e.name)) read.set(e.name, await readJudgeRun(e.dir));
  return { upTo, read };
}

/** Whether a judge run scores the investigated dimension on the run's scale. */
function scoresDimension(e: ArtifactEntry, ctx: InvestigationContext): boolean {
  const set = dimensionSetOf(e.manifest);
  return set.dimensions.includes(ctx.dim) && set.scale.min === ctx.set.scale.min &&
    set.scale.max === ctx.set.scale.max;
}

function labelOf(ctx: InvestigationContext, e: ArtifactEntry): string {
  return ctx.releases.get(e.name)?.release ?? e.name;
}

/** The dimension's mean per release of the history. */
export function historyPoints(
  ctx: InvestigationContext,
  upTo: readonly ArtifactEntry[],
  read: ReadonlyMap<string, JudgeRun>,
): HistoryPoint[] {
  return upTo.map((e) => {
    const scores = [...okScores(read.get(e.name)!, ctx.dim).values()];
    return {
      label: labelOf(ctx, e),
      run: e.name,
      date: ctx.releases.get(e.name)?.date ?? null,
      mean: scores.length ? round(mean(scores)) : NaN,
      n: scores.length,
    };
  }).filter((p) => p.n > 0);
}

/** Each release-to-release change of the dimension, paired by item. */
export function historySteps(
  ctx: InvestigationContext,
  upTo: readonly ArtifactEntry[],
  read: ReadonlyMap<string, JudgeRun>,
): Step[] {
  const steps: Step[] = [];
  for (let i = 1; i < upTo.length; i++) {
    const [a, b] = [upTo[i - 1], upTo[i]];
    const paired = pairJudgments(read.get(a.name)!.judgments, read.get(b.name)!.judgments, [
      ctx.dim,
    ]);
    const from = (paired.baseline as Record<string, number[]>)[ctx.dim];
    const to = (paired.candidate as Record<string, number[]>)[ctx.dim];
    if (paired.items.length < 2) {
      ctx.notes.push(
        `${labelOf(ctx, a)} → ${labelOf(ctx, b)}: fewer than 2 items judged in both; no step`,
      );
      continue;
    }
    const d = pairedDifference(from, to, {
      ...ctx.stats,
      method: "percentile",
    });
    const ci: [number, number] = [round(d.ci[0]), round(d.ci[1])];
    steps.push({
      from: labelOf(ctx, a),
      to: labelOf(ctx, b),
      from_run: a.name,
      to_run: b.name,
      n: d.n,
      from_mean: round(d.mean_a),
      to_mean: round(d.mean_b),
      diff: round(d.diff),
      ci,
      p_value: round(d.p_value, 6),
      verdict: verdictOf(ci),
    });
  }
  return steps;
}

/**
 * The step where the dimension moved: the latest detectable drop, else the latest
 * detectable rise, else the largest change; null without steps.
 */
export function movedStep(steps: readonly Step[], dim: string): Investigation["moved"] {
  const latestOf = (v: Step["verdict"]) => steps.filter((s) => s.verdict === v).at(-1);
  const drop = latestOf("regressed");
  if (drop) {
    return { step: drop, why: `the latest release where ${dim} dropped with an interval below 0` };
  }
  const rise = latestOf("improved");
  if (rise) return { step: rise, why: `no detectable drop; the latest release where ${dim} rose` };
  if (steps.length === 0) return null;
  const largest = [...steps].sort((a, b) => Math.abs(b.diff) - Math.abs(a.diff))[0];
  return {
    step: largest,
    why: `no release moved ${dim} detectably; the largest change (its interval includes 0)`,
  };
}

/** The items that moved most (in the step's direction) in a step, with both responses. */
export async function moversOf(
  ctx: InvestigationContext,
  step: Step,
  read: ReadonlyMap<string, JudgeRun>,
  n: number,
): Promise<Mover[]> {
  const a = read.get(step.from_run)!;
  const b = read.get(step.to_run)!;
  const aItems = a === ctx.judged ? ctx.items : await itemsOf(a, ctx.notes);
  const bItems = b === ctx.judged ? ctx.items : await itemsOf(b, ctx.notes);
  const byId = (run: JudgeRun) =>
    new Map(
      run.judgments.filter((j) => j.status === "ok" && j.scores).map((j) => [String(j.item_id), j]),
    );
  const ja = byId(a);
  const jb = byId(b);
  const dim = ctx.dim;
  const sign = step.diff < 0 ? 1 : -1;
  const candidates = [...ja.keys()].filter((id) => jb.has(id)).map((id, index) => ({
    id,
    index,
    change: scoresOf(jb.get(id)!)[dim] - scoresOf(ja.get(id)!)[dim],
  })).filter((c) => c.change !== 0 && Math.sign(c.change) === -sign);
  candidates.sort((x, y) => sign * (x.change - y.change) || x.index - y.index);
  return candidates.slice(0, n).map(({ id, change }) => {
    const ia = aItems?.get(id);
    const ib = bItems?.get(id);
    const item = ib?.item ?? ia?.item;
    return {
      item_id: id,
      stratum: item?.stratum ?? null,
      query: item ? renderConversation(item) : null,
      from_score: scoresOf(ja.get(id)!)[dim],
      to_score: scoresOf(jb.get(id)!)[dim],
      change,
      from_response: ia?.response ?? null,
      to_response: ib?.response ?? null,
      from_rationale: rationaleFor(ja.get(id)!.rationale, dim, Object.keys(scoresOf(ja.get(id)!))),
      to_rationale: rationaleFor(jb.get(id)!.rationale, dim, Object.keys(scoresOf(jb.get(id)!))),
    };
  });
}

/** One stratum's row: mean with its interval, the low share, counts, the paired change. */
function stratumRow(
  ctx: InvestigationContext,
  stratum: string,
  rows: readonly { id: string; score: number }[],
  prevScores: ReadonlyMap<string, number> | null,
): StratumRow {
  const values = rows.map((r) => r.score);
  const counts = scaleLabels(ctx.set.scale).map((s) => values.filter((v) => v === s).length);
  const low = lowScores(ctx.set.scale).max;
  let ci: [number, number] | null = null;
  if (values.length >= 2) {
    const b = bootstrapCI(values, mean, { ...ctx.stats, method: "percentile" });
    ci = [round(b.lo), round(b.hi)];
  }
  let change: StratumRow["change"] = null;
  const pairs = prevScores ? rows.filter((r) => prevScores.has(r.id)) : [];
  if (prevScores && pairs.length >= 2) {
    const d = pairedDifference(
      pairs.map((r) => prevScores.get(r.id)!),
      pairs.map((r) => r.score),
      { ...ctx.stats, method: "percentile" },
    );
    change = { n: d.n, diff: round(d.diff), ci: [round(d.ci[0]), round(d.ci[1])] };
  }
  return {
    stratum,
    n: values.length,
    mean: round(mean(values)),
    ci,
    low_share: round(values.filter((v) => v <= low).length / values.length),
    counts,
    change,
  };
}

/**
 * The dimension by stratum, with the paired change from the previous release; the score
 * mix and the low share on the run's scale.
 */
export function strataRows(ctx: InvestigationContext, previous: JudgeRun | null): StratumRow[] {
  const prevScores = previous ? okScores(previous, ctx.dim) : null;
  const byStratum = new Map<string, { id: string; score: number }[]>();
  for (const [id, score] of okScores(ctx.judged, ctx.dim)) {
    const s = textOf(ctx, id).stratum ?? "(unknown)";
    byStratum.set(s, [...(byStratum.get(s) ?? []), { id, score }]);
  }
  return [...byStratum.keys()].sort().map((stratum) =>
    stratumRow(ctx, stratum, byStratum.get(stratum)!, prevScores)
  );
}

/** Where the judge and the humans disagreed: the agreement check {@link agreementOfRun} picks. */
export async function agreementFinding(
  ctx: InvestigationContext,
): Promise<Investigation["agreement"]> {
  const { dim, name } = ctx;
  const hit = agreementOfRun(
    entriesOf(ctx.inventory, "agreement").map((e) => ({ ...e, artifact: e.dir })),
    {
      name,
      id: ctx.judged.manifest.id,
      judge_model: ctx.meta.judge_model ?? null,
      prompt_sha256: ctx.meta.prompt_sha256 ?? null,
    },
  );
  if (!hit) {
    ctx.notes.push(
      `no agreement check in "${ctx.runsDir}" for this run or its judge and prompt: ` +
        `evalkit review export --run ${ctx.dir} --n 50, then evalkit agreement`,
    );
    return null;
  }
  const report = (await readArtifact(hit.dir, "agreement")).data as AgreementReport;
  const dA = (report.dimensions as Record<string, DimensionAgreement | undefined>)[dim];
  if (!dA) {
    ctx.notes.push(`the agreement check ${hit.name} did not rate ${dim}`);
    return null;
  }
  const ratedRun = hit.meta.run ? baseName(hit.meta.run) : hit.same_run ? name : null;
  let ratedItems: Map<string, RunItem> | null = null;
  if (hit.same_run) ratedItems = ctx.items;
  else {
    const other = ctx.inventory.find((e) => e.name === ratedRun);
    if (other) ratedItems = await itemsOf(await readJudgeRun(other.dir), ctx.notes);
  }
  const ratedRelease = ratedRun ? ctx.releases.get(ratedRun)?.release ?? null : null;
  if (!hit.same_run) {
    ctx.notes.push(
      `no human sample of ${name}: the disagreements are from ${ratedRun ?? "another run"}${
        ratedRelease ? ` (${ratedRelease})` : ""
      }, judged with the same judge and prompt`,
    );
  }
  return {
    artifact: hit.name,
    same_run: hit.same_run,
    rated_run: ratedRun,
    rated_release: ratedRelease,
    metric: report.metric,
    threshold: report.threshold,
    verdict: dA.verdict,
    value: dA.value,
    ci: dA.ci,
    bias: dA.means.diff,
    compared: dA.judge_vs_humans.n,
    disagreements: report.disagreements.filter((x) => x.dimension === dim).map((x) => {
      const it = ratedItems?.get(String(x.item_id));
      return {
        item_id: String(x.item_id),
        judge: x.judge,
        human_mean: x.human_mean,
        humans: x.humans,
        rationale: rationaleFor(x.rationale, dim, Object.keys(report.dimensions)),
        notes: x.notes,
        query: it ? renderConversation(it.item) : null,
        response: it?.response ?? null,
      };
    }),
  };
}

async function openInvestigation(
  run: string,
  dimension: string,
  options: InvestigateOptions,
): Promise<InvestigationContext> {
  const dir = trimDir(run);
  await readArtifact(dir, "judge", "--run");
  const judged = await readJudgeRun(dir);
  const set = dimensionSetOf(judged.manifest);
  if (!set.dimensions.includes(dimension)) {
    throw usageError(
      `Invalid dimension "${dimension}": expected one of ${set.dimensions.join(", ")}`,
    );
  }
  const runsDir = options.runs ?? parentOf(dir);
  const inventory = await readRunsIfAny(runsDir);
  const notes: string[] = [];
  return {
    dim: dimension,
    set,
    dir,
    name: baseName(dir),
    judged,
    meta: JudgeMeta.parse(judged.manifest.meta),
    runsDir,
    inventory,
    releases: await releaseInfo(inventory),
    items: await itemsOf(judged, notes),
    stats: {
      seed: options.seed ?? 0,
      resamples: options.resamples ?? 2000,
      level: options.level ?? 0.95,
    },
    notes,
  };
}

/**
 * Investigate one dimension of one judge run.
 *
 * @param run A judge-run folder.
 * @param dimension The dimension to investigate: one of the run's own (its manifest's set).
 * @param options The runs folder, list sizes and the statistics' settings.
 * @returns Every finding, as data (the notebook renders it).
 * @throws {RangeError} A usage error for a dimension the run does not score, naming those it
 *   does; {TypeError} when the run cannot be read.
 *
 * @example A run without history: its lowest items, and notes on what cannot be shown
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
 * import { investigateDimension } from "./investigate.ts";
 * const found = await investigateDimension(run.dir, "correctness");
 * if (found.lowest[0].item_id !== "q1" || found.moved !== null) throw new Error();
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function investigateDimension(
  run: string,
  dimension: string,
  options: InvestigateOptions = {},
): Promise<Investigation> {
  const ctx = await openInvestigation(run, dimension, options);
  const { dim, name, notes } = ctx;
  const lowest = lowestOf(ctx, options.lowest ?? 10);
  const { upTo, read } = await comparableRuns(ctx);
  const history = historyPoints(ctx, upTo, read);
  const steps = historySteps(ctx, upTo, read);
  const moved = movedStep(steps, dim);
  if (!moved) notes.push("no earlier release of the same eval set, judge and prompt: no history");
  const movers = moved ? await moversOf(ctx, moved.step, read, options.movers ?? 8) : [];
  const previous = upTo.length > 1 ? read.get(upTo[upTo.length - 2].name)! : null;
  const strata = strataRows(ctx, previous);
  const agreement = await agreementFinding(ctx);
  const scores = [...okScores(ctx.judged, dim).values()];
  return {
    dimension: dim,
    dimensions: [...ctx.set.dimensions],
    scale: { ...ctx.set.scale },
    low: lowScores(ctx.set.scale),
    run: {
      artifact: name,
      dir: ctx.dir,
      release: ctx.releases.get(name)?.release ?? null,
      models: [...(ctx.meta.models ?? [])],
      judge_model: ctx.meta.judge_model ?? "unknown",
      n: scores.length,
      mean: scores.length ? round(mean(scores)) : null,
    },
    lowest,
    strata,
    agreement,
    history,
    steps,
    moved,
    movers,
    notes,
  };
}
