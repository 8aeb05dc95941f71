/**
 * A content-addressed cache of finished results (judgments, responses): one
 * small JSON file per key under `<dir>/<kk>/<key>.json`, written to a temp
 * file and renamed, so two processes writing at once and killed processes
 * never leave a torn entry (the last rename wins; both wrote the same
 * content). By default one cache per user ({@link userCacheDir}). Keys are sha256 of what determines the result (for the judge:
 * judge model, prompt sha256, item content hash, response hash, temperature,
 * seed), so a changed prompt or response simply misses.
 *
 * @module
 */
import type { z } from "zod";
import { canonicalJson, sha256 } from "../_hash.ts";

/**
 * The user-level cache folder shared by every `--out`, notebook and command:
 * `$EVALKIT_CACHE_DIR`, else `$XDG_CACHE_HOME/evalkit`, else `~/.cache/evalkit`.
 *
 * @param env Environment lookup. @default Deno.env.get (nothing without env permission)
 * @throws {RangeError} When none of the three can be found (no HOME).
 *
 * @example
 * ```ts
 * import { userCacheDir } from "./cache.ts";
 * const env = (n: string) => ({ HOME: "/home/ana" } as Record<string, string>)[n];
 * if (userCacheDir(env) !== "/home/ana/.cache/evalkit") throw new Error();
 * ```
 */
export function userCacheDir(env: (name: string) => string | undefined = readEnv): string {
  const own = env("EVALKIT_CACHE_DIR");
  if (own) return own.replace(/\/+$/, "");
  const xdg = env("XDG_CACHE_HOME");
  if (xdg) return `${xdg.replace(/\/+$/, "")}/evalkit`;
  const home = env("HOME") ?? env("USERPROFILE");
  if (home) return `${home.replace(/\/+$/, "")}/.cache/evalkit`;
  throw new RangeError(
    "No cache folder: set EVALKIT_CACHE_DIR (or XDG_CACHE_HOME or HOME), or pass --cache DIR or --no-cache",
  );
}

function readEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

/** A key → value store of finished results. */
export interface ResultCache<T> {
  get(key: string): Promise<T | undefined>;
  set(key: string, value: T): Promise<void>;
}

/**
 * The cache key of a result: sha256 of the canonical JSON of its parts.
 *
 * @example
 * ```ts
 * import { cacheKey } from "./cache.ts";
 * if (cacheKey({ a: 1, b: 2 }) !== cacheKey({ b: 2, a: 1 })) throw new Error("order matters");
 * ```
 */
export function cacheKey(parts: Record<string, unknown>): string {
  return sha256(canonicalJson(parts));
}

/**
 * A cache in a folder. Entries that fail `schema` (a hand-edited or foreign
 * file) are misses, never errors.
 *
 * @param dir The cache folder (created on first write).
 * @param schema What an entry must be.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * import { fileCache } from "./cache.ts";
 * const cache = fileCache(await Deno.makeTempDir(), z.object({ n: z.number() }));
 * await cache.set("ab12", { n: 1 });
 * if ((await cache.get("ab12"))?.n !== 1) throw new Error("miss");
 * ```
 */
export function fileCache<S extends z.ZodType>(dir: string, schema: S): ResultCache<z.infer<S>> {
  const pathOf = (key: string) => {
    if (!/^[0-9a-f]{4,}$/.test(key)) throw new RangeError(`Invalid cache key "${key}"`);
    return `${dir}/${key.slice(0, 2)}/${key}.json`;
  };
  return {
    async get(key) {
      let text: string;
      try {
        text = await Deno.readTextFile(pathOf(key));
      } catch {
        return undefined;
      }
      try {
        const parsed = schema.safeParse(JSON.parse(text));
        return parsed.success ? parsed.data : undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, value) {
      const path = pathOf(key);
      const folder = path.slice(0, path.lastIndexOf("/"));
      await Deno.mkdir(folder, { recursive: true });
      const tmp = `${path}.tmp-${crypto.randomUUID().slice(0, 8)}`;
      await Deno.writeTextFile(tmp, JSON.stringify(value) + "\n");
      await Deno.rename(tmp, path);
    },
  };
}

/** A cache that never hits and stores nothing (`--no-cache`). */
export function noCache<T>(): ResultCache<T> {
  return { get: () => Promise.resolve(undefined), set: () => Promise.resolve() };
}

/** What a cache folder holds, per kind of result (`judge`, `generate`). */
export interface CacheInfo {
  dir: string;
  entries: number;
  bytes: number;
  kinds: Record<string, { entries: number; bytes: number }>;
  /** The oldest and newest entry's modification time (ISO), null when empty. */
  oldest: string | null;
  newest: string | null;
}

/** Every entry file of a cache folder, with its kind, size and modification time. */
async function* cacheEntries(
  dir: string,
): AsyncGenerator<{ path: string; kind: string; bytes: number; mtime: number }> {
  const list = async (d: string) => await Array.fromAsync(Deno.readDir(d)).catch(() => []);
  for (const kind of await list(dir)) {
    if (!kind.isDirectory) continue;
    for (const shard of await list(`${dir}/${kind.name}`)) {
      if (!shard.isDirectory) continue;
      const folder = `${dir}/${kind.name}/${shard.name}`;
      for (const f of await list(folder)) {
        if (!f.isFile || !f.name.endsWith(".json")) continue;
        const stat = await Deno.stat(`${folder}/${f.name}`).catch(() => null);
        if (!stat) continue;
        yield {
          path: `${folder}/${f.name}`,
          kind: kind.name,
          bytes: stat.size,
          mtime: stat.mtime?.getTime() ?? 0,
        };
      }
    }
  }
}

/**
 * Count a cache folder's entries (a missing folder is an empty cache).
 *
 * @example
 * ```ts
 * import { cacheInfo } from "./cache.ts";
 * const info = await cacheInfo(`${await Deno.makeTempDir()}/none`);
 * if (info.entries !== 0 || info.oldest !== null) throw new Error();
 * ```
 */
export async function cacheInfo(dir: string): Promise<CacheInfo> {
  const info: CacheInfo = { dir, entries: 0, bytes: 0, kinds: {}, oldest: null, newest: null };
  let oldest = Infinity;
  let newest = -Infinity;
  for await (const e of cacheEntries(dir)) {
    info.entries++;
    info.bytes += e.bytes;
    const k = info.kinds[e.kind] ??= { entries: 0, bytes: 0 };
    k.entries++;
    k.bytes += e.bytes;
    oldest = Math.min(oldest, e.mtime);
    newest = Math.max(newest, e.mtime);
  }
  if (info.entries > 0) {
    info.oldest = new Date(oldest).toISOString();
    info.newest = new Date(newest).toISOString();
  }
  return info;
}

/** Options for {@link clearCache}. */
export interface ClearCacheOptions {
  /** Remove only entries last written more than this many ms ago. @default every entry */
  olderThanMs?: number;
  /** The clock. @default Date.now */
  now?: () => number;
}

/**
 * Remove a cache folder's entries (all, or those older than `olderThanMs`).
 *
 * @returns How many entries were removed and kept.
 */
export async function clearCache(
  dir: string,
  options: ClearCacheOptions = {},
): Promise<{ removed: number; kept: number }> {
  const now = (options.now ?? Date.now)();
  let removed = 0;
  let kept = 0;
  for await (const e of cacheEntries(dir)) {
    if (options.olderThanMs !== undefined && now - e.mtime <= options.olderThanMs) {
      kept++;
      continue;
    }
    await Deno.remove(e.path).catch(() => {});
    removed++;
  }
  return { removed, kept };
}

/**
 * A duration like `30d`, `12h`, `90m` or `45s` in ms.
 *
 * @throws {RangeError} When it is not a number and one of d, h, m, s.
 *
 * @example
 * ```ts
 * import { parseDuration } from "./cache.ts";
 * if (parseDuration("2d") !== 172_800_000) throw new Error();
 * ```
 */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([dhms])$/.exec(text.trim());
  if (!m) {
    throw new RangeError(
      `Invalid duration "${text}": expected a number and d, h, m or s (e.g. 30d)`,
    );
  }
  const unit = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }[m[2] as "d" | "h" | "m" | "s"];
  return Number(m[1]) * unit;
}
