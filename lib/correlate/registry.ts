/**
 * The release registry (SPEC §4): one row per release with its date, the judge
 * run(s) that evaluated it and the prod metrics of the period after it shipped.
 *
 * - Columns: `release,date,eval_run,thumbs_down_rate,tickets_per_1k[,more metrics]`,
 *   plus the optional text columns `model`, `prompt_version` and `notes`. Every other
 *   column is a further prod metric and must hold numbers (an empty cell is "not
 *   measured" for that release).
 * - `eval_run` names one judge-run artifact folder, or several separated by `;`. The
 *   first is the release's main run; the others are the same release judged on another
 *   eval set or with another judge prompt. That is how the registry records a
 *   re-baselined run: after updating the eval set, judge the current release on the new
 *   set and append that run to its `eval_run` (`runs/judge-a;runs/judge-b`), so the next
 *   release can be compared with it on the new set.
 * - A relative `eval_run` path is looked up first against the registry file's folder,
 *   then against the working directory; the first that exists is used (an absolute path
 *   is used as it is). A registry written as an artifact therefore names its runs as
 *   `../judge-<id>` and stays valid wherever the runs folder moves.
 *
 * Every problem (schema, missing or wrong run folders) is reported at once, each naming
 * file, line and field.
 *
 * @module
 */
import { inputError, type InputIssue, usageError } from "../_errors.ts";
import { readManifest } from "../artifacts.ts";
import { metaOf } from "../artifact_kinds.ts";
import { iterateRecords } from "../io/read.ts";
import { readJudgeRun } from "../judge/run.ts";
import { type Judgment, KINDS, Release, RELEASE_TEXT_COLUMNS } from "../schemas.ts";

/** Which way of a prod metric is good. */
export type MetricDirection = "lower" | "higher";

/**
 * The sign conventions the kit knows: fewer thumbs-down and fewer tickets are better.
 * Any further metric column needs its direction stated (`directions` option, or the
 * CLI's `--higher-is-better COL` / `--lower-is-better COL`).
 *
 * @example
 * ```ts
 * import { DEFAULT_METRIC_DIRECTIONS } from "./registry.ts";
 * if (DEFAULT_METRIC_DIRECTIONS.thumbs_down_rate !== "lower") throw new Error();
 * ```
 */
export const DEFAULT_METRIC_DIRECTIONS: Readonly<Record<string, MetricDirection>> = {
  thumbs_down_rate: "lower",
  tickets_per_1k: "lower",
};

/** One judge run a release names, read back with what matching needs. */
export interface RegistryRun {
  /** The path as the registry writes it. */
  path: string;
  /** The folder it resolved to. */
  dir: string;
  judge_model: string;
  prompt_sha256: string;
  /** The sha256 of the eval set the run judged (the manifest's `meta.evalset.sha256`). */
  evalset_sha256: string;
  /** The models whose responses were judged. */
  models: string[];
  judgments: Judgment[];
  /** What a report using this run must show (self-judged, heuristic judge, failures). */
  warnings: string[];
}

/** One release of the registry, its runs read. */
export interface RegistryRelease {
  release: string;
  date: string;
  /** The registry line it came from. */
  line: number;
  model: string | null;
  /** The release's runs, main run first. */
  runs: RegistryRun[];
  /** Prod metrics measured for this release (absent metrics are not measured). */
  metrics: Record<string, number>;
}

/** A release registry read and validated. */
export interface ReleaseRegistry {
  file: string;
  /** Releases in date order (ties keep file order). */
  releases: RegistryRelease[];
  /** The metric columns: thumbs_down_rate, tickets_per_1k, then further ones in file order. */
  metrics: string[];
  /** Every judgments file read, for a manifest's inputs. */
  runFiles: string[];
  warnings: string[];
}

function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : path.slice(0, i);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where a registry's `eval_run` path points: against the registry's folder first, then
 * the working directory; `null` when neither exists.
 *
 * @param registryFile The registry file.
 * @param runPath The path as written in `eval_run`.
 * @returns The folder found, or `null`.
 *
 * @example
 * ```ts
 * import { resolveRunPath } from "./registry.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/judge-a`);
 * if (await resolveRunPath(`${dir}/releases.csv`, "judge-a") !== `${dir}/judge-a`) throw new Error();
 * if (await resolveRunPath(`${dir}/releases.csv`, "judge-zzz") !== null) throw new Error();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function resolveRunPath(
  registryFile: string,
  runPath: string,
): Promise<string | null> {
  if (runPath.startsWith("/")) return (await exists(runPath)) ? runPath : null;
  const base = dirname(registryFile);
  const candidates = [base === "." ? runPath : `${base}/${runPath}`, runPath];
  for (const c of candidates) if (await exists(c)) return c;
  return null;
}

/** The `eval_run` cell split into its run paths. */
export function splitRuns(cell: string): string[] {
  return cell.split(";").map((s) => s.trim()).filter((s) => s !== "");
}

const TEXT = new Set<string>(RELEASE_TEXT_COLUMNS);

/** A judge run read for the registry, or the problem with it. */
async function readRun(dir: string, path: string): Promise<RegistryRun | string> {
  const manifest = await readManifest(dir).catch(() => null);
  if (!manifest) return `"${path}" is not an artifact folder (no manifest.json)`;
  if (manifest.kind !== "judge") {
    const article = /^[aeiou]/i.test(manifest.kind) ? "an" : "a";
    return `"${path}" is ${article} ${manifest.kind} artifact, not a judge run`;
  }
  const meta = metaOf(manifest, "judge", dir);
  if (!meta.evalset?.sha256 || !meta.prompt_sha256 || !meta.judge_model) {
    return `"${path}" is a judge run whose manifest lacks the judge, its prompt sha256 or the eval set's sha256`;
  }
  let run;
  try {
    run = await readJudgeRun(dir);
  } catch (e) {
    return `"${path}": ${(e as Error).message.replace(/^Cannot read "[^"]*": /, "")}`;
  }
  return {
    path,
    dir,
    judge_model: meta.judge_model,
    prompt_sha256: meta.prompt_sha256,
    evalset_sha256: meta.evalset.sha256,
    models: meta.models ?? [],
    judgments: run.judgments,
    warnings: run.warnings,
  };
}

/**
 * Read and validate a release registry and every judge run it names.
 *
 * @param file The registry: CSV (or JSONL) with the SPEC §4 release columns.
 * @returns The releases in date order with their runs and metrics, the metric columns,
 * the judgments files read and warnings.
 * @throws {TypeError} or {SyntaxError} naming file, line and field: a bad row, a
 * repeated release, an `eval_run` that is missing or not a judge run.
 *
 * @example
 * ```ts
 * import { readReleaseRegistry } from "./registry.ts";
 * const file = await Deno.makeTempFile({ suffix: ".csv" });
 * await Deno.writeTextFile(file, "release,date,eval_run,thumbs_down_rate,tickets_per_1k\nr1,2026-01-05,nowhere,0.1,5\n");
 * const error = await readReleaseRegistry(file).catch((e) => e);
 * if (!(error instanceof TypeError) || !/line 2: field "eval_run": no folder "nowhere"/.test(error.message)) {
 *   throw new Error(String(error));
 * }
 * await Deno.remove(file);
 * ```
 */
export async function readReleaseRegistry(file: string): Promise<ReleaseRegistry> {
  const issues: InputIssue[] = [];
  const rows: { line: number; record: Release }[] = [];
  for await (
    const row of iterateRecords(file, Release, {
      key: KINDS.releases.key,
      onIssue: (i) => issues.push(i),
    })
  ) rows.push(row);
  const metrics = metricColumns(rows.map((r) => r.record));
  const cache = new Map<string, Promise<RegistryRun | string>>();
  const loadRun = (dir: string, path: string): Promise<RegistryRun | string> => {
    if (!cache.has(dir)) cache.set(dir, readRun(dir, path));
    return cache.get(dir)!;
  };
  const releases: RegistryRelease[] = [];
  const warnings: string[] = [];
  for (const { line, record } of rows) {
    const runs = await releaseRuns(file, line, record, loadRun, issues, warnings);
    const values: Record<string, number> = {};
    for (const m of metrics) {
      const v = (record as Record<string, unknown>)[m];
      if (typeof v === "number") values[m] = v;
    }
    releases.push({
      release: record.release,
      date: record.date,
      line,
      model: record.model ?? null,
      runs,
      metrics: values,
    });
  }
  if (issues.length > 0) throw inputError(issues.sort((a, b) => a.line - b.line));
  releases.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.line - b.line));
  const runFiles = [
    ...new Set(releases.flatMap((r) => r.runs.map((x) => `${x.dir}/judgments.jsonl`))),
  ];
  warnings.push(...sharedRunWarnings(releases));
  return { file, releases, metrics, runFiles, warnings };
}

/** The metric columns: the two SPEC metrics and every other non-text column. */
function metricColumns(records: readonly Release[]): string[] {
  const metricSet = new Set<string>(["thumbs_down_rate", "tickets_per_1k"]);
  for (const record of records) {
    for (const k of Object.keys(record)) if (!TEXT.has(k)) metricSet.add(k);
  }
  return [...metricSet];
}

/** The judge runs one registry row names, each found and read; problems become issues. */
async function releaseRuns(
  file: string,
  line: number,
  record: Release,
  loadRun: (dir: string, path: string) => Promise<RegistryRun | string>,
  issues: InputIssue[],
  warnings: string[],
): Promise<RegistryRun[]> {
  const runs: RegistryRun[] = [];
  const paths = splitRuns(record.eval_run);
  if (paths.length === 0) {
    issues.push({ file, line, field: "eval_run", problem: "names no judge run", kind: "type" });
  }
  for (const path of paths) {
    const dir = await resolveRunPath(file, path);
    if (dir === null) {
      const base = dirname(file);
      const looked = path.startsWith("/") || base === "."
        ? `"${path}"`
        : `"${base}/${path}" and "${path}"`;
      issues.push({
        file,
        line,
        field: "eval_run",
        problem: `no folder "${path}" (looked in ${looked})`,
        kind: "type",
      });
      continue;
    }
    const run = await loadRun(dir, path);
    if (typeof run === "string") {
      issues.push({ file, line, field: "eval_run", problem: run, kind: "type" });
      continue;
    }
    runs.push(run);
    if (record.model && run.models.length > 0 && !run.models.includes(record.model)) {
      warnings.push(
        `${record.release}: the run "${path}" judged ${
          run.models.map((m) => `"${m}"`).join(", ")
        }, not the release's model "${record.model}"`,
      );
    }
  }
  return runs;
}

/** A warning for every judge run that two releases name. */
function sharedRunWarnings(releases: readonly RegistryRelease[]): string[] {
  const warnings: string[] = [];
  const seen = new Map<string, string>();
  for (const r of releases) {
    for (const run of r.runs) {
      const other = seen.get(run.dir);
      if (other !== undefined && other !== r.release) {
        warnings.push(`${other} and ${r.release} name the same judge run "${run.path}"`);
      }
      seen.set(run.dir, r.release);
    }
  }
  return warnings;
}

/**
 * Each metric's direction: the caller's, else the kit's default.
 *
 * @param metrics The metric columns.
 * @param directions Directions the caller states (override the defaults).
 * @returns `{ metric: "lower" | "higher" }` for every metric.
 * @throws {RangeError} When a metric has no known direction, naming it and the flags to pass.
 *
 * @example
 * ```ts
 * import { metricDirections } from "./registry.ts";
 * const d = metricDirections(["thumbs_down_rate", "csat"], { csat: "higher" });
 * if (d.thumbs_down_rate !== "lower" || d.csat !== "higher") throw new Error();
 * ```
 */
export function metricDirections(
  metrics: readonly string[],
  directions: Readonly<Record<string, MetricDirection>> = {},
): Record<string, MetricDirection> {
  const out: Record<string, MetricDirection> = {};
  const unknown: string[] = [];
  for (const m of metrics) {
    const d = directions[m] ?? DEFAULT_METRIC_DIRECTIONS[m];
    if (d === "lower" || d === "higher") out[m] = d;
    else unknown.push(m);
  }
  if (unknown.length > 0) {
    const m = unknown[0];
    throw usageError(
      `Metric column "${m}" has no sign convention: say whether higher is better ` +
        `(--higher-is-better ${m} or --lower-is-better ${m})` +
        (unknown.length > 1 ? `; also ${unknown.slice(1).map((u) => `"${u}"`).join(", ")}` : ""),
    );
  }
  return out;
}
