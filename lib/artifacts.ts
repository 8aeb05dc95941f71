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
import { resolve } from "node:path";
import { z } from "zod";
import denoJson from "../deno.json" with { type: "json" };
import { canonicalJson, sha256, sha256File } from "./_hash.ts";
import { inputError, zodIssues } from "./_errors.ts";

/**
 * The kit's version, as in deno.json; every manifest records it.
 *
 * @example
 * ```ts
 * import { KIT_VERSION } from "./artifacts.ts";
 * if (!/^\d+\.\d+\.\d+/.test(KIT_VERSION)) throw new Error(KIT_VERSION);
 * ```
 */
export const KIT_VERSION: string = denoJson.version;

/**
 * One hashed file of a manifest: its path, sha256 and size.
 *
 * @example
 * ```ts
 * import { FileEntry } from "./artifacts.ts";
 * FileEntry.parse({ path: "judgments.jsonl", sha256: "0".repeat(64), bytes: 12 });
 * if (FileEntry.safeParse({ path: "x", sha256: "abc", bytes: 1 }).success) throw new Error();
 * ```
 */
export const FileEntry = z.object({
  path: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "expected a lowercase hex sha256"),
  bytes: z.number().int().nonnegative(),
});
/** One hashed file of a manifest. */
export type FileEntry = z.infer<typeof FileEntry>;

/** The folder name of an artifact: `<kind>-<id>`. */
export const ARTIFACT_NAME: RegExp = /^[a-z][a-z0-9_]*-[0-9a-f]{6,}$/;

/**
 * The manifest written beside every artifact's files (SPEC §5). `meta` holds the
 * command's own facts; each kind's are checked by its schema in `artifact_kinds.ts`.
 *
 * @example
 * ```ts
 * import { Manifest } from "./artifacts.ts";
 * const ok = Manifest.safeParse({ kit: { name: "evalkit", version: "0.1.0", git_commit: null },
 *   kind: "gate", id: "0a1b2c3d4e5f", command: "regress", params: {}, seed: null, inputs: [],
 *   outputs: [], meta: {}, created_at: "2026-11-29T10:00:00.000Z" });
 * if (!ok.success) throw new Error(ok.error.message);
 * ```
 */
export const Manifest = z.object({
  kit: z.object({
    name: z.string(),
    version: z.string(),
    git_commit: z.string().nullable(),
  }),
  kind: z.string().regex(/^[a-z][a-z0-9_]*$/, "expected a lowercase kind name"),
  id: z.string().regex(/^[0-9a-f]{6,}$/, "expected hex digits"),
  command: z.string(),
  params: z.record(z.string(), z.unknown()),
  seed: z.union([z.number(), z.string(), z.null()]),
  inputs: z.array(FileEntry),
  outputs: z.array(FileEntry),
  /** Command-specific facts: judge model, prompt sha256, counts. */
  meta: z.record(z.string(), z.unknown()),
  created_at: z.iso.datetime({ offset: true }),
});
/** The manifest written beside every artifact's files. */
export type Manifest = z.infer<typeof Manifest>;

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
  /** The clock. @default {@link artifactClock}: `SOURCE_DATE_EPOCH` when set, else the time now */
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

/**
 * The kit's git commit, read from `.git` beside `deno.json` (a checkout, or a worktree whose
 * `.git` file points at its git folder), or null outside a checkout.
 *
 * @example
 * ```ts
 * import { gitCommit } from "./artifacts.ts";
 * const commit = await gitCommit();
 * if (commit !== null && !/^[0-9a-f]{40}$/.test(commit)) throw new Error(commit);
 * ```
 */
export async function gitCommit(): Promise<string | null> {
  if (gitCommitCache !== undefined) return gitCommitCache;
  gitCommitCache = null;
  try {
    const root = new URL("../", import.meta.url);
    const gitDir = await gitFolder(root);
    const head = (await Deno.readTextFile(new URL("HEAD", gitDir))).trim();
    gitCommitCache = head.startsWith("ref: ") ? await readRef(gitDir, head.slice(5)) : head;
  } catch {
    // Not a checkout (an installed copy): no commit to record.
  }
  return gitCommitCache;
}

/** The git folder of a checkout: `.git/`, or where a worktree's `.git` file points. */
async function gitFolder(root: URL): Promise<URL> {
  const dotGit = new URL(".git", root);
  if ((await Deno.stat(dotGit)).isDirectory) return new URL(".git/", root);
  const pointer = (await Deno.readTextFile(dotGit)).trim();
  if (!pointer.startsWith("gitdir: ")) throw new TypeError("not a git folder");
  return new URL(pointer.slice(8).replace(/\/?$/, "/"), root);
}

/** A ref's commit: loose in the git folder or its common folder, else in packed-refs. */
async function readRef(gitDir: URL, ref: string): Promise<string | null> {
  const common = await Deno.readTextFile(new URL("commondir", gitDir))
    .then((c) => new URL(c.trim().replace(/\/?$/, "/"), gitDir), () => gitDir);
  for (const dir of [gitDir, common]) {
    try {
      return (await Deno.readTextFile(new URL(ref, dir))).trim();
    } catch {
      // Try the next place.
    }
  }
  const packed = await Deno.readTextFile(new URL("packed-refs", common));
  const line = packed.split("\n").find((l) => l.endsWith(" " + ref));
  return line ? line.split(" ")[0] : null;
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

/**
 * The artifact id: 12 hex digits of the sha256 of kind, command, params, seed and input contents.
 *
 * @example
 * ```ts
 * import { artifactId } from "./artifacts.ts";
 * const spec = { kind: "note", command: "example", params: { n: 1 } };
 * if (artifactId(spec, []) !== artifactId({ ...spec }, [])) throw new Error("not stable");
 * if (artifactId(spec, []) === artifactId({ ...spec, params: { n: 2 } }, [])) throw new Error();
 * ```
 */
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

/**
 * Where an artifact will be written: its id, folder and hashed inputs (nothing is written).
 *
 * @example
 * ```ts
 * import { planArtifact } from "./artifacts.ts";
 * const plan = await planArtifact({ kind: "note", out: "runs", command: "example", params: {} });
 * if (plan.dir !== `runs/note-${plan.id}`) throw new Error(plan.dir);
 * ```
 */
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

/**
 * Parse a JSON file of an artifact by its schema: the one way an artifact's JSON is read
 * back.
 *
 * @param path The file (for messages).
 * @param text Its text.
 * @param schema The zod schema it must match.
 * @throws {SyntaxError} `Cannot read "path": not JSON (...)` for a truncated or unparseable file.
 * @throws {TypeError} `Cannot read "path": field "x": ...` for a field of the wrong shape.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * import { parseArtifactJson } from "./artifacts.ts";
 * try {
 *   parseArtifactJson("runs/x/gate.json", '{"cases": "3"}', z.object({ cases: z.number() }));
 *   throw new Error("accepted");
 * } catch (e) {
 *   if (!(e as Error).message.startsWith('Cannot read "runs/x/gate.json": field "cases"')) throw e;
 * }
 * ```
 */
export function parseArtifactJson<S extends z.ZodType>(
  path: string,
  text: string,
  schema: S,
): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw inputError([{
      file: path,
      line: 0,
      problem: `not JSON, the file is truncated or was edited (${(e as Error).message})`,
      kind: "syntax",
    }]);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw inputError(zodIssues(parsed.error, value, path, 0));
  return parsed.data;
}

/**
 * Read an artifact's manifest, checked by the {@link Manifest} schema.
 *
 * @example
 * ```ts
 * import { readManifest, writeArtifact } from "./artifacts.ts";
 * const out = await Deno.makeTempDir();
 * const { dir } = await writeArtifact({ kind: "note", out, command: "example", params: {},
 *   files: { "note.txt": "n\n" } });
 * if ((await readManifest(dir)).outputs[0].path !== "note.txt") throw new Error();
 * await Deno.remove(out, { recursive: true });
 * ```
 *
 * @throws {TypeError} `Cannot read "dir": not an artifact folder (no manifest.json)` when there
 *   is none; `Cannot read "dir/manifest.json": field "...": ...` when a field is wrong.
 * @throws {SyntaxError} When the manifest is not JSON (truncated, hand-edited).
 */
export async function readManifest(dir: string): Promise<Manifest> {
  const base = dir.replace(/\/+$/, "") || "/";
  let text: string;
  try {
    text = await Deno.readTextFile(`${base}/manifest.json`);
  } catch {
    throw new TypeError(`Cannot read "${base}": not an artifact folder (no manifest.json)`);
  }
  return parseArtifactJson(`${base}/manifest.json`, text, Manifest);
}

/**
 * Check an artifact's files against its manifest.
 *
 * @returns The problems found (a file missing, or its sha256 differing); empty when intact.
 *
 * @example
 * ```ts
 * import { verifyArtifact, writeArtifact } from "./artifacts.ts";
 * const out = await Deno.makeTempDir();
 * const { dir } = await writeArtifact({ kind: "note", out, command: "example", params: {},
 *   files: { "note.txt": "n\n" } });
 * await Deno.writeTextFile(`${dir}/note.txt`, "edited\n");
 * const problems = await verifyArtifact(dir);
 * if (problems[0] !== "note.txt: sha256 differs from the manifest") throw new Error();
 * await Deno.remove(out, { recursive: true });
 * ```
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
  const outAbs = resolve(out);
  const manifest: Manifest = {
    kit: { name: "evalkit", version: KIT_VERSION, git_commit: await gitCommit() },
    kind: spec.kind,
    id,
    command: spec.command,
    params: spec.params,
    seed: spec.seed ?? null,
    inputs: inputs.map((i) => ({ ...i, path: recordPath(i.path, outAbs) })),
    outputs,
    meta: recordPaths(spec.meta ?? {}, outAbs) as Record<string, unknown>,
    created_at: (spec.now ?? artifactClock)().toISOString(),
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
    await Deno.stat(dir);
  } catch {
    return undefined;
  }
  try {
    await Deno.stat(`${dir}/manifest.json`);
  } catch {
    throw new Error(
      `Refusing to write "${dir}": the folder exists but is not an artifact (no manifest.json)`,
    );
  }
  return await readManifest(dir);
}

/**
 * The time an artifact records as `created_at`: `SOURCE_DATE_EPOCH` (seconds since 1970, the
 * reproducible-builds convention) when it is set, else the time now. With it set, the same
 * inputs give byte-identical manifests too, wherever `--out` is.
 *
 * @throws {RangeError} When `SOURCE_DATE_EPOCH` is set but not a whole number of seconds.
 *
 * @example
 * ```ts
 * import { artifactClock } from "./artifacts.ts";
 * if (Number.isNaN(artifactClock().getTime())) throw new Error();
 * ```
 */
export function artifactClock(): Date {
  let epoch: string | undefined;
  try {
    epoch = Deno.env.get("SOURCE_DATE_EPOCH");
  } catch {
    epoch = undefined; // No --allow-env: the time now.
  }
  if (epoch === undefined || epoch === "") return new Date();
  if (!/^\d+$/.test(epoch)) {
    throw new RangeError(`Invalid SOURCE_DATE_EPOCH "${epoch}": expected whole seconds since 1970`);
  }
  return new Date(Number(epoch) * 1000);
}

/**
 * How a manifest records a path: a path into an artifact folder of the runs folder the
 * artifact is written to (`<out>/judge-<id>/judgments.jsonl`, however it was spelled) is
 * recorded relative to the artifact's own folder (`../judge-<id>/judgments.jsonl`), so
 * no manifest holds where `--out` was; any other path is recorded as it was given.
 *
 * @param path A path as a command was given it.
 * @param outAbs The absolute runs folder.
 * @returns The path to record.
 *
 * @example
 * ```ts
 * import { recordPath } from "./artifacts.ts";
 * if (recordPath("/tmp/x/runs/judge-0a1b2c/judgments.jsonl", "/tmp/x/runs") !==
 *   "../judge-0a1b2c/judgments.jsonl") throw new Error();
 * if (recordPath("data/logs.jsonl", "/tmp/x/runs") !== "data/logs.jsonl") throw new Error();
 * ```
 */
export function recordPath(path: string, outAbs: string): string {
  if (!path.includes("/")) return path;
  const abs = resolve(path);
  if (!abs.startsWith(outAbs.replace(/\/+$/, "") + "/")) return path;
  const rest = abs.slice(outAbs.replace(/\/+$/, "").length + 1);
  return ARTIFACT_NAME.test(rest.split("/")[0]) ? `../${rest}` : path;
}

/** {@link recordPath} applied to every string of a JSON value (a manifest's `meta`). */
function recordPaths(value: unknown, outAbs: string): unknown {
  if (typeof value === "string") return recordPath(value, outAbs);
  if (Array.isArray(value)) return value.map((v) => recordPaths(v, outAbs));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, recordPaths(v, outAbs)]),
    );
  }
  return value;
}

/**
 * Where a path a manifest recorded is, seen from the folder the command runs in: an
 * artifact-relative path (`../judge-<id>`, see {@link recordPath}) is joined to the
 * artifact's folder; any other is returned as recorded.
 *
 * @example
 * ```ts
 * import { resolveRecorded } from "./artifacts.ts";
 * if (resolveRecorded("runs/agreement-0a1b2c", "../judge-0a1b2c") !== "runs/judge-0a1b2c") {
 *   throw new Error();
 * }
 * ```
 */
export function resolveRecorded(artifactDir: string, recorded: string): string {
  const m = recorded.match(/^\.\.\/([a-z][a-z0-9_]*-[0-9a-f]{6,})(\/.*)?$/);
  if (!m) return recorded;
  const base = artifactDir.replace(/\/+$/, "");
  const parent = base.slice(0, base.lastIndexOf("/") + 1);
  return `${parent}${m[1]}${m[2] ?? ""}`;
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
 *
 * @example
 * ```ts
 * import { locateInput, writeArtifact } from "./artifacts.ts";
 * import { sha256 } from "./_hash.ts";
 * const out = await Deno.makeTempDir();
 * const note = await writeArtifact({ kind: "note", out, command: "example", params: {},
 *   files: { "note.txt": "n\n" } });
 * const use = await writeArtifact({ kind: "use", out, command: "example", params: {},
 *   inputs: [`${note.dir}/note.txt`], files: { "x.txt": "x\n" } });
 * const input = use.manifest.inputs[0]; // recorded as "../note-<id>/note.txt"
 * if (await locateInput(use.dir, input.path, input.sha256) !== `${note.dir}/note.txt`) {
 *   throw new Error();
 * }
 * if (input.sha256 !== sha256("n\n")) throw new Error();
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function locateInput(
  artifactDir: string,
  recorded: string,
  sha256: string,
  absolute?: string | null,
): Promise<string> {
  const candidates = [resolveRecorded(artifactDir, recorded), recorded];
  if (absolute) candidates.push(resolveRecorded(artifactDir, absolute));
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
