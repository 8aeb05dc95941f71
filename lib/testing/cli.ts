/**
 * The CLI as tests drive it: in-process, `--json` appended, both streams captured.
 *
 * @module
 */
import { main } from "../cli.ts";

/** What one in-process CLI run printed, and its parsed `--json` summary. */
export interface CliJsonRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The summary on stdout (an `{error}` object on failure); `{}` when stdout is empty. */
  json: Record<string, unknown>;
}

/**
 * Run `evalkit ARGS --json` in this process. So that tests stay independent
 * of each other, a model-calling run whose args name no cache gets its own,
 * `<--out>/.cache` (the user-level default is tested through a child process
 * with `EVALKIT_CACHE_DIR`, in tests/cache_test.ts).
 *
 * @example
 * ```ts
 * import { runCliJson } from "./cli.ts";
 * const r = await runCliJson(["frobnicate"]);
 * if (r.code !== 2 || !("error" in r.json)) throw new Error("expected a usage error");
 * ```
 */
export async function runCliJson(args: string[]): Promise<CliJsonRun> {
  let stdout = "";
  let stderr = "";
  const code = await main([...args, ...ownCache(args), "--json"], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr, json: stdout ? JSON.parse(stdout) : {} };
}

const MODEL_COMMANDS = new Set(["generate", "judge", "regress"]);

function ownCache(args: readonly string[]): string[] {
  if (!MODEL_COMMANDS.has(args[0]) || args[1] === "add") return [];
  if (args.includes("--cache") || args.includes("--no-cache")) return [];
  const at = args.indexOf("--out");
  return at >= 0 && args[at + 1] ? ["--cache", `${args[at + 1]}/.cache`] : [];
}

/** The `--json` keys SPEC §3 requires of `generate` and `judge` (and the engine's cache counts). */
export const RUN_SUMMARY_KEYS: readonly string[] = [
  "artifact",
  "items",
  "ok",
  "failed",
  "requests",
  "cost_usd",
  "cache_hits",
  "cache_misses",
  "failures",
];

/**
 * The keys of `summary` that are missing among `keys`.
 *
 * @example
 * ```ts
 * import { missingKeys } from "./cli.ts";
 * if (missingKeys({ a: 1 }, ["a", "b"]).join() !== "b") throw new Error();
 * ```
 */
export function missingKeys(
  summary: Record<string, unknown>,
  keys: readonly string[] = RUN_SUMMARY_KEYS,
): string[] {
  return keys.filter((k) => !(k in summary));
}
