/**
 * The JSONL serialiser, on its own so that the commands that write only JSONL (the judge,
 * at start-up) do not load the CSV writer. `write.ts` re-exports it.
 *
 * @module
 */

/**
 * Records as JSONL: one `JSON.stringify` per line, `\n` line ends, a final newline.
 *
 * @example
 * ```ts
 * import { toJsonl } from "./jsonl.ts";
 * if (toJsonl([{ a: 1 }, { a: 2 }]) !== '{"a":1}\n{"a":2}\n') throw new Error("unexpected");
 * ```
 */
export function toJsonl(records: readonly unknown[]): string {
  let out = "";
  for (const r of records) out += JSON.stringify(r) + "\n";
  return out;
}
