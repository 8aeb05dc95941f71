/**
 * A runs folder, read once: every artifact's manifest (checked by its schema), oldest
 * first; the release names its registries and correlations give its judge runs; and the
 * rule that says which agreement check applies to a judge run. The report, the status,
 * the investigation and every history read a runs folder through {@link readRuns}, so a
 * missing folder and a broken artifact read the same everywhere.
 *
 * @module
 */
import { inputError } from "./_errors.ts";
import { ARTIFACT_NAME, type Manifest, readManifest } from "./artifacts.ts";
import { type AgreementMeta, type ArtifactKind, metaOf, readArtifact } from "./artifact_kinds.ts";

/** One artifact folder of a runs folder. */
export interface ArtifactEntry {
  /** The folder, `<runs>/<kind>-<id>`. */
  dir: string;
  /** The folder's name, `<kind>-<id>`. */
  name: string;
  kind: string;
  id: string;
  created_at: string;
  manifest: Manifest;
}

/**
 * The last component of a path, without trailing slashes: an artifact's folder name.
 *
 * @example
 * ```ts
 * import { baseName } from "./runs.ts";
 * if (baseName("runs/judge-0a1b2c/") !== "judge-0a1b2c" || baseName("x") !== "x") throw new Error();
 * ```
 */
export function baseName(path: string): string {
  return path.replace(/\/+$/, "").split("/").pop() ?? path;
}

/**
 * Order artifacts by creation time, then folder name (so the order is total).
 *
 * @example
 * ```ts
 * import { byCreation } from "./runs.ts";
 * const a = { created_at: "2026-01-02T00:00:00.000Z", name: "b" };
 * const b = { created_at: "2026-01-01T00:00:00.000Z", name: "a" };
 * if ([a, b].sort(byCreation)[0] !== b) throw new Error();
 * ```
 */
export function byCreation(
  a: { created_at: string; name: string },
  b: { created_at: string; name: string },
): number {
  return a.created_at < b.created_at
    ? -1
    : a.created_at > b.created_at
    ? 1
    : a.name < b.name
    ? -1
    : a.name > b.name
    ? 1
    : 0;
}

/**
 * Read every artifact's manifest in a runs folder: the one runs-folder scanner. Folders not
 * named `<kind>-<id>` (temporary folders of unfinished writes start with a dot) and folders
 * without a manifest are not artifacts and are skipped; an artifact whose manifest is
 * truncated or hand-edited is an error, not skipped.
 *
 * @param dir The runs folder.
 * @returns The artifacts, oldest first.
 * @throws {TypeError} `Cannot read "dir": no such folder` when it does not exist;
 *   `Cannot read "dir/<kind>-<id>/manifest.json": field "…": …` for a broken manifest.
 *
 * @example
 * ```ts
 * import { readRuns } from "./runs.ts";
 * const dir = await Deno.makeTempDir();
 * if ((await readRuns(dir)).length !== 0) throw new Error();
 * await Deno.remove(dir);
 * ```
 */
export async function readRuns(dir: string): Promise<ArtifactEntry[]> {
  const base = dir.replace(/\/+$/, "") || "/";
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(base)) {
      if (e.isDirectory && ARTIFACT_NAME.test(e.name)) names.push(e.name);
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) {
      throw inputError([{ file: dir, line: 0, problem: "no such folder", kind: "type" }]);
    }
    throw e;
  }
  const entries: ArtifactEntry[] = [];
  for (const name of names.sort()) {
    const path = `${base}/${name}`;
    const present = await Deno.stat(`${path}/manifest.json`).then(() => true, () => false);
    if (!present) continue;
    const manifest = await readManifest(path);
    entries.push({
      dir: path,
      name,
      kind: manifest.kind,
      id: manifest.id,
      created_at: manifest.created_at,
      manifest,
    });
  }
  return entries.sort(byCreation);
}

/**
 * {@link readRuns}, or no artifacts when the folder does not exist (a report or an
 * investigation of a run whose runs folder is gone still shows the run).
 */
export async function readRunsIfAny(dir: string): Promise<ArtifactEntry[]> {
  const exists = await Deno.stat(dir).then((s) => s.isDirectory, () => false);
  return exists ? await readRuns(dir) : [];
}

/** The entries of one kind, oldest first, each with its meta checked by its kind's schema. */
export function entriesOf<K extends ArtifactKind>(
  entries: readonly ArtifactEntry[],
  kind: K,
): (ArtifactEntry & { meta: ReturnType<typeof metaOf<K>> })[] {
  return entries.filter((e) => e.kind === kind).map((e) => ({
    ...e,
    meta: metaOf(e.manifest, kind, e.dir),
  }));
}

/** The release a judge run evaluated, and the release's date when known. */
export interface RunRelease {
  release: string;
  /** `YYYY-MM-DD`, from a correlation's registry; null when only a name is known. */
  date: string | null;
}

/**
 * The releases of judge runs (run folder name → release and date), from the
 * release registries the demo writes (`releases-<id>`, `meta.runs`) and from
 * every quarterly correlation (`correlation.json` lists each release's runs and
 * date). A run named by several gets the latest one's name.
 *
 * @throws {TypeError} When a correlation's `correlation.json` is broken.
 *
 * @example
 * ```ts
 * import { writeArtifact } from "./artifacts.ts";
 * import { readRuns, releaseInfo } from "./runs.ts";
 * const out = await Deno.makeTempDir();
 * await writeArtifact({ kind: "releases", out, command: "example", params: {},
 *   files: { "releases.csv": "release,date\n" }, meta: { runs: { r09: "../judge-0a1b2c" } } });
 * const info = await releaseInfo(await readRuns(out));
 * if (info.get("judge-0a1b2c")?.release !== "r09") throw new Error();
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function releaseInfo(
  inventory: readonly ArtifactEntry[],
): Promise<Map<string, RunRelease>> {
  const info = new Map<string, RunRelease>();
  for (const entry of inventory) {
    if (entry.kind === "releases") {
      const runs = metaOf(entry.manifest, "releases", entry.dir).runs ?? {};
      for (const [release, path] of Object.entries(runs)) {
        const known = info.get(baseName(path));
        info.set(baseName(path), {
          release,
          date: known?.release === release ? known.date : null,
        });
      }
    } else if (entry.kind === "correlation") {
      const { data } = await readArtifact(entry.dir, "correlation");
      for (const r of data.releases) {
        for (const path of r.runs) {
          info.set(baseName(path), { release: r.release, date: r.date ?? null });
        }
      }
    }
  }
  return info;
}

/**
 * Release names of judge runs (run folder name → release): {@link releaseInfo} without dates.
 *
 * @example
 * ```ts
 * import { releaseNames } from "./runs.ts";
 * if ((await releaseNames([])).size !== 0) throw new Error();
 * ```
 */
export async function releaseNames(
  inventory: readonly ArtifactEntry[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const [run, r] of await releaseInfo(inventory)) names.set(run, r.release);
  return names;
}

/** A judge run as the agreement rule sees it: its folder name, id, judge and prompt. */
export interface RunIdentity {
  /** The folder name, `judge-<id>`. */
  name: string;
  id: string;
  judge_model: string | null;
  prompt_sha256: string | null;
}

/** An agreement check as the agreement rule sees it. */
export interface AgreementCandidate {
  /** The folder name or path of the agreement artifact. */
  artifact: string;
  meta: AgreementMeta;
}

/** Whether an agreement check rated a sample of this very run. */
export function ratesRun(meta: AgreementMeta, run: RunIdentity): boolean {
  return meta.judge_run === run.id ||
    (typeof meta.run === "string" && baseName(meta.run) === run.name);
}

/**
 * The agreement check that applies to a judge run: the latest plain agreement check of
 * this run's human sample, else the latest of the same judge model and prompt (another
 * release rated with the same judge); null when there is none. Prompt comparisons and
 * re-judge checks never apply. The report and the investigation both use this rule.
 *
 * @param candidates Agreement checks, oldest first.
 * @param run The judge run.
 * @returns The check and whether it rated this very run.
 *
 * @example
 * ```ts
 * import { agreementOfRun } from "./runs.ts";
 * const run = { name: "judge-0a1b2c", id: "0a1b2c", judge_model: "j", prompt_sha256: "p" };
 * const other = { artifact: "agreement-1", meta: { mode: "agreement" as const, run: "runs/judge-ffffff",
 *   judge_model: "j", prompt_sha256: "p" } };
 * const mine = { artifact: "agreement-2", meta: { mode: "agreement" as const, judge_run: "0a1b2c" } };
 * if (agreementOfRun([mine, other], run)?.artifact !== "agreement-2") throw new Error();
 * if (agreementOfRun([other], run)?.same_run !== false) throw new Error();
 * ```
 */
export function agreementOfRun<C extends AgreementCandidate>(
  candidates: readonly C[],
  run: RunIdentity,
): (C & { same_run: boolean }) | null {
  const plain = candidates.filter((c) => (c.meta.mode ?? "agreement") === "agreement");
  const mine = plain.filter((c) => ratesRun(c.meta, run)).at(-1);
  if (mine) return { ...mine, same_run: true };
  const sameJudge = plain.filter((c) =>
    run.judge_model !== null && c.meta.judge_model === run.judge_model &&
    c.meta.prompt_sha256 === run.prompt_sha256
  ).at(-1);
  return sameJudge ? { ...sameJudge, same_run: false } : null;
}
