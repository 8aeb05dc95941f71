/**
 * The rhythm (`evalkit status --runs DIR`): what the practice says is due,
 * read from the artifacts in a runs folder against a clock passed in.
 *
 * - **Human sample per release**: every judge run should have ~50 items rated
 *   by a person (an agreement artifact for that run); runs without one are due.
 * - **Monthly agreement**: the last agreement check and its verdict; due when
 *   there is none, or it is older than 30 days; a `recalibrate` verdict is due
 *   work of its own.
 * - **Quarterly correlation**: the last one; due when none covers the last
 *   completed quarter (or a later one).
 * - **Regression gate**: cases added to the cases file the last gate read,
 *   since that gate (an `added_on` after the gate's day, or a case the gate
 *   did not run), make the gate due again.
 * - **Self-judging**: judge runs and gates judged by a model of the tested family.
 *
 * @module
 */
import { usageError } from "../_errors.ts";
import { resolveRecorded } from "../artifacts.ts";
import { readArtifact } from "../artifact_kinds.ts";
import type { AgreementReport } from "../agreement/compute.ts";
import { quarterOf, shiftQuarter } from "../correlate/quarter.ts";
import {
  DEFAULT_DIMENSION_SET,
  type DimensionSet,
  dimensionSetOf,
  isDefaultSet,
  parseScale,
  scaleLabel,
} from "../dimensions.ts";
import { readCases } from "../regress/gate.ts";
import {
  type ArtifactEntry,
  baseName,
  entriesOf,
  ratesRun,
  readRuns,
  releaseNames,
} from "../runs.ts";
import { humanSampleCommand } from "./_commands.ts";

/**
 * The checks of the rhythm.
 *
 * @example
 * ```ts
 * import { STATUS_CHECKS } from "./status.ts";
 * if (STATUS_CHECKS.length !== 6 || STATUS_CHECKS[0] !== "human_sample") throw new Error();
 * ```
 */
export const STATUS_CHECKS = [
  "human_sample",
  "monthly_agreement",
  "quarterly_correlation",
  "item_validity",
  "gate",
  "self_judged",
] as const;
/** One of {@link STATUS_CHECKS}. */
export type StatusCheck = typeof STATUS_CHECKS[number];

/** Options for {@link readStatus}. */
export interface StatusOptions {
  /** The clock: what "today" is. @default new Date() */
  now?: Date;
  /** An agreement check older than this many days is due again. @default 30 */
  monthlyDays?: number;
}

/** One thing that is due. */
export interface DueItem {
  check: StatusCheck;
  /** What is due, in words. */
  what: string;
  /** The command that does it, when there is one. */
  command: string | null;
  /** The artifacts it is about. */
  artifacts: string[];
}

/** One judge run and whether humans rated a sample of it. */
export interface RunSample {
  artifact: string;
  release: string | null;
  models: string[];
  /** The dimensions its raters score: the run's set, from its manifest. */
  dimensions: string[];
  /** The run's scale as people write it, e.g. `1–5`. */
  scale: string;
  /** The agreement artifact of its human sample, or null. */
  agreement: string | null;
  /** A review export (blind sheets) of it, when sheets went out but no agreement came back. */
  exported: string | null;
}

/** What {@link readStatus} finds. */
export interface StatusReport {
  runs: string;
  now: string;
  counts: Record<string, number>;
  checks: {
    human_sample: { runs: RunSample[]; without: string[]; due: boolean };
    monthly_agreement: {
      last: {
        artifact: string;
        date: string;
        verdict: string;
        recalibrate: string[];
        raters: string[];
        overlap: number;
        run: string | null;
        /** The dimensions it checked: its manifest's set. */
        dimensions: string[];
        /** Its scale as people write it, e.g. `1–5`. */
        scale: string;
      } | null;
      age_days: number | null;
      due: boolean;
    };
    quarterly_correlation: {
      last: { artifact: string; quarter: string; pairs: number; predicts_prod: string[] } | null;
      current_quarter: string;
      /** The quarter the analysis now due covers: the last completed one. */
      expected_quarter: string;
      due: boolean;
    };
    item_validity: {
      /** Each release's judge run and the validity check that covers it, or null. */
      releases: { release: string; artifact: string; validity: string | null }[];
      /** Releases with no validity check yet. */
      without: string[];
      due: boolean;
    };
    gate: {
      last: {
        artifact: string;
        date: string;
        verdict: string;
        regressions: number;
        cases_file: string | null;
        cases: number;
      } | null;
      added_since: { id: string; added_on: string }[];
      /** Why the cases file could not be checked, when it could not. */
      problem: string | null;
      due: boolean;
    };
    self_judged: {
      artifacts: { artifact: string; kind: string; judge_model: string }[];
      due: boolean;
    };
  };
  due: DueItem[];
}

const DAY = 86_400_000;

function dayOf(iso: string): string {
  return iso.slice(0, 10);
}

function ageDays(now: Date, date: string): number {
  const t = Date.parse(date.length === 10 ? `${date}T00:00:00Z` : date);
  return Math.floor((now.getTime() - t) / DAY);
}

async function firstFile(candidates: readonly string[]): Promise<string | null> {
  for (const c of candidates) {
    try {
      if ((await Deno.stat(c)).isFile) return c;
    } catch {
      // Try the next.
    }
  }
  return null;
}

function parentOf(dir: string): string {
  const d = dir.replace(/\/+$/, "");
  const i = d.lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : d.slice(0, i);
}

/** What every check reads: the runs folder, its artifacts and the release names. */
interface StatusContext {
  runs: string;
  now: Date;
  monthlyDays: number;
  inventory: ArtifactEntry[];
  releases: Map<string, string>;
}

/** A set in words, for a line: nothing for the kit's five on 1–5. */
function setWords(set: DimensionSet): string {
  return isDefaultSet(set) ? "" : `${set.dimensions.join(", ")} on ${scaleLabel(set.scale)}`;
}

/** {@link setWords} of a set as the report records it (names, scale label). */
function recordedSetWords(r: { dimensions: readonly string[]; scale: string }): string {
  return setWords({ dimensions: r.dimensions, scale: parseScale(r.scale) });
}

function label(ctx: StatusContext, name: string): string {
  return ctx.releases.has(name) ? `${ctx.releases.get(name)} (${name})` : name;
}

/** The plain agreement checks of the folder (not prompt comparisons or re-judge checks). */
function plainAgreements(ctx: StatusContext) {
  return entriesOf(ctx.inventory, "agreement").filter((e) =>
    (e.meta.mode ?? "agreement") === "agreement"
  );
}

/** Human sample per release: every judge run (not of regression cases) and its agreement. */
export function humanSampleCheck(
  ctx: StatusContext,
): { check: StatusReport["checks"]["human_sample"]; due: DueItem[] } {
  const agreements = plainAgreements(ctx);
  const reviews = entriesOf(ctx.inventory, "review");
  const rows: RunSample[] = entriesOf(ctx.inventory, "judge")
    .filter((e) => e.meta.source !== "cases")
    .map((run) => {
      const identity = { name: run.name, id: run.id, judge_model: null, prompt_sha256: null };
      const set = dimensionSetOf(run.manifest);
      return {
        artifact: run.name,
        release: ctx.releases.get(run.name) ?? null,
        models: [...(run.meta.models ?? [])],
        dimensions: [...set.dimensions],
        scale: scaleLabel(set.scale),
        agreement: agreements.filter((a) => ratesRun(a.meta, identity)).at(-1)?.name ?? null,
        exported: reviews.filter((r) =>
          r.meta.judge_run === run.id || baseName(r.meta.run ?? "") === run.name
        ).at(-1)?.name ?? null,
      };
    });
  const without = rows.filter((r) => r.agreement === null);
  const due: DueItem[] = [];
  if (rows.length === 0) {
    due.push({
      check: "human_sample",
      what: "no judge run yet: judge the current release on the eval set",
      command: "evalkit judge --evalset DIR --responses DIR --judge MODEL",
      artifacts: [],
    });
  } else if (without.length > 0) {
    const exported = without.filter((r) => r.exported);
    const latest = entriesOf(ctx.inventory, "judge").find((e) =>
      e.name === without.at(-1)!.artifact
    )!;
    const rate = setWords(dimensionSetOf(latest.manifest));
    due.push({
      check: "human_sample",
      what: `${without.length} of ${rows.length} judge runs have no human sample: ` +
        without.map((r) => label(ctx, r.artifact)).join(", ") +
        (exported.length
          ? `; sheets went out for ${
            exported.map((r) => r.release ?? r.artifact).join(", ")
          } and await ratings`
          : "") +
        (rate ? `; the raters of ${label(ctx, latest.name)} score its rubric's ${rate}` : ""),
      command: humanSampleCommand(`${ctx.runs}/${without.at(-1)!.artifact}`, ctx.runs, 50),
      artifacts: without.map((r) => r.artifact),
    });
  }
  return {
    check: {
      runs: rows,
      without: without.map((r) => r.artifact),
      due: without.length > 0 || rows.length === 0,
    },
    due,
  };
}

/** Monthly agreement: the latest check by the ratings' date, its age, verdict and raters. */
export async function monthlyAgreementCheck(
  ctx: StatusContext,
): Promise<{ check: StatusReport["checks"]["monthly_agreement"]; due: DueItem[] }> {
  const dated = plainAgreements(ctx).map((e) => ({ e, date: e.meta.ratings_date ?? e.created_at }));
  dated.sort((a, b) => a.date < b.date ? -1 : a.date > b.date ? 1 : a.e.name < b.e.name ? -1 : 1);
  const lastA = dated.at(-1);
  const command = humanSampleCommand("RUN", ctx.runs, 30);
  if (!lastA) {
    return {
      check: { last: null, age_days: null, due: true },
      due: [{
        check: "monthly_agreement",
        what: "no judge–human agreement check yet: two people rate a 30-item subset each month",
        command,
        artifacts: [],
      }],
    };
  }
  const report = (await readArtifact(lastA.e.dir, "agreement")).data as AgreementReport;
  const age = ageDays(ctx.now, lastA.date);
  const name = lastA.e.name;
  const set = dimensionSetOf(lastA.e.manifest);
  const last = {
    artifact: name,
    date: dayOf(lastA.date),
    verdict: report.verdict,
    recalibrate: report.recalibrate,
    raters: report.raters,
    overlap: report.items.overlap,
    run: lastA.e.meta.run ? baseName(lastA.e.meta.run) : null,
    dimensions: [...set.dimensions],
    scale: scaleLabel(set.scale),
  };
  const due: DueItem[] = [];
  if (age > ctx.monthlyDays) {
    due.push({
      check: "monthly_agreement",
      what: `the last judge–human agreement check (${name}, ${last.date}) is ${age} days ` +
        `old: the monthly check is due`,
      command,
      artifacts: [name],
    });
  }
  if (last.verdict === "recalibrate") {
    due.push({
      check: "monthly_agreement",
      what: `the last agreement check (${name}) says recalibrate the judge prompt: ${
        last.recalibrate.join(", ")
      } below the threshold`,
      command: "evalkit agreement --run OLD --run NEW --ratings F... (after judging the rated " +
        "items with the edited prompt: evalkit judge --prompt NEW)",
      artifacts: [name],
    });
  }
  if (last.raters.length < 2) {
    due.push({
      check: "monthly_agreement",
      what: `the last agreement check (${name}) had one rater: the monthly check ` +
        "needs two people on the same 30 items",
      command: null,
      artifacts: [name],
    });
  }
  return { check: { last, age_days: age, due: age > ctx.monthlyDays }, due };
}

/** Quarterly correlation: due when none covers the last completed quarter. */
export function quarterlyCorrelationCheck(
  ctx: StatusContext,
): { check: StatusReport["checks"]["quarterly_correlation"]; due: DueItem[] } {
  const currentQuarter = quarterOf(ctx.now.toISOString().slice(0, 10)).label;
  const expected = shiftQuarter(currentQuarter, -1);
  const correlations = entriesOf(ctx.inventory, "correlation")
    .map((e) => ({ e, quarter: e.meta.quarter ?? "" }))
    .sort((a, b) =>
      a.quarter.localeCompare(b.quarter) || (a.e.created_at < b.e.created_at ? -1 : 1)
    );
  const lastC = correlations.at(-1);
  const covered = lastC !== undefined && lastC.quarter >= expected;
  const check: StatusReport["checks"]["quarterly_correlation"] = {
    last: lastC
      ? {
        artifact: lastC.e.name,
        quarter: lastC.quarter,
        pairs: lastC.e.meta.pairs ?? 0,
        // Older artifacts called the same list (interval above 0) `watch`.
        predicts_prod: [
          ...new Set(
            Object.values(lastC.e.meta.predicts_prod ?? lastC.e.meta.watch ?? {}).flat(),
          ),
        ],
      }
      : null,
    current_quarter: currentQuarter,
    expected_quarter: expected,
    due: !covered,
  };
  if (covered) return { check, due: [] };
  return {
    check,
    due: [{
      check: "quarterly_correlation",
      what: lastC
        ? `the last quarterly correlation covers ${lastC.quarter} (${lastC.e.name}); ${expected} has none`
        : `no quarterly correlation yet: correlate eval-score changes with prod metrics for ${expected}`,
      command: `evalkit correlate --releases releases.csv --quarter ${expected}`,
      artifacts: lastC ? [lastC.e.name] : [],
    }],
  };
}

/**
 * Item-level validity per release: a release's judge run is covered by a validity check
 * of that run, or of a judge run of prod answers by the same judge model whose answers
 * came from one of the release's models (its users' feedback is on them). A release
 * whose model has no such check has none yet: the check is due.
 */
export function itemValidityCheck(
  ctx: StatusContext,
): { check: StatusReport["checks"]["item_validity"]; due: DueItem[] } {
  const judges = new Map(entriesOf(ctx.inventory, "judge").map((e) => [e.name, e]));
  const checks = entriesOf(ctx.inventory, "validity").map((v) => ({
    name: v.name,
    run: judges.get(baseName(v.meta.run ?? "")),
  }));
  const releases = [...judges.values()]
    .filter((j) => ctx.releases.has(j.name) && j.meta.source !== "cases")
    .map((j) => {
      const models = new Set(j.meta.models ?? []);
      const hit = checks.filter(({ run }) =>
        run !== undefined && (run.name === j.name ||
          (run.meta.judge_model === j.meta.judge_model &&
            (run.meta.models ?? []).some((m) => models.has(m))))
      ).at(-1);
      return { release: ctx.releases.get(j.name)!, artifact: j.name, validity: hit?.name ?? null };
    });
  const without = releases.filter((r) => r.validity === null);
  const check = { releases, without: without.map((r) => r.release), due: without.length > 0 };
  if (!without.length) return { check, due: [] };
  return {
    check,
    due: [{
      check: "item_validity",
      what: `${without.length} of ${releases.length} releases have no validity check yet ` +
        `(does each score predict the users' thumbs-down?): ${
          without.map((r) => label(ctx, r.artifact)).join(", ")
        }`,
      command: `evalkit judge --evalset ${ctx.runs}/evalset-<id> --judge MODEL && ` +
        `evalkit validity --run ${ctx.runs}/judge-<that run>`,
      artifacts: without.map((r) => r.artifact),
    }],
  };
}

/**
 * The cases added to a gate's cases file since that gate: an `added_on` after the gate's
 * day, or a case the gate did not run. The file is looked for where the manifest names it,
 * from the runs folder's parent and its parent; its `min_scores` are read on the gate's
 * dimension set.
 */
export async function casesAddedSince(
  runs: string,
  gateDir: string,
  casesPath: string,
  gateDay: string,
  ran: ReadonlySet<string>,
  set: DimensionSet = DEFAULT_DIMENSION_SET,
): Promise<
  { added: { id: string; added_on: string }[]; total: number | null; problem: string | null }
> {
  const candidates = casesPath.startsWith("/") ? [casesPath] : [
    resolveRecorded(gateDir, casesPath),
    casesPath,
    `${parentOf(runs)}/${casesPath}`,
    `${parentOf(parentOf(runs))}/${casesPath}`,
  ];
  const file = await firstFile(candidates);
  if (!file) {
    return {
      added: [],
      total: null,
      problem: `the cases file "${casesPath}" is not there any more`,
    };
  }
  try {
    const cases = await readCases(file, set);
    const added = cases.filter((c) => String(c.added_on) > gateDay || !ran.has(String(c.id)))
      .map((c) => ({ id: String(c.id), added_on: String(c.added_on) }));
    return { added, total: cases.length, problem: null };
  } catch (e) {
    return { added: [], total: null, problem: (e as Error).message };
  }
}

/** The regression gate: due when cases were added since the last gate. */
export async function gateCheck(
  ctx: StatusContext,
): Promise<{ check: StatusReport["checks"]["gate"]; due: DueItem[] }> {
  const lastG = entriesOf(ctx.inventory, "gate").at(-1);
  if (!lastG) {
    return {
      check: { last: null, added_since: [], problem: "no gate has been run", due: true },
      due: [{
        check: "gate",
        what: "no regression gate yet: run the held-out cases against the current release",
        command: "evalkit regress --cases regression_cases.jsonl --responses DIR --judge MODEL",
        artifacts: [],
      }],
    };
  }
  const report = (await readArtifact(lastG.dir, "gate")).data;
  const casesPath = lastG.meta.cases?.path ?? null;
  const gateDay = dayOf(lastG.created_at);
  const found = casesPath
    ? await casesAddedSince(
      ctx.runs,
      lastG.dir,
      casesPath,
      gateDay,
      new Set(report.results.map((r) => r.id)),
      { dimensions: report.dimensions, scale: report.scale },
    )
    : { added: [], total: null, problem: "the gate's manifest names no cases file" };
  const added = found.added;
  const check: StatusReport["checks"]["gate"] = {
    last: {
      artifact: lastG.name,
      date: gateDay,
      verdict: report.verdict,
      regressions: report.regressions.length,
      cases_file: casesPath,
      cases: found.total ?? report.cases,
    },
    added_since: added,
    problem: found.problem,
    due: added.length > 0,
  };
  if (added.length === 0) return { check, due: [] };
  return {
    check,
    due: [{
      check: "gate",
      what: `${added.length} regression case${added.length === 1 ? "" : "s"} added to ` +
        `"${casesPath}" since the last gate (${lastG.name}, ${gateDay}): ${
          added.map((a) => `${a.id} (${a.added_on})`).join(", ")
        }`,
      command: `evalkit regress --cases ${casesPath} --responses DIR --judge MODEL ` +
        `--baseline ${ctx.runs}/${lastG.name}`,
      artifacts: [lastG.name],
    }],
  };
}

/** Self-judging: judge runs and gates judged by a model of the tested family. */
export function selfJudgedCheck(
  ctx: StatusContext,
): { check: StatusReport["checks"]["self_judged"]; due: DueItem[] } {
  const artifacts = [...entriesOf(ctx.inventory, "judge"), ...entriesOf(ctx.inventory, "gate")]
    .filter((e) => e.meta.self_judged === true)
    .map((e) => ({ artifact: e.name, kind: e.kind, judge_model: e.meta.judge_model ?? "unknown" }));
  const check = { artifacts, due: artifacts.length > 0 };
  if (artifacts.length === 0) return { check, due: [] };
  return {
    check,
    due: [{
      check: "self_judged",
      what: `${artifacts.length} artifact${
        artifacts.length === 1 ? " was" : "s were"
      } judged by a model of the tested family: ${
        artifacts.map((s) => `${label(ctx, s.artifact)} by ${s.judge_model}`).join(", ")
      }; re-judge with a judge of another family`,
      command: "evalkit judge --evalset DIR --responses DIR --judge OTHER_FAMILY_MODEL",
      artifacts: artifacts.map((s) => s.artifact),
    }],
  };
}

/**
 * Read a runs folder and say what the rhythm says is due.
 *
 * @param runsDir The runs folder (`--runs`).
 * @param options The clock and the monthly interval.
 * @returns Each check's finding and the list of what is due.
 * @throws {TypeError} When the folder does not exist, or an artifact in it is broken.
 *
 * @example An empty runs folder: judge a release first
 * ```ts
 * import { readStatus } from "./status.ts";
 * const dir = await Deno.makeTempDir();
 * const s = await readStatus(dir, { now: new Date("2026-11-29T00:00:00Z") });
 * if (!s.checks.monthly_agreement.due || !s.checks.quarterly_correlation.due) throw new Error();
 * await Deno.remove(dir);
 * ```
 */
export async function readStatus(
  runsDir: string,
  options: StatusOptions = {},
): Promise<StatusReport> {
  const now = options.now ?? new Date();
  if (Number.isNaN(now.getTime())) throw usageError("Invalid now: not a date");
  const runs = runsDir.replace(/\/+$/, "") || "/";
  const inventory = await readRuns(runs);
  const ctx: StatusContext = {
    runs,
    now,
    monthlyDays: options.monthlyDays ?? 30,
    inventory,
    releases: await releaseNames(inventory),
  };
  const human = humanSampleCheck(ctx);
  const monthly = await monthlyAgreementCheck(ctx);
  const quarterly = quarterlyCorrelationCheck(ctx);
  const validity = itemValidityCheck(ctx);
  const gate = await gateCheck(ctx);
  const self = selfJudgedCheck(ctx);
  const counts: Record<string, number> = {};
  for (const e of inventory) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
  return {
    runs,
    now: now.toISOString(),
    counts: Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b))),
    checks: {
      human_sample: human.check,
      monthly_agreement: monthly.check,
      quarterly_correlation: quarterly.check,
      item_validity: validity.check,
      gate: gate.check,
      self_judged: self.check,
    },
    due: [
      ...human.due,
      ...monthly.due,
      ...quarterly.due,
      ...validity.due,
      ...gate.due,
      ...self.due,
    ],
  };
}

/** The human-sample finding: runs rated, and the runs on a rubric of their own. */
function humanSampleFinding(hs: StatusReport["checks"]["human_sample"]): string {
  const own = new Map<string, number>();
  for (const r of hs.runs) {
    const words = recordedSetWords(r);
    if (words) own.set(words, (own.get(words) ?? 0) + 1);
  }
  return `human sample per release: ${hs.runs.length - hs.without.length} of ${hs.runs.length} ` +
    `judge runs rated by people${[...own].map(([words, n]) => `; ${n} on ${words}`).join("")}`;
}

/** The monthly-agreement finding: the last check, its verdict, raters and set. */
function monthlyFinding(m: StatusReport["checks"]["monthly_agreement"]): string {
  if (!m.last) return "monthly agreement: none yet";
  const l = m.last;
  const set = recordedSetWords(l);
  return `monthly agreement: ${l.artifact} on ${l.date} (${m.age_days} days ago), ${l.verdict}${
    l.recalibrate.length ? ` (${l.recalibrate.join(", ")})` : ""
  }, ${l.raters.length} raters, ${l.overlap} items rated by both${set ? `, on ${set}` : ""}`;
}

/** The quarterly-correlation finding: the last quarter covered, and whether one is missing. */
function quarterlyFinding(q: StatusReport["checks"]["quarterly_correlation"]): string {
  const last = q.last
    ? `${q.last.quarter} (${q.last.artifact}, ${q.last.pairs} release pairs${
      q.last.predicts_prod.length ? `; predicts prod: ${q.last.predicts_prod.join(", ")}` : ""
    })`
    : "none yet";
  return `quarterly correlation: ${last}; ${
    q.due
      ? `${q.expected_quarter} ended without one`
      : `covers ${q.expected_quarter}, the last completed quarter`
  }`;
}

/** The item-validity, gate and self-judging findings. */
function laterFindings(c: StatusReport["checks"]): [boolean, string][] {
  const v = c.item_validity;
  const g = c.gate;
  const s = c.self_judged;
  return [
    [
      v.due,
      `item-level validity: ${
        v.releases.length === 0
          ? "no release judged yet"
          : v.without.length
          ? `${v.releases.length - v.without.length} of ${v.releases.length} releases checked; ` +
            `none yet for ${v.without.join(", ")}`
          : `every release checked (${v.releases.length})`
      }`,
    ],
    [
      g.due,
      `regression gate: ${
        g.last
          ? `${g.last.artifact} on ${g.last.date}, ${g.last.verdict} (${g.last.regressions} regressions); ` +
            `${g.added_since.length} cases added since${g.problem ? `; ${g.problem}` : ""}`
          : "none yet"
      }`,
    ],
    [
      s.due,
      `self-judging: ${
        s.artifacts.length ? `${s.artifacts.length} self-judged artifacts` : "none"
      }`,
    ],
  ];
}

/**
 * The status as lines for a person: each check with `due` or `ok`, then what to run.
 *
 * @example
 * ```ts
 * import { readStatus, statusLines } from "./status.ts";
 * const dir = await Deno.makeTempDir();
 * const lines = statusLines(await readStatus(dir, { now: new Date("2026-11-29T00:00:00Z") }));
 * if (!lines.some((l) => l.startsWith("due"))) throw new Error(lines.join("\n"));
 * await Deno.remove(dir);
 * ```
 */
export function statusLines(report: StatusReport): string[] {
  const c = report.checks;
  const findings: [boolean, string][] = [
    [c.human_sample.due, humanSampleFinding(c.human_sample)],
    [c.monthly_agreement.due, monthlyFinding(c.monthly_agreement)],
    [c.quarterly_correlation.due, quarterlyFinding(c.quarterly_correlation)],
    ...laterFindings(c),
  ];
  const lines = [
    `status    ${report.runs} on ${report.now.slice(0, 10)}: ${
      Object.entries(report.counts).map(([k, n]) => `${n} ${k}`).join(", ") || "no artifacts"
    }`,
    ...findings.map(([due, text]) => `${due ? "due " : "ok  "}      ${text}`),
  ];
  if (report.due.length === 0) lines.push("nothing is due");
  for (const d of report.due) {
    lines.push(`due       ${d.what}`);
    if (d.command) lines.push(`          → ${d.command}`);
  }
  return lines;
}
