/**
 * What a runs folder holds: every artifact's manifest, oldest first, and the
 * release names the folder's registries and correlations give its judge runs.
 * The report's discovery and `evalkit status` both read a runs folder this way.
 *
 * @module
 */
import { inputError } from "../_errors.ts";
import { type Manifest, readManifest } from "../artifacts.ts";

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

/** The last component of a path, without trailing slashes. */
export function baseName(path: string): string {
  return path.replace(/\/+$/, "").split("/").pop() ?? path;
}

/**
 * Order artifacts by creation time, then folder name (so the order is total).
 *
 * @example
 * ```ts
 * import { byCreation } from "./inventory.ts";
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
 * Read every artifact's manifest in a runs folder (folders without a manifest,
 * and temporary folders of unfinished writes, are skipped).
 *
 * @param dir The runs folder.
 * @returns The artifacts, oldest first.
 * @throws {TypeError} `Cannot read "dir": no such folder` when it does not exist.
 *
 * @example
 * ```ts
 * import { readInventory } from "./inventory.ts";
 * const dir = await Deno.makeTempDir();
 * if ((await readInventory(dir)).length !== 0) throw new Error();
 * await Deno.remove(dir);
 * ```
 */
export async function readInventory(dir: string): Promise<ArtifactEntry[]> {
  const base = dir.replace(/\/+$/, "") || "/";
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(base)) {
      if (e.isDirectory && /^[a-z][a-z0-9_]*-[0-9a-f]{6,}$/.test(e.name)) names.push(e.name);
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
    const manifest = await readManifest(path).catch(() => null);
    if (!manifest || typeof manifest.kind !== "string") continue;
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
 */
export async function releaseInfo(
  inventory: readonly ArtifactEntry[],
): Promise<Map<string, RunRelease>> {
  const info = new Map<string, RunRelease>();
  for (const entry of inventory) {
    if (entry.kind === "releases") {
      const runs = (entry.manifest.meta as { runs?: Record<string, string> }).runs ?? {};
      for (const [release, path] of Object.entries(runs)) {
        const known = info.get(baseName(path));
        info.set(baseName(path), {
          release,
          date: known?.release === release ? known.date : null,
        });
      }
    } else if (entry.kind === "correlation") {
      try {
        const result = JSON.parse(await Deno.readTextFile(`${entry.dir}/correlation.json`)) as {
          releases?: { release: string; date?: string; runs: string[] }[];
        };
        for (const r of result.releases ?? []) {
          for (const path of r.runs) {
            info.set(baseName(path), { release: r.release, date: r.date ?? null });
          }
        }
      } catch {
        // An unreadable correlation names no release.
      }
    }
  }
  return info;
}

/** Release names of judge runs (run folder name → release): {@link releaseInfo} without dates. */
export async function releaseNames(
  inventory: readonly ArtifactEntry[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const [run, r] of await releaseInfo(inventory)) names.set(run, r.release);
  return names;
}
