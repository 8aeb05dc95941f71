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
import { inputError, usageError } from "../_errors.ts";
import { readManifest } from "../artifacts.ts";
import { readAgreementHistory } from "../agreement/history.ts";
import { rationaleFor } from "../agreement/run.ts";
import { pairJudgments } from "../compare/pair.ts";
import { type JudgeRun, readJudgeRun } from "../judge/run.ts";
import { lowestItems } from "../judge/summary.ts";
import { renderConversation } from "../review/export.ts";
import { readRunItems, type RunItem } from "../review/source.ts";
import { type Dimension, DIMENSIONS, type Scores } from "../schemas.ts";
import { bootstrapCI } from "../stats/bootstrap.ts";
import { pairedDifference } from "../stats/paired.ts";
import { mean } from "../stats/summary.ts";
import {
  type ArtifactEntry,
  baseName,
  byCreation,
  readInventory,
  releaseInfo,
} from "../status/inventory.ts";

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
  scores: Scores;
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
  /** Share of items scored 1 or 2. */
  low_share: number;
  /** Items per score 1–5. */
  counts: [number, number, number, number, number];
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
  dimension: Dimension;
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

interface RunMeta {
  judge_model?: string;
  prompt_sha256?: string;
  evalset?: { sha256?: string };
  models?: string[];
}

/**
 * A judge run from a folder, or from a release name that a release registry or a
 * correlation in the runs folder gives a run.
 *
 * @param run A judge-run folder, or a release name such as `r09`.
 * @param runs The runs folder to look the release up in.
 * @returns The run's folder.
 * @throws {RangeError} A usage error when it is neither.
 */
export async function resolveRun(run: string, runs: string): Promise<string> {
  const asDir = await readManifest(run).then((m) => m.kind === "judge").catch(() => false);
  if (asDir) return trimDir(run);
  if (!run.includes("/")) {
    const inventory = await readInventory(runs).catch(() => [] as ArtifactEntry[]);
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

/**
 * Investigate one dimension of one judge run.
 *
 * @param run A judge-run folder.
 * @param dimension The dimension to investigate.
 * @param options The runs folder, list sizes and the statistics' settings.
 * @returns Every finding, as data (the notebook renders it).
 * @throws {RangeError} A usage error for an unknown dimension; {TypeError} when the run cannot be read.
 *
 * @example
 * ```ts ignore
 * const found = await investigateDimension("runs/judge-11f26874f994", "correctness");
 * console.log(found.moved?.step, found.movers.length);
 * ```
 */
export async function investigateDimension(
  run: string,
  dimension: string,
  options: InvestigateOptions = {},
): Promise<Investigation> {
  if (!(DIMENSIONS as readonly string[]).includes(dimension)) {
    throw usageError(`Invalid dimension "${dimension}": expected one of ${DIMENSIONS.join(", ")}`);
  }
  const dim = dimension as Dimension;
  const dir = trimDir(run);
  let judged: JudgeRun;
  try {
    judged = await readJudgeRun(dir);
  } catch (e) {
    if (e instanceof TypeError && /not an artifact folder|not a judge run/.test(e.message)) {
      throw inputError([{
        file: dir,
        line: 0,
        problem: "not a judge run: pass a folder written by evalkit judge",
        kind: "type",
      }]);
    }
    throw e;
  }
  const runsDir = options.runs ?? parentOf(dir);
  const seed = options.seed ?? 0;
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  const notes: string[] = [];
  const meta = judged.manifest.meta as RunMeta;
  const inventory = await readInventory(runsDir).catch(() => [] as ArtifactEntry[]);
  const releases = await releaseInfo(inventory);
  const name = baseName(dir);
  const items = await itemsOf(judged, notes);
  const ok = judged.judgments.filter((j) => j.status === "ok" && j.scores);
  const text = (id: string) => {
    const it = items?.get(id);
    return {
      stratum: it?.item.stratum ?? null,
      query: it ? renderConversation(it.item) : null,
      response: it?.response ?? null,
      reference: it?.item.reference ?? null,
    };
  };

  // The lowest-scored items.
  const lowest: LowItem[] = lowestItems(judged.judgments, dim, options.lowest ?? 10).map((j) => {
    const t = text(String(j.item_id));
    return {
      item_id: String(j.item_id),
      stratum: t.stratum,
      score: j.scores![dim],
      scores: j.scores!,
      rationale: rationaleFor(j.rationale, dim),
      query: t.query,
      response: t.response,
      reference: t.reference,
    };
  });

  // The history: runs of the same eval set, judge and prompt, in release order, up to this run.
  const comparable = inventory.filter((e) => {
    if (e.kind !== "judge") return false;
    const m = e.manifest.meta as RunMeta;
    return m.evalset?.sha256 === meta.evalset?.sha256 && m.judge_model === meta.judge_model &&
      m.prompt_sha256 === meta.prompt_sha256;
  });
  if (!comparable.some((e) => e.name === name)) {
    notes.push(
      `${name} is not in "${runsDir}": its history there is not known (pass runs: the folder holding its releases)`,
    );
  }
  const orderKey = (e: ArtifactEntry) => releases.get(e.name)?.date ?? e.created_at.slice(0, 10);
  const ordered = comparable.filter((e) => e.name !== name);
  const self: ArtifactEntry = inventory.find((e) => e.name === name) ?? {
    dir,
    name,
    kind: "judge",
    id: judged.manifest.id,
    created_at: judged.manifest.created_at,
    manifest: judged.manifest,
  };
  const series = [...ordered, self].sort((a, b) =>
    orderKey(a) < orderKey(b) ? -1 : orderKey(a) > orderKey(b) ? 1 : byCreation(a, b)
  );
  const upTo = series.slice(0, series.findIndex((e) => e.name === name) + 1);
  const runsRead = new Map<string, JudgeRun>([[name, judged]]);
  for (const e of upTo) {
    if (!runsRead.has(e.name)) runsRead.set(e.name, await readJudgeRun(e.dir));
  }
  const labelOf = (e: ArtifactEntry) => releases.get(e.name)?.release ?? e.name;
  const history: HistoryPoint[] = upTo.map((e) => {
    const scores = runsRead.get(e.name)!.judgments.filter((j) => j.status === "ok" && j.scores)
      .map((j) => j.scores![dim]);
    return {
      label: labelOf(e),
      run: e.name,
      date: releases.get(e.name)?.date ?? null,
      mean: scores.length ? round(mean(scores)) : NaN,
      n: scores.length,
    };
  }).filter((p) => p.n > 0);
  const steps: Step[] = [];
  for (let i = 1; i < upTo.length; i++) {
    const [a, b] = [upTo[i - 1], upTo[i]];
    const paired = pairJudgments(runsRead.get(a.name)!.judgments, runsRead.get(b.name)!.judgments);
    if (paired.items.length < 2) {
      notes.push(`${labelOf(a)} → ${labelOf(b)}: fewer than 2 items judged in both; no step`);
      continue;
    }
    const d = pairedDifference(paired.baseline[dim], paired.candidate[dim], {
      resamples,
      level,
      seed,
      method: "percentile",
    });
    const ci: [number, number] = [round(d.ci[0]), round(d.ci[1])];
    steps.push({
      from: labelOf(a),
      to: labelOf(b),
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

  // The step where it moved: the latest detectable drop, else the latest detectable rise,
  // else the largest change.
  let moved: Investigation["moved"] = null;
  const latestOf = (v: Step["verdict"]) => steps.filter((s) => s.verdict === v).at(-1);
  const drop = latestOf("regressed");
  const rise = latestOf("improved");
  if (drop) {
    moved = {
      step: drop,
      why: `the latest release where ${dim} dropped with an interval below 0`,
    };
  } else if (rise) {
    moved = { step: rise, why: `no detectable drop; the latest release where ${dim} rose` };
  } else if (steps.length > 0) {
    const largest = [...steps].sort((a, b) => Math.abs(b.diff) - Math.abs(a.diff))[0];
    moved = {
      step: largest,
      why: `no release moved ${dim} detectably; the largest change (its interval includes 0)`,
    };
  } else notes.push("no earlier release of the same eval set, judge and prompt: no history");

  // The items that moved most in that step, with both responses.
  let movers: Mover[] = [];
  if (moved) {
    const a = runsRead.get(moved.step.from_run)!;
    const b = runsRead.get(moved.step.to_run)!;
    const aItems = a === judged ? items : await itemsOf(a, notes);
    const bItems = b === judged ? items : await itemsOf(b, notes);
    const byId = (js: JudgeRun) =>
      new Map(
        js.judgments.filter((j) => j.status === "ok" && j.scores).map((
          j,
        ) => [String(j.item_id), j]),
      );
    const ja = byId(a);
    const jb = byId(b);
    const sign = moved.step.diff < 0 ? 1 : -1;
    const candidates = [...ja.keys()].filter((id) => jb.has(id)).map((id, index) => ({
      id,
      index,
      change: jb.get(id)!.scores![dim] - ja.get(id)!.scores![dim],
    })).filter((c) => c.change !== 0 && Math.sign(c.change) === -sign);
    candidates.sort((x, y) => sign * (x.change - y.change) || x.index - y.index);
    movers = candidates.slice(0, options.movers ?? 8).map(({ id, change }) => {
      const ia = aItems?.get(id);
      const ib = bItems?.get(id);
      const item = ib?.item ?? ia?.item;
      return {
        item_id: id,
        stratum: item?.stratum ?? null,
        query: item ? renderConversation(item) : null,
        from_score: ja.get(id)!.scores![dim],
        to_score: jb.get(id)!.scores![dim],
        change,
        from_response: ia?.response ?? null,
        to_response: ib?.response ?? null,
        from_rationale: rationaleFor(ja.get(id)!.rationale, dim),
        to_rationale: rationaleFor(jb.get(id)!.rationale, dim),
      };
    });
  }

  // By stratum, with the paired change from the previous release.
  const previous = upTo.length > 1 ? runsRead.get(upTo[upTo.length - 2].name)! : null;
  const prevScores = previous
    ? new Map(
      previous.judgments.filter((j) => j.status === "ok" && j.scores).map((
        j,
      ) => [String(j.item_id), j.scores![dim]]),
    )
    : null;
  const byStratum = new Map<string, { id: string; score: number }[]>();
  for (const j of ok) {
    const s = text(String(j.item_id)).stratum ?? "(unknown)";
    byStratum.set(s, [...(byStratum.get(s) ?? []), {
      id: String(j.item_id),
      score: j.scores![dim],
    }]);
  }
  const strata: StratumRow[] = [...byStratum.keys()].sort().map((stratum) => {
    const rows = byStratum.get(stratum)!;
    const values = rows.map((r) => r.score);
    const counts = [1, 2, 3, 4, 5].map((s) => values.filter((v) => v === s).length) as StratumRow[
      "counts"
    ];
    let ci: [number, number] | null = null;
    if (values.length >= 2) {
      const b = bootstrapCI(values, mean, { resamples, level, seed, method: "percentile" });
      ci = [round(b.lo), round(b.hi)];
    }
    let change: StratumRow["change"] = null;
    if (prevScores) {
      const pairs = rows.filter((r) => prevScores.has(r.id));
      if (pairs.length >= 2) {
        const d = pairedDifference(
          pairs.map((r) => prevScores.get(r.id)!),
          pairs.map((r) => r.score),
          {
            resamples,
            level,
            seed,
            method: "percentile",
          },
        );
        change = { n: d.n, diff: round(d.diff), ci: [round(d.ci[0]), round(d.ci[1])] };
      }
    }
    return {
      stratum,
      n: values.length,
      mean: round(mean(values)),
      ci,
      low_share: round(values.filter((v) => v <= 2).length / values.length),
      counts,
      change,
    };
  });

  // Where the judge and the humans disagreed on the dimension.
  let agreement: Investigation["agreement"] = null;
  const { entries } = await readAgreementHistory(runsDir).catch(() => ({ entries: [] }));
  const mine = entries.filter((x) => x.run !== null && baseName(x.run) === name).at(-1);
  const sameJudge = entries.filter((x) =>
    x.judge_model === meta.judge_model && x.prompt_sha256 === meta.prompt_sha256
  ).at(-1);
  const entry = mine ?? sameJudge;
  if (entry) {
    const report = entry.report;
    const dA = report.dimensions[dim];
    const ratedRun = entry.run ? baseName(entry.run) : null;
    let ratedItems: Map<string, RunItem> | null = null;
    if (ratedRun === name) ratedItems = items;
    else if (entry.run) {
      const other = inventory.find((e) => e.name === ratedRun);
      if (other) ratedItems = await itemsOf(await readJudgeRun(other.dir), notes);
    }
    agreement = {
      artifact: baseName(entry.artifact),
      same_run: ratedRun === name,
      rated_run: ratedRun,
      rated_release: ratedRun ? releases.get(ratedRun)?.release ?? null : null,
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
          rationale: rationaleFor(x.rationale, dim),
          notes: x.notes,
          query: it ? renderConversation(it.item) : null,
          response: it?.response ?? null,
        };
      }),
    };
    if (!agreement.same_run) {
      notes.push(
        `no human sample of ${name}: the disagreements are from ${ratedRun ?? "another run"}${
          agreement.rated_release ? ` (${agreement.rated_release})` : ""
        }, ` +
          "judged with the same judge and prompt",
      );
    }
  } else {
    notes.push(
      `no agreement check in "${runsDir}" for this run or its judge and prompt: ` +
        `evalkit review export --run ${dir} --n 50, then evalkit agreement`,
    );
  }

  const okScores = ok.map((j) => j.scores![dim]);
  return {
    dimension: dim,
    run: {
      artifact: name,
      dir,
      release: releases.get(name)?.release ?? null,
      models: [...(meta.models ?? [])],
      judge_model: meta.judge_model ?? "unknown",
      n: okScores.length,
      mean: okScores.length ? round(mean(okScores)) : null,
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
