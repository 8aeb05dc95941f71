/**
 * A model-calling run as an artifact, the steps `generate` and `judge` share:
 * plan the artifact's id up front, reuse a finished artifact (no request),
 * journal each result to `<out>/.partial/<kind>-<id>/<file>` as it lands so a
 * killed run resumes, keep the journal of an unfinished run, and remove it
 * once the artifact is written. Also where the cache of a command lives.
 *
 * @module
 */
import type { z } from "zod";
import { inputError } from "../_errors.ts";
import {
  type ArtifactResult,
  type Manifest,
  planArtifact,
  readManifest,
  writeArtifact,
} from "../artifacts.ts";
import { readRecords } from "../io/read.ts";
import type { Reporter } from "../reporter.ts";
import { fileCache, type ResultCache, userCacheDir } from "./cache.ts";
import { emptyStats, type EngineStats } from "./engine.ts";
import { type Journal, openJournal } from "./journal.ts";

/** What identifies a run's artifact. */
export interface RunSpec {
  kind: string;
  out: string;
  command: string;
  params: Record<string, unknown>;
  seed: number | string | null;
  inputs: readonly string[];
}

/** A planned run: its artifact folder, and the manifest when it is already written. */
export interface PlannedRun {
  id: string;
  dir: string;
  /** Where the journal of an unfinished run lives. */
  partialDir: string;
  existing: Manifest | null;
}

/** Plan a run's artifact and find it when it exists. */
export async function planRun(spec: RunSpec): Promise<PlannedRun> {
  const plan = await planArtifact(spec);
  const existing = await readManifest(plan.dir).catch(() => null);
  return {
    id: plan.id,
    dir: plan.dir,
    partialDir: `${spec.out}/.partial/${spec.kind}-${plan.id}`,
    existing,
  };
}

/**
 * Open a run's journal, saying what a resumed run found.
 *
 * @param file The journal's file name, e.g. `judgments.jsonl`.
 */
export async function openRunJournal<S extends z.ZodType>(
  run: PlannedRun,
  file: string,
  schema: S,
  idOf: (record: z.infer<S>) => string,
  report: { reporter?: Reporter; total: number; noun: string },
): Promise<Journal<z.infer<S>>> {
  const journal = await openJournal(`${run.partialDir}/${file}`, schema, idOf);
  if (journal.existing.size > 0) {
    report.reporter?.info(
      `resuming  ${journal.existing.size} of ${report.total} ${report.noun} found in ${journal.path}` +
        (journal.dropped > 0 ? ` (${journal.dropped} torn or repeated lines ignored)` : ""),
    );
  }
  return journal;
}

/**
 * The journal to report for an unfinished run, or null (and the folder
 * removed) when nothing was written and nothing else is pending there.
 *
 * @param keep Other files whose presence keeps the folder (a pending batch's state).
 */
export async function keepUnfinished(
  run: PlannedRun,
  journal: Journal<unknown>,
  keep: readonly string[] = [],
): Promise<string | null> {
  const empty = (await Deno.stat(journal.path)).size === 0;
  const exists = (f: string) => Deno.stat(`${run.partialDir}/${f}`).then(() => true, () => false);
  const pending = (await Promise.all(keep.map(exists))).some(Boolean);
  if (empty && !pending) {
    await removePartial(run.partialDir);
    return null;
  }
  return journal.path;
}

/** Remove a run's partial folder, and `.partial/` itself when nothing else is in it. */
export async function removePartial(partialDir: string): Promise<void> {
  await Deno.remove(partialDir, { recursive: true }).catch(() => {});
  await Deno.remove(partialDir.slice(0, partialDir.lastIndexOf("/"))).catch(() => {});
}

/**
 * The main file of a finished run, read back (nothing is requested), and its manifest's meta.
 *
 * @param file The main file, e.g. `judgments.jsonl`.
 */
export async function readFinished<S extends z.ZodType>(
  run: PlannedRun,
  file: string,
  schema: S,
  reporter: Reporter | undefined,
): Promise<{ records: z.infer<S>[]; meta: Record<string, unknown> }> {
  const records = await readRecords(`${run.dir}/${file}`, schema, { allowEmpty: true });
  reporter?.info(`artifact  ${run.dir} exists: nothing to do (0 requests)`);
  return { records, meta: run.existing?.meta ?? {} };
}

/** What every reused run's result says: its artifact, finished, nothing refused or partial. */
export function reusedResult(run: PlannedRun): {
  artifact: string;
  id: string;
  complete: true;
  reused: true;
  partial: null;
  budget_refused: false;
  manifest: PlannedRun["existing"];
} {
  return {
    artifact: run.dir,
    id: run.id,
    complete: true,
    reused: true,
    partial: null,
    budget_refused: false,
    manifest: run.existing,
  };
}

/** The stats of a run whose artifact was found: nothing was requested. */
export function reusedStats(
  counts: { items: number; ok: number; failed: number },
  costTotal: number | null,
  budgetUsd: number | undefined,
): EngineStats {
  return {
    ...emptyStats(counts.items, null, budgetUsd, undefined),
    ...counts,
    cost_usd: 0,
    cost_usd_total: costTotal,
    estimate_usd: 0,
  };
}

/** The steps of one journaled run (see {@link runJournaled}). */
export interface JournaledRun<S extends z.ZodType, W extends { complete: boolean }, T> {
  /** The journal's file name (e.g. `judgments.jsonl`), record schema and id. */
  journal: { file: string; schema: S; idOf: (record: z.infer<S>) => string };
  /** How many items, and what they are called, for the resume line. */
  total: number;
  noun: string;
  /** Files whose presence keeps an unfinished run's folder (a pending batch). @default [] */
  keep?: readonly string[];
  reporter?: Reporter;
  now?: () => Date;
  /** The result when the artifact exists (no request). */
  reuse(run: PlannedRun): Promise<T>;
  /** Do the work, journaling into `journal`. */
  work(journal: Journal<z.infer<S>>, run: PlannedRun): Promise<W>;
  /** The result of an unfinished run (`partial`: the journal kept, or null). */
  unfinished(work: W, run: PlannedRun, partial: string | null): T;
  /** The artifact's files and manifest facts. */
  artifact(work: W): Promise<{ files: Record<string, string>; meta: Record<string, unknown> }>;
  /** The result once the artifact is written. */
  finished(work: W, written: ArtifactResult): T;
}

/**
 * Plan → reuse a finished artifact, or journal the work → write the artifact
 * and remove the journal (or keep it when the work is unfinished).
 *
 * @param spec What identifies the artifact.
 * @param steps The command's own steps.
 */
export async function runJournaled<S extends z.ZodType, W extends { complete: boolean }, T>(
  spec: RunSpec,
  steps: JournaledRun<S, W, T>,
): Promise<T> {
  const run = await planRun(spec);
  if (run.existing) {
    // A run killed between writing the artifact and removing its journal leaves one behind.
    await removePartial(run.partialDir);
    return steps.reuse(run);
  }
  const { file, schema, idOf } = steps.journal;
  const journal = await openRunJournal(run, file, schema, idOf, steps);
  let work: W;
  try {
    work = await steps.work(journal, run);
  } finally {
    await journal.close();
  }
  if (!work.complete) {
    return steps.unfinished(work, run, await keepUnfinished(run, journal, steps.keep));
  }
  const written = await writeArtifact({ ...spec, ...(await steps.artifact(work)), now: steps.now });
  await removePartial(run.partialDir);
  return steps.finished(work, written);
}

/** Where a command's cache is, and whether there is one. */
export interface CacheChoice {
  /** The cache root (`--cache DIR`). @default the user's ({@link userCacheDir}) */
  cacheDir?: string;
  /** Neither read nor write the cache (`--no-cache`). @default false */
  noCache?: boolean;
}

/**
 * The cache of one kind of result (`judge`, `generate`) under the cache root.
 *
 * @param kind The sub-folder, e.g. `judge`.
 * @param schema What an entry must be.
 */
export function runCache<S extends z.ZodType>(
  kind: string,
  schema: S,
  choice: CacheChoice,
): ResultCache<z.infer<S>> | undefined {
  if (choice.noCache) return undefined;
  return fileCache(`${choice.cacheDir ?? userCacheDir()}/${kind}`, schema);
}

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
