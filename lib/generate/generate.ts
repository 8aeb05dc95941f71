/**
 * Generate: run the model under test over an eval set (SPEC §3 `generate`).
 *
 * Each item's conversation (its messages, or its query as one user turn) is
 * sent after the system prompt (`--system-prompt FILE`, optional) to any
 * OpenAI-compatible endpoint through the engine (`lib/llm/engine.ts`): bounded adaptive
 * concurrency, retries with backoff on 429/5xx/timeouts/dropped connections,
 * rpm/tpm caps, a cache, a resumable journal and a budget. Each response
 * records its latency (of the attempt that succeeded) and usage.
 *
 * The artifact is `<out>/responses-<id>/responses.jsonl` (Response records in
 * eval-set order), with `failures.jsonl` beside it when the endpoint refused
 * some items for good (a 400, a refusal).
 *
 * @module
 */
import { metaOf } from "../artifact_kinds.ts";
import { z } from "zod";
import { usageError } from "../_errors.ts";
import { canonicalJson, sha256, sha256File } from "../_hash.ts";
import type { Manifest } from "../artifacts.ts";
import { readRecords } from "../io/read.ts";
import { readTextInput } from "../io/_text.ts";
import { toJsonl } from "../io/write.ts";
import type { Reporter } from "../reporter.ts";
import { EvalItem, Id, KINDS, type Message, Response } from "../schemas.ts";
import { cacheKey, type ResultCache } from "../llm/cache.ts";
import {
  type ChatClient,
  type ChatClientOptions,
  type ChatReply,
  resolveEndpoint,
} from "../llm/client.ts";
import {
  costUsd,
  DEFAULT_PRICES,
  estimateTokens,
  priceFor,
  type PriceMatch,
  type PriceTable,
} from "../llm/cost.ts";
import { type EngineRequest, type EngineStats, runRequests } from "../llm/engine.ts";
import type { Journal } from "../llm/journal.ts";
import {
  type CacheChoice,
  type PlannedRun,
  readFinished,
  reusedResult,
  reusedStats,
  runCache,
  runJournaled,
} from "../llm/run.ts";
import { modelFamily } from "../judge/family.ts";
import { itemMessages, type JudgeItem } from "../judge/prompt.ts";
import { priceRecord, resolveInputFile, toJudgeItem } from "../judge/run.ts";

/**
 * An item the endpoint refused for good (a 400, a refusal): no response, and why.
 *
 * @example
 * ```ts
 * import { GenerationFailure } from "./generate.ts";
 * const f = GenerationFailure.safeParse({ item_id: "q1", model: "m", status: "failed", error: "HTTP 500" });
 * if (!f.success) throw new Error(f.error.message);
 * ```
 */
export const GenerationFailure = z.object({
  item_id: Id,
  model: z.string().min(1),
  status: z.literal("failed"),
  error: z.string(),
});
/** An item the endpoint refused for good. */
export type GenerationFailure = z.infer<typeof GenerationFailure>;

const JournalEntry = z.union([Response, GenerationFailure]);
type JournalEntry = z.infer<typeof JournalEntry>;

/** Options for {@link generateResponses}. */
export interface GenerateOptions {
  /** The model under test. */
  model: string;
  /** The system prompt's text, sent before each conversation. @default none */
  systemPrompt?: string;
  /** @default 0 */
  temperature?: number;
  /** Sent when the endpoint supports it; `null` sends none. @default 0 */
  seed?: number | null;
  /** `max_tokens`. @default none */
  maxTokens?: number;
  /** The chat client. @default one made from `clientOptions` */
  client?: ChatClient;
  /** Endpoint, key, concurrency, rpm/tpm, attempts, timeout. @default {} */
  clientOptions?: ChatClientOptions;
  /** The price table. @default the bundled lib/llm/prices.json */
  prices?: PriceTable;
  /** Refuse to start when the estimate exceeds it; stop before spending passes it. @default none */
  budgetUsd?: number;
  /** Finished responses by cache key. @default none */
  cache?: ResultCache<JournalEntry>;
  /** Where responses are appended as they land; items in it are not sent again. @default none */
  journal?: Journal<JournalEntry>;
  /** Progress and warnings. @default none */
  reporter?: Reporter;
  /** Completion tokens assumed per response in cost estimates. @default 400 */
  estimatedCompletionTokens?: number;
}

/** Counts and costs of one generate call (the engine's, and `generated`). */
export interface GenerateStats extends EngineStats {
  /** Items that got a response (or a refusal) from requests made now. */
  generated: number;
}

/** What {@link generateResponses} returns. */
export interface GenerateResult {
  /** Responses in item order. */
  responses: Response[];
  failures: GenerationFailure[];
  missing: string[];
  complete: boolean;
  price: PriceMatch | null;
  stats: GenerateStats;
}

/** The messages sent for one item: the system prompt, then its conversation. */
export function generationMessages(item: JudgeItem, systemPrompt?: string): Message[] {
  const turns = itemMessages(item);
  return systemPrompt ? [{ role: "system", content: systemPrompt }, ...turns] : turns;
}

/** The price of the model. @throws {RangeError} No price with a budget. */
function modelPrice(model: string, options: GenerateOptions): PriceMatch | null {
  const prices = options.prices ?? DEFAULT_PRICES;
  const price = priceFor(prices, model) ?? null;
  if (!price && options.budgetUsd !== undefined) {
    throw usageError(
      `No price for model "${model}" in the price table (as of ${prices.as_of}): ` +
        `pass --prices FILE with its price to use --budget-usd`,
    );
  }
  if (!price) {
    options.reporter?.warn(`no price for "${model}" in the price table: cost is not counted`);
  }
  return price;
}

/** One item's request: the system prompt and its conversation, its cache key and estimate. */
function generationRequest(
  item: JudgeItem,
  options: GenerateOptions,
  price: PriceMatch | null,
): EngineRequest {
  const messages = generationMessages(item, options.systemPrompt);
  const promptTokens = estimateTokens(messages.map((m) => m.content).join("\n")) + 4;
  const completion = options.maxTokens ?? options.estimatedCompletionTokens ?? 400;
  return {
    id: item.id,
    messages,
    key: cacheKey({
      model: options.model,
      messages: sha256(canonicalJson(messages)),
      temperature: options.temperature ?? 0,
      seed: options.seed === undefined ? 0 : options.seed,
      max_tokens: options.maxTokens ?? null,
    }),
    estimatedTokens: promptTokens + completion,
    estimateUsd: price
      ? costUsd({ prompt_tokens: promptTokens, completion_tokens: completion }, price.price)
      : 0,
  };
}

/** A reply as a response, or as a failure when the model refused or a filter stopped it. */
function toEntry(model: string, p: EngineRequest, reply: ChatReply): JournalEntry {
  if (reply.refusal || reply.finishReason === "content_filter") {
    return {
      item_id: p.id,
      model,
      status: "failed",
      error: reply.refusal
        ? `the model refused: ${reply.refusal.slice(0, 200)}`
        : "stopped by the endpoint's content filter",
    };
  }
  return {
    item_id: p.id,
    model,
    response: reply.content,
    latency_ms: reply.latencyMs,
    usage: reply.usage,
  };
}

const isResponse = (e: JournalEntry): e is Response => !("status" in e);
const NO_USAGE = { prompt_tokens: 0, completion_tokens: 0 };

/**
 * Run the model under test over items.
 *
 * @param items The items (their query or messages).
 * @param options The model, system prompt, client, cache, journal, budget.
 * @returns Responses in item order, failures, what is missing, counts and cost.
 * @throws {RangeError} A usage error: no price with a budget.
 * @throws {EndpointError} The endpoint refused the run (a bad key, an unknown model, unreachable).
 *
 * @example
 * ```ts
 * import { generateResponses } from "./generate.ts";
 * import { startOpenAIServer } from "../testing/openai_server.ts";
 * const server = await startOpenAIServer();
 * try {
 *   const result = await generateResponses([{ id: "q1", query: "How do I void an invoice?" }], {
 *     model: "my-model", clientOptions: { baseURL: server.url, apiKey: "k" } });
 *   if (result.responses.length !== 1 || server.chatRequests() !== 1) throw new Error();
 * } finally {
 *   await server.close();
 * }
 * ```
 */
export async function generateResponses(
  items: readonly JudgeItem[],
  options: GenerateOptions,
): Promise<GenerateResult> {
  const { model } = options;
  const price = modelPrice(model, options);
  const run = await runRequests<JournalEntry>(
    items.map((item) => generationRequest(item, options, price)),
    {
      label: "generate",
      noun: "responses",
      request: {
        model,
        temperature: options.temperature ?? 0,
        seed: options.seed === undefined ? 0 : options.seed,
        maxTokens: options.maxTokens,
      },
      conclude: (p, reply) => Promise.resolve(toEntry(model, p, reply)),
      failure: (p, error) => ({ item_id: p.id, model, status: "failed", error }),
      isOk: isResponse,
      usageOf: (e) => (isResponse(e) ? e.usage : NO_USAGE),
      reuse: (hit, id) => ({ ...hit, item_id: id }),
      price,
      budgetUsd: options.budgetUsd,
      client: options.client,
      clientOptions: options.clientOptions,
      cache: options.cache,
      journal: options.journal,
      reporter: options.reporter,
    },
  );
  const entries = [...run.results.values()];
  return {
    responses: entries.filter(isResponse),
    failures: entries.filter((e): e is GenerationFailure => !isResponse(e)),
    missing: run.missing,
    complete: run.complete,
    price,
    stats: { ...run.stats, generated: run.stats.requested },
  };
}

/** Options for {@link runGenerate}. */
export interface GenerateRunOptions
  extends Omit<GenerateOptions, "systemPrompt" | "cache" | "journal">, CacheChoice {
  /** A system prompt file. @default none */
  systemPrompt?: string;
  /** Where artifacts go. @default "runs" */
  out?: string;
  /** The clock for the manifest. @default () => new Date() */
  now?: () => Date;
}

/** What a generate run did. */
export interface GenerateRunResult {
  artifact: string;
  id: string;
  complete: boolean;
  reused: boolean;
  partial: string | null;
  responses: Response[];
  failures: GenerationFailure[];
  stats: GenerateStats;
  budget_refused: boolean;
  manifest: Manifest | null;
}

function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return Math.round(sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo));
}

/** The system prompt file, read whole, or none. @throws {TypeError} `Cannot read "F": …` */
export async function readSystemPrompt(path: string | undefined): Promise<string | undefined> {
  return path === undefined ? undefined : await readTextInput(path);
}

/** The result of a run whose artifact exists: read back, nothing requested. */
async function reusedGenerateRun(
  run: PlannedRun,
  items: number,
  options: GenerateRunOptions,
): Promise<GenerateRunResult> {
  const read = await readFinished(run, "responses.jsonl", Response, options.reporter);
  const responses = read.records;
  const meta = metaOf({ meta: read.meta }, "responses", run.dir);
  const counts = { items, ok: responses.length, failed: meta.counts?.failed ?? 0 };
  return {
    ...reusedResult(run),
    responses,
    failures: [],
    stats: { ...reusedStats(counts, meta.cost_usd ?? null, options.budgetUsd), generated: 0 },
  };
}

/** The manifest's generate-specific facts. */
async function generateMeta(
  evalset: { path: string; file: string },
  options: GenerateRunOptions,
  params: { system_prompt_sha256: string | null; temperature: number; seed: number | null },
  result: GenerateResult,
): Promise<Record<string, unknown>> {
  const { responses, failures } = result;
  const latencies = responses.map((r) => r.latency_ms).sort((a, b) => a - b);
  return {
    model: options.model,
    model_family: modelFamily(options.model),
    system_prompt: options.systemPrompt
      ? { path: options.systemPrompt, sha256: params.system_prompt_sha256 }
      : null,
    temperature: params.temperature,
    seed: params.seed,
    evalset: { ...evalset, sha256: await sha256File(evalset.file) },
    endpoint: options.client?.endpoint ?? resolveEndpoint(options.clientOptions?.baseURL).endpoint,
    counts: { items: result.stats.items, ok: responses.length, failed: failures.length },
    cost_usd: result.stats.cost_usd_total,
    price: priceRecord(result, options),
    latency_ms: {
      p50: quantile(latencies, 0.5),
      p95: quantile(latencies, 0.95),
      max: latencies.length ? latencies[latencies.length - 1] : null,
    },
    usage: {
      prompt_tokens: responses.reduce((s, r) => s + r.usage.prompt_tokens, 0),
      completion_tokens: responses.reduce((s, r) => s + r.usage.completion_tokens, 0),
    },
  };
}

/**
 * Run the model under test over an eval set and write a responses artifact.
 *
 * @param evalset An eval-set artifact folder (or an `evalset.jsonl`-shaped file).
 * @param options The model, system prompt file, endpoint and limits.
 * @throws {TypeError} or {SyntaxError} Bad input, naming file, line and field.
 * @throws {RangeError} Bad usage.
 * @throws {EndpointError} The endpoint refused the run (the journal is kept).
 *
 * @example
 * ```ts
 * import { runGenerate } from "./generate.ts";
 * import { demoPaths } from "../demo_world.ts";
 * import { startOpenAIServer } from "../testing/openai_server.ts";
 * const server = await startOpenAIServer();
 * const out = await Deno.makeTempDir();
 * try {
 *   const run = await runGenerate(demoPaths().evalItems, { model: "my-model", out, noCache: true,
 *     clientOptions: { baseURL: server.url, apiKey: "k" } });
 *   if (!run.complete || run.responses.length !== 300) throw new Error();
 * } finally {
 *   await server.close();
 *   await Deno.remove(out, { recursive: true });
 * }
 * ```
 */
export async function runGenerate(
  evalset: string,
  options: GenerateRunOptions,
): Promise<GenerateRunResult> {
  const out = options.out ?? "runs";
  const evalFile = await resolveInputFile(evalset, "evalset.jsonl");
  const items = (await readRecords(evalFile, EvalItem, { key: KINDS.evalset.key }))
    .map(toJudgeItem);
  const systemPrompt = await readSystemPrompt(options.systemPrompt);
  const params = {
    model: options.model,
    system_prompt_sha256: systemPrompt === undefined ? null : sha256(systemPrompt),
    temperature: options.temperature ?? 0,
    seed: options.seed === undefined ? 0 : options.seed,
    max_tokens: options.maxTokens ?? null,
  };
  const inputs = options.systemPrompt ? [evalFile, options.systemPrompt] : [evalFile];
  const spec = { kind: "responses", out, command: "generate", params, seed: params.seed, inputs };
  return runJournaled(spec, {
    journal: { file: "responses.jsonl", schema: JournalEntry, idOf: (e) => String(e.item_id) },
    total: items.length,
    noun: "responses",
    reporter: options.reporter,
    now: options.now,
    reuse: (run) => reusedGenerateRun(run, items.length, options),
    work: (journal) =>
      generateResponses(items, {
        ...options,
        systemPrompt,
        cache: runCache("generate", JournalEntry, options),
        journal,
      }),
    unfinished: (result, run, partial) => ({
      ...result,
      artifact: run.dir,
      id: run.id,
      reused: false,
      partial,
      budget_refused: result.stats.budget_refused,
      manifest: null,
    }),
    artifact: async (result) => ({
      files: generateFiles(result),
      meta: await generateMeta({ path: evalset, file: evalFile }, options, params, result),
    }),
    finished: (result, written) => ({
      ...result,
      artifact: written.dir,
      id: written.id,
      reused: false,
      partial: null,
      budget_refused: false,
      manifest: written.manifest,
    }),
  });
}

/** `responses.jsonl`, and `failures.jsonl` when some item was refused. */
function generateFiles(result: GenerateResult): Record<string, string> {
  const files: Record<string, string> = {
    "responses.jsonl": toJsonl(result.responses.map((r) => Response.parse(r))),
  };
  if (result.failures.length > 0) {
    files["failures.jsonl"] = toJsonl(result.failures.map((f) => GenerationFailure.parse(f)));
  }
  return files;
}
