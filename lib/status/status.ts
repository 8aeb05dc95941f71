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
import type { AgreementReport } from "../agreement/compute.ts";
import { quarterOf, shiftQuarter } from "../correlate/quarter.ts";
import { readCases } from "../regress/gate.ts";
import type { GateReport } from "../regress/gate.ts";
import { humanSampleCommand } from "./_commands.ts";
import { type ArtifactEntry, baseName, readInventory, releaseNames } from "./inventory.ts";

/** The checks of the rhythm. */
export const STATUS_CHECKS = [
  "human_sample",
  "monthly_agreement",
  "quarterly_correlation",
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
      } | null;
      age_days: number | null;
      due: boolean;
    };
    quarterly_correlation: {
      last: { artifact: string; quarter: string; pairs: number; watch: string[] } | null;
      current_quarter: string;
      /** The quarter the analysis now due covers: the last completed one. */
      expected_quarter: string;
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

async function readJson<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as T;
  } catch {
    return null;
  }
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

/**
 * Read a runs folder and say what the rhythm says is due.
 *
 * @param runsDir The runs folder (`--runs`).
 * @param options The clock and the monthly interval.
 * @returns Each check's finding and the list of what is due.
 * @throws {TypeError} When the folder does not exist.
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
  const monthlyDays = options.monthlyDays ?? 30;
  const runs = runsDir.replace(/\/+$/, "") || "/";
  const inventory = await readInventory(runs);
  const releases = await releaseNames(inventory);
  const of = (kind: string) => inventory.filter((e) => e.kind === kind);
  const counts: Record<string, number> = {};
  for (const e of inventory) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
  const due: DueItem[] = [];
  const label = (name: string) => releases.has(name) ? `${releases.get(name)} (${name})` : name;

  // Human sample per release.
  const agreements = of("agreement").filter((e) =>
    ((e.manifest.meta as { mode?: string }).mode ?? "agreement") === "agreement"
  );
  const forRun = (e: ArtifactEntry, run: ArtifactEntry) => {
    const m = e.manifest.meta as { judge_run?: string; run?: string | null };
    return m.judge_run === run.id || baseName(String(m.run ?? "")) === run.name;
  };
  const sampleRows: RunSample[] = of("judge")
    .filter((e) => (e.manifest.meta as { source?: string }).source !== "cases")
    .map((run) => ({
      artifact: run.name,
      release: releases.get(run.name) ?? null,
      models: [...((run.manifest.meta as { models?: string[] }).models ?? [])],
      agreement: agreements.filter((a) => forRun(a, run)).at(-1)?.name ?? null,
      exported: of("review").filter((r) => forRun(r, run)).at(-1)?.name ?? null,
    }));
  const without = sampleRows.filter((r) => r.agreement === null);
  if (sampleRows.length === 0) {
    due.push({
      check: "human_sample",
      what: "no judge run yet: judge the current release on the eval set",
      command: "evalkit judge --evalset DIR --responses DIR --judge MODEL",
      artifacts: [],
    });
  } else if (without.length > 0) {
    const exported = without.filter((r) => r.exported);
    due.push({
      check: "human_sample",
      what: `${without.length} of ${sampleRows.length} judge runs have no human sample: ` +
        without.map((r) => label(r.artifact)).join(", ") +
        (exported.length
          ? `; sheets went out for ${
            exported.map((r) => r.release ?? r.artifact).join(", ")
          } and await ratings`
          : ""),
      command: humanSampleCommand(`${runs}/${without.at(-1)!.artifact}`, runs, 50),
      artifacts: without.map((r) => r.artifact),
    });
  }

  // Monthly agreement.
  const dated: { e: ArtifactEntry; date: string }[] = agreements.map((e) => ({
    e,
    date: (e.manifest.meta as { ratings_date?: string | null }).ratings_date ?? e.created_at,
  }));
  dated.sort((a, b) => a.date < b.date ? -1 : a.date > b.date ? 1 : a.e.name < b.e.name ? -1 : 1);
  const lastA = dated.at(-1);
  let monthly: StatusReport["checks"]["monthly_agreement"];
  if (!lastA) {
    monthly = { last: null, age_days: null, due: true };
    due.push({
      check: "monthly_agreement",
      what: "no judge–human agreement check yet: two people rate a 30-item subset each month",
      command: humanSampleCommand("RUN", runs, 30),
      artifacts: [],
    });
  } else {
    const report = await readJson<AgreementReport>(`${lastA.e.dir}/agreement.json`);
    const age = ageDays(now, lastA.date);
    const runPath = (lastA.e.manifest.meta as { run?: string | null }).run ?? null;
    monthly = {
      last: {
        artifact: lastA.e.name,
        date: dayOf(lastA.date),
        verdict: report?.verdict ?? "unknown",
        recalibrate: report?.recalibrate ?? [],
        raters: report?.raters ?? [],
        overlap: report?.items.overlap ?? 0,
        run: runPath ? baseName(runPath) : null,
      },
      age_days: age,
      due: age > monthlyDays,
    };
    if (monthly.due) {
      due.push({
        check: "monthly_agreement",
        what: `the last judge–human agreement check (${lastA.e.name}, ${
          dayOf(lastA.date)
        }) is ${age} days old: the monthly check is due`,
        command: humanSampleCommand("RUN", runs, 30),
        artifacts: [lastA.e.name],
      });
    }
    if (monthly.last!.verdict === "recalibrate") {
      due.push({
        check: "monthly_agreement",
        what: `the last agreement check (${lastA.e.name}) says recalibrate the judge prompt: ${
          monthly.last!.recalibrate.join(", ")
        } below the threshold`,
        command: "evalkit agreement --run OLD --run NEW --ratings F... (after judging the rated " +
          "items with the edited prompt: evalkit judge --prompt NEW)",
        artifacts: [lastA.e.name],
      });
    }
    if (monthly.last!.raters.length < 2) {
      due.push({
        check: "monthly_agreement",
        what: `the last agreement check (${lastA.e.name}) had one rater: the monthly check ` +
          "needs two people on the same 30 items",
        command: null,
        artifacts: [lastA.e.name],
      });
    }
  }

  // Quarterly correlation.
  const currentQuarter = quarterOf(now.toISOString().slice(0, 10)).label;
  const expected = shiftQuarter(currentQuarter, -1);
  const correlations = of("correlation").map((e) => ({
    e,
    quarter: String((e.manifest.meta as { quarter?: string }).quarter ?? ""),
  })).sort((a, b) =>
    a.quarter.localeCompare(b.quarter) || (a.e.created_at < b.e.created_at ? -1 : 1)
  );
  const lastC = correlations.at(-1);
  const covered = lastC !== undefined && lastC.quarter >= expected;
  const corrMeta = lastC?.e.manifest.meta as
    | { pairs?: number; watch?: Record<string, string[]> }
    | undefined;
  const quarterly: StatusReport["checks"]["quarterly_correlation"] = {
    last: lastC
      ? {
        artifact: lastC.e.name,
        quarter: lastC.quarter,
        pairs: corrMeta?.pairs ?? 0,
        watch: [...new Set(Object.values(corrMeta?.watch ?? {}).flat())],
      }
      : null,
    current_quarter: currentQuarter,
    expected_quarter: expected,
    due: !covered,
  };
  if (!covered) {
    due.push({
      check: "quarterly_correlation",
      what: lastC
        ? `the last quarterly correlation covers ${lastC.quarter} (${lastC.e.name}); ${expected} has none`
        : `no quarterly correlation yet: correlate eval-score changes with prod metrics for ${expected}`,
      command: `evalkit correlate --releases releases.csv --quarter ${expected}`,
      artifacts: lastC ? [lastC.e.name] : [],
    });
  }

  // Regression cases added since the last gate.
  const lastG = of("gate").at(-1);
  let gate: StatusReport["checks"]["gate"] = {
    last: null,
    added_since: [],
    problem: null,
    due: false,
  };
  if (!lastG) {
    gate = { ...gate, problem: "no gate has been run", due: true };
    due.push({
      check: "gate",
      what: "no regression gate yet: run the held-out cases against the current release",
      command: "evalkit regress --cases regression_cases.jsonl --responses DIR --judge MODEL",
      artifacts: [],
    });
  } else {
    const report = await readJson<GateReport>(`${lastG.dir}/gate.json`);
    const casesPath = (lastG.manifest.meta as { cases?: { path?: string } }).cases?.path ?? null;
    const gateDay = dayOf(lastG.created_at);
    let problem: string | null = null;
    let added: { id: string; added_on: string }[] = [];
    let total = report?.cases ?? 0;
    if (!casesPath) problem = "the gate's manifest names no cases file";
    else {
      const candidates = casesPath.startsWith("/")
        ? [casesPath]
        : [casesPath, `${parentOf(runs)}/${casesPath}`, `${parentOf(parentOf(runs))}/${casesPath}`];
      const file = await firstFile(candidates);
      if (!file) problem = `the cases file "${casesPath}" is not there any more`;
      else {
        try {
          const cases = await readCases(file);
          const ran = new Set((report?.results ?? []).map((r) => r.id));
          added = cases.filter((c) => String(c.added_on) > gateDay || !ran.has(String(c.id)))
            .map((c) => ({ id: String(c.id), added_on: String(c.added_on) }));
          total = cases.length;
        } catch (e) {
          problem = (e as Error).message;
        }
      }
    }
    gate = {
      last: {
        artifact: lastG.name,
        date: gateDay,
        verdict: report?.verdict ?? "unknown",
        regressions: report?.regressions.length ?? 0,
        cases_file: casesPath,
        cases: total,
      },
      added_since: added,
      problem,
      due: added.length > 0,
    };
    if (added.length > 0) {
      due.push({
        check: "gate",
        what:
          `${added.length} regression case${
            added.length === 1 ? "" : "s"
          } added to "${casesPath}" ` +
          `since the last gate (${lastG.name}, ${gateDay}): ${
            added.map((a) => `${a.id} (${a.added_on})`).join(", ")
          }`,
        command:
          `evalkit regress --cases ${casesPath} --responses DIR --judge MODEL --baseline ${runs}/${lastG.name}`,
        artifacts: [lastG.name],
      });
    }
  }

  // Self-judging.
  const selfJudged = [...of("judge"), ...of("gate")].filter((e) =>
    (e.manifest.meta as { self_judged?: boolean }).self_judged === true
  ).map((e) => ({
    artifact: e.name,
    kind: e.kind,
    judge_model: String((e.manifest.meta as { judge_model?: string }).judge_model ?? "unknown"),
  }));
  if (selfJudged.length > 0) {
    due.push({
      check: "self_judged",
      what: `${selfJudged.length} artifact${
        selfJudged.length === 1 ? " was" : "s were"
      } judged by a model of the tested family: ${
        selfJudged.map((s) => `${label(s.artifact)} by ${s.judge_model}`).join(", ")
      }; re-judge with a judge of another family`,
      command: "evalkit judge --evalset DIR --responses DIR --judge OTHER_FAMILY_MODEL",
      artifacts: selfJudged.map((s) => s.artifact),
    });
  }

  return {
    runs,
    now: now.toISOString(),
    counts: Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b))),
    checks: {
      human_sample: {
        runs: sampleRows,
        without: without.map((r) => r.artifact),
        due: without.length > 0 || sampleRows.length === 0,
      },
      monthly_agreement: monthly,
      quarterly_correlation: quarterly,
      gate,
      self_judged: { artifacts: selfJudged, due: selfJudged.length > 0 },
    },
    due,
  };
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
  const mark = (isDue: boolean) => (isDue ? "due " : "ok  ");
  const lines = [
    `status    ${report.runs} on ${report.now.slice(0, 10)}: ${
      Object.entries(report.counts).map(([k, n]) => `${n} ${k}`).join(", ") || "no artifacts"
    }`,
  ];
  const hs = c.human_sample;
  lines.push(
    `${mark(hs.due)}      human sample per release: ${
      hs.runs.length - hs.without.length
    } of ${hs.runs.length} judge runs rated by people`,
  );
  const m = c.monthly_agreement;
  lines.push(
    `${mark(m.due)}      monthly agreement: ${
      m.last
        ? `${m.last.artifact} on ${m.last.date} (${m.age_days} days ago), ${m.last.verdict}${
          m.last.recalibrate.length ? ` (${m.last.recalibrate.join(", ")})` : ""
        }, ${m.last.raters.length} raters, ${m.last.overlap} items rated by both`
        : "none yet"
    }`,
  );
  const q = c.quarterly_correlation;
  lines.push(
    `${mark(q.due)}      quarterly correlation: ${
      q.last
        ? `${q.last.quarter} (${q.last.artifact}, ${q.last.pairs} release pairs${
          q.last.watch.length ? `; watch ${q.last.watch.join(", ")}` : ""
        })`
        : "none yet"
    }; ${
      q.due
        ? `${q.expected_quarter} ended without one`
        : `covers ${q.expected_quarter}, the last completed quarter`
    }`,
  );
  const g = c.gate;
  lines.push(
    `${mark(g.due)}      regression gate: ${
      g.last
        ? `${g.last.artifact} on ${g.last.date}, ${g.last.verdict} (${g.last.regressions} regressions); ` +
          `${g.added_since.length} cases added since${g.problem ? `; ${g.problem}` : ""}`
        : "none yet"
    }`,
  );
  const s = c.self_judged;
  lines.push(
    `${mark(s.due)}      self-judging: ${
      s.artifacts.length ? `${s.artifacts.length} self-judged artifacts` : "none"
    }`,
  );
  if (report.due.length === 0) lines.push("nothing is due");
  for (const d of report.due) {
    lines.push(`due       ${d.what}`);
    if (d.command) lines.push(`          → ${d.command}`);
  }
  return lines;
}
