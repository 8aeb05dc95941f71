/**
 * A content-addressed cache of finished results (judgments, responses): one
 * small JSON file per key under `<dir>/<kk>/<key>.json`, written to a temp
 * file and renamed, so concurrent runs and killed processes never leave a
 * torn entry. Keys are sha256 of what determines the result (for the judge:
 * judge model, prompt sha256, item content hash, response hash, temperature,
 * seed), so a changed prompt or response simply misses.
 *
 * @module
 */
import type { z } from "zod";
import { canonicalJson, sha256 } from "../_hash.ts";

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
