/**
 * Inputs and servers the engine's tests share: an eval-set artifact and a
 * responses artifact written from records, and a test server closed after use.
 *
 * @module
 */
import { writeArtifact } from "../artifacts.ts";
import { toJsonl } from "../io/write.ts";
import type { EvalItem, Response } from "../schemas.ts";
import { type OpenAIServer, type OpenAIServerOptions, startOpenAIServer } from "./openai_server.ts";

/**
 * Write an eval-set artifact (and a responses artifact when given) under `<root>/in`.
 *
 * @returns The artifact folders (`gen` is null without responses).
 */
export async function writeInputs(
  root: string,
  items: readonly EvalItem[],
  responses?: readonly Response[],
): Promise<{ evalset: string; gen: string | null }> {
  const params = { n: items.length };
  const evalset = await writeArtifact({
    kind: "evalset",
    out: `${root}/in`,
    command: "sample",
    params,
    files: { "evalset.jsonl": toJsonl(items) },
  });
  if (!responses) return { evalset: evalset.dir, gen: null };
  const gen = await writeArtifact({
    kind: "responses",
    out: `${root}/in`,
    command: "generate",
    params,
    files: { "responses.jsonl": toJsonl(responses) },
  });
  return { evalset: evalset.dir, gen: gen.dir };
}

/** Run `fn` against a fresh test server, closing it afterwards. */
export async function withServer<T>(
  options: OpenAIServerOptions,
  fn: (server: OpenAIServer) => Promise<T>,
): Promise<T> {
  const server = await startOpenAIServer(options);
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

/** `--base-url URL --out DIR`: where a test run sends requests and writes. */
export function endpointArgs(server: { url: string }, out: string): string[] {
  return ["--base-url", server.url, "--out", out];
}
