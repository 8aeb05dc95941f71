/**
 * sha256 of bytes, strings and files (files are streamed, so a large prod log
 * is hashed in bounded memory).
 *
 * @module
 */
import { createHash } from "node:crypto";

/**
 * The lowercase hex sha256 of a string (as UTF-8) or bytes.
 *
 * @example
 * ```ts
 * import { sha256 } from "./_hash.ts";
 * if (sha256("abc") !== "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") throw new Error();
 * ```
 */
export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * The lowercase hex sha256 of a file's bytes, streamed.
 *
 * @example
 * ```ts
 * import { sha256, sha256File } from "./_hash.ts";
 * const file = await Deno.makeTempFile();
 * await Deno.writeTextFile(file, "abc");
 * if (await sha256File(file) !== sha256("abc")) throw new Error();
 * await Deno.remove(file);
 * ```
 */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  using file = await Deno.open(path, { read: true });
  for await (const chunk of file.readable) hash.update(chunk);
  return hash.digest("hex");
}

/**
 * JSON with object keys sorted at every depth: the same value always gives
 * the same text, whatever order its keys were built in.
 *
 * @example
 * ```ts
 * import { canonicalJson } from "./_hash.ts";
 * if (canonicalJson({ b: 1, a: { d: 2, c: 3 } }) !== '{"a":{"c":3,"d":2},"b":1}') throw new Error();
 * ```
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}
