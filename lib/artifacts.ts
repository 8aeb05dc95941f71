/**
 * The one module that writes artifacts (SPEC §5).
 *
 * An artifact is a folder `<out>/<kind>-<id>/` holding one main file (and any
 * others) beside a `manifest.json` that records the kit version, the git
 * commit, the command and its parameters, the seed, the sha256 of every input
 * and output, and `created_at`. The id is derived from the kind, command,
 * parameters, seed and the inputs' content, so the same inputs and parameters
 * land in the same folder with byte-identical files. Writes are atomic: the
 * folder is built under a temporary name and renamed into place. An existing
 * artifact is never overwritten with different content.
 *
 * @module
 */
import denoJson from "../deno.json" with { type: "json" };
import { canonicalJson, sha256, sha256File } from "./_hash.ts";
import { inputError } from "./_errors.ts";

/** The kit's version, as in deno.json. */
export const KIT_VERSION: string = denoJson.version;

/** One hashed file of a manifest. */
export interface FileEntry {
  path: string;
  sha256: string;
  bytes: number;
}

/** The manifest written beside every artifact's files. */
export interface Manifest {
  kit: { name: string; version: string; git_commit: string | null };
  kind: string;
  id: string;
  command: string;
  params: Record<string, unknown>;
  seed: number | string | null;
  inputs: FileEntry[];
  outputs: FileEntry[];
  /** Command-specific facts: judge model, prompt sha256, counts. */
  meta: Record<string, unknown>;
  created_at: string;
}

/** What to write as an artifact. */
export interface ArtifactSpec {
  /** The artifact kind, e.g. `"evalset"`; the folder is `<out>/<kind>-<id>`. */
  kind: string;
  /** The folder artifacts go in. @default "runs" */
  out?: string;
  /** The command that made it, e.g. `"sample"`. */
  command: string;
  /** The command's parameters (JSON values), hashed into the id. */
  params: Record<string, unknown>;
  /** The seed, when randomness was involved. @default null */
  seed?: number | string | null;
  /** Paths of the input files; their content is hashed into the id and recorded. @default [] */
  inputs?: readonly string[];
  /** The output files: name (relative, `/`-separated) → content. */
  files: Record<string, string | Uint8Array>;
  /** Extra manifest facts (judge model, prompt sha256, summary counts). Not hashed into the id. @default {} */
  meta?: Record<string, unknown>;
  /** The clock. @default () => new Date() */
  now?: () => Date;
}

/** Where an artifact was written, and whether this call created it. */
export interface ArtifactResult {
  dir: string;
  id: string;
  /** False when an identical artifact already existed and was left untouched. */
  created: boolean;
  manifest: Manifest;
}

let gitCommitCache: string | null | undefined;

/** The kit's git commit, read from `.git` beside `deno.json`, or null outside a checkout. */
export async function gitCommit(): Promise<string | null> {
  if (gitCommitCache !== undefined) return gitCommitCache;
  gitCommitCache = null;
  try {
    const gitDir = new URL("../.git/", import.meta.url);
    const head = (await Deno.readTextFile(new URL("HEAD", gitDir))).trim();
    if (!head.startsWith("ref: ")) {
      gitCommitCache = head;
    } else {
      const ref = head.slice(5);
      try {
        gitCommitCache = (await Deno.readTextFile(new URL(ref, gitDir))).trim();
      } catch {
        const packed = await Deno.readTextFile(new URL("packed-refs", gitDir));
        const line = packed.split("\n").find((l) => l.endsWith(" " + ref));
        gitCommitCache = line ? line.split(" ")[0] : null;
      }
    }
  } catch {
    // Not a checkout (an installed copy): no commit to record.
  }
  return gitCommitCache;
}

/** Hash each input file: path, sha256 and size. */
export async function hashInputs(paths: readonly string[]): Promise<FileEntry[]> {
  const entries: FileEntry[] = [];
  for (const path of paths) {
    const [hash, stat] = await Promise.all([sha256File(path), Deno.stat(path)]);
    entries.push({ path, sha256: hash, bytes: stat.size });
  }
  return entries;
}

/** The artifact id: 12 hex digits of the sha256 of kind, command, params, seed and input contents. */
export function artifactId(
  spec: Pick<ArtifactSpec, "kind" | "command" | "params" | "seed">,
  inputs: readonly FileEntry[],
): string {
  return sha256(canonicalJson({
    kind: spec.kind,
    command: spec.command,
    params: spec.params,
    seed: spec.seed ?? null,
    inputs: inputs.map((i) => i.sha256),
  })).slice(0, 12);
}

/** Where an artifact will be written: its id, folder and hashed inputs (nothing is written). */
export async function planArtifact(
  spec: Pick<ArtifactSpec, "kind" | "out" | "command" | "params" | "seed" | "inputs">,
): Promise<{ id: string; dir: string; inputs: FileEntry[] }> {
  const inputs = await hashInputs(spec.inputs ?? []);
  const id = artifactId(spec, inputs);
  return { id, dir: `${spec.out ?? "runs"}/${spec.kind}-${id}`, inputs };
}

function encode(content: string | Uint8Array): Uint8Array {
  return typeof content === "string" ? new TextEncoder().encode(content) : content;
}

function checkName(name: string): void {
  if (
    name === "" || name === "manifest.json" || name.startsWith("/") ||
    name.split("/").some((p) => p === ".." || p === "." || p === "")
  ) {
    throw new RangeError(`Invalid artifact file name "${name}"`);
  }
}

/** Read an artifact's manifest. @throws {TypeError} when the folder holds no manifest. */
export async function readManifest(dir: string): Promise<Manifest> {
  let text: string;
  try {
    text = await Deno.readTextFile(`${dir}/manifest.json`);
  } catch {
    throw new TypeError(`Cannot read "${dir}": not an artifact folder (no manifest.json)`);
  }
  return JSON.parse(text) as Manifest;
}

/**
 * Check an artifact's files against its manifest.
 *
 * @returns The problems found (a file missing, or its sha256 differing); empty when intact.
 */
export async function verifyArtifact(dir: string): Promise<string[]> {
  const manifest = await readManifest(dir);
  const problems: string[] = [];
  for (const out of manifest.outputs) {
    try {
      const hash = await sha256File(`${dir}/${out.path}`);
      if (hash !== out.sha256) problems.push(`${out.path}: sha256 differs from the manifest`);
    } catch {
      problems.push(`${out.path}: missing`);
    }
  }
  return problems;
}

/**
 * Write an artifact atomically, or find the identical one already there.
 *
 * @param spec What to write.
 * @returns The folder, its id, whether it was created, and its manifest.
 * @throws {Error} When the folder exists with different content (it is left untouched).
 *
 * @example
 * ```ts
 * import { writeArtifact } from "./artifacts.ts";
 * const out = await Deno.makeTempDir();
 * const a = await writeArtifact({ kind: "note", out, command: "example", params: { n: 1 },
 *   files: { "note.txt": "hello\n" } });
 * const b = await writeArtifact({ kind: "note", out, command: "example", params: { n: 1 },
 *   files: { "note.txt": "hello\n" } });
 * if (a.dir !== b.dir || !a.created || b.created) throw new Error("not idempotent");
 * ```
 */
export async function writeArtifact(spec: ArtifactSpec): Promise<ArtifactResult> {
  const out = spec.out ?? "runs";
  const { id, dir, inputs } = await planArtifact(spec);
  const names = Object.keys(spec.files).sort();
  names.forEach(checkName);
  const contents = new Map(names.map((n) => [n, encode(spec.files[n])]));
  const outputs: FileEntry[] = names.map((n) => ({
    path: n,
    sha256: sha256(contents.get(n)!),
    bytes: contents.get(n)!.length,
  }));
  const manifest: Manifest = {
    kit: { name: "evalkit", version: KIT_VERSION, git_commit: await gitCommit() },
    kind: spec.kind,
    id,
    command: spec.command,
    params: spec.params,
    seed: spec.seed ?? null,
    inputs,
    outputs,
    meta: spec.meta ?? {},
    created_at: (spec.now ?? (() => new Date()))().toISOString(),
  };

  const existing = await existingOutputs(dir);
  if (existing) return sameOrRefuse(dir, id, existing, outputs);

  await Deno.mkdir(out, { recursive: true });
  const tmp = `${out}/.${spec.kind}-${id}.tmp-${crypto.randomUUID().slice(0, 8)}`;
  try {
    await Deno.mkdir(tmp);
    for (const name of names) {
      const path = `${tmp}/${name}`;
      const parent = path.slice(0, path.lastIndexOf("/"));
      if (parent !== tmp) await Deno.mkdir(parent, { recursive: true });
      await Deno.writeFile(path, contents.get(name)!);
    }
    await Deno.writeTextFile(`${tmp}/manifest.json`, JSON.stringify(manifest, null, 2) + "\n");
    try {
      await Deno.rename(tmp, dir);
    } catch (e) {
      // Another process finished the same artifact first.
      const now = await existingOutputs(dir);
      if (!now) throw e;
      await Deno.remove(tmp, { recursive: true });
      return sameOrRefuse(dir, id, now, outputs);
    }
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw e;
  }
  return { dir, id, created: true, manifest };
}

async function existingOutputs(dir: string): Promise<Manifest | undefined> {
  try {
    return await readManifest(dir);
  } catch {
    try {
      await Deno.stat(dir);
    } catch {
      return undefined;
    }
    throw new Error(
      `Refusing to write "${dir}": the folder exists but is not an artifact (no manifest.json)`,
    );
  }
}

async function sameOrRefuse(
  dir: string,
  id: string,
  existing: Manifest,
  outputs: FileEntry[],
): Promise<ArtifactResult> {
  const before = new Map(existing.outputs.map((o) => [o.path, o.sha256]));
  const differing = outputs.filter((o) => before.get(o.path) !== o.sha256).map((o) => o.path);
  const extra = existing.outputs.filter((o) => !outputs.some((n) => n.path === o.path))
    .map((o) => o.path);
  const tampered = await verifyArtifact(dir);
  if (differing.length || extra.length || tampered.length) {
    const what = [...differing, ...extra, ...tampered].join(", ");
    throw new Error(
      `Refusing to overwrite "${dir}": it holds different content (${what}); ` +
        `the same inputs and parameters gave other outputs. Remove it or write to another --out`,
    );
  }
  return { dir, id, created: false, manifest: existing };
}

/**
 * Find an input file a manifest names: its recorded path (relative to the folder the
 * command ran in), its absolute path when the manifest has one, or the same relative path from
 * each folder above the artifact (the runs folder's parent is usually where the command
 * ran). A candidate counts only when its sha256 matches the manifest's.
 *
 * @throws {TypeError} `Cannot read "path": ...` when no candidate matches.
 */
export async function locateInput(
  artifactDir: string,
  recorded: string,
  sha256: string,
  absolute?: string | null,
): Promise<string> {
  const candidates = [recorded];
  if (absolute) candidates.push(absolute);
  if (!recorded.startsWith("/")) {
    let up = artifactDir.replace(/\/+$/, "");
    for (let i = 0; i < 4; i++) {
      up += "/..";
      candidates.push(`${up}/${recorded}`);
    }
  }
  let found = false;
  for (const file of [...new Set(candidates)]) {
    try {
      if (!(await Deno.stat(file)).isFile) continue;
    } catch {
      continue;
    }
    found = true;
    if (await sha256File(file) === sha256) return file;
  }
  throw inputError([{
    file: recorded,
    line: 0,
    problem: found
      ? `changed since the artifact "${artifactDir}" was made from it (sha256 differs)`
      : `no such file (an input of "${artifactDir}"; run from the folder the command ran in)`,
    kind: "type",
  }]);
}
