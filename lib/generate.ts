/**
 * Generate: run the model under test over an eval set (SPEC §3 `generate`).
 *
 * Each item's conversation (its messages, or its query as one user turn) is
 * sent after the system prompt (`--system-prompt FILE`, optional) to any
 * OpenAI-compatible endpoint, with the judge's client: bounded adaptive
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
import { z } from "zod";
import { inputError, usageError } from "./_errors.ts";
import { canonicalJson, sha256, sha256File } from "./_hash.ts";
import { type Manifest, planArtifact, readManifest, writeArtifact } from "./artifacts.ts";
import { readRecords } from "./io/read.ts";
import { toJsonl } from "./io/write.ts";
import type { Reporter } from "./reporter.ts";
import { EvalItem, Id, KINDS, type Message, Response } from "./schemas.ts";
import { cacheKey, fileCache, type ResultCache } from "./judge/cache.ts";
import {
  type ChatClient,
  type ChatClientOptions,
  createChatClient,
  OPENAI_BASE_URL,
  safeEndpoint,
} from "./judge/client.ts";
import {
  budgetRefusal,
  costUsd,
  DEFAULT_PRICES,
  estimateTokens,
  priceFor,
  type PriceMatch,
  type PriceTable,
  roundUsd,
} from "./judge/cost.ts";
import { modelFamily } from "./judge/family.ts";
import { type Journal, openJournal } from "./judge/journal.ts";
import { runPool } from "./judge/pool.ts";
import { itemMessages, type JudgeItem } from "./judge/prompt.ts";
import { RequestFailedError } from "./judge/retry.ts";
import { removePartial, resolveInputFile, toJudgeItem } from "./judge/run.ts";

/** An item the endpoint refused for good (a 400, a refusal): no response, and why. */
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
  /** The price table. @default the bundled lib/judge/prices.json */
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

/** Counts and costs of one generate call. */
export interface GenerateStats {
  items: number;
  ok: number;
  failed: number;
  cached: number;
  resumed: number;
  generated: number;
  missing: number;
  requests: number;
  retries: number;
  rate_limited: number;
  cost_usd: number | null;
  cost_usd_total: number | null;
  estimate_usd: number | null;
  budget_usd: number | null;
  budget_stopped: boolean;
  budget_refused: boolean;
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

/**
 * Run the model under test over items.
 *
 * @param items The items (their query or messages).
 * @param options The model, system prompt, client, cache, journal, budget.
 * @returns Responses in item order, failures, what is missing, counts and cost.
 * @throws {RangeError} A usage error: no price with a budget, a fatal endpoint error (bad key, unknown model).
 */
export async function generateResponses(
  items: readonly JudgeItem[],
  options: GenerateOptions,
): Promise<GenerateResult> {
  const { model, reporter } = options;
  const temperature = options.temperature ?? 0;
  const seed = options.seed === undefined ? 0 : options.seed;
  const prices = options.prices ?? DEFAULT_PRICES;
  const price = priceFor(prices, model) ?? null;
  if (!price && options.budgetUsd !== undefined) {
    throw usageError(
      `No price for model "${model}" in the price table (as of ${prices.as_of}): ` +
        `pass --prices FILE with its price to use --budget-usd`,
    );
  }
  if (!price) reporter?.warn(`no price for "${model}" in the price table: cost is not counted`);
  const cost = (u: Response["usage"]) => (price ? costUsd(u, price.price) : 0);

  const done = new Map<string, JournalEntry>();
  let resumed = 0;
  let cached = 0;
  // Writes start as a response lands; workers do not wait for the disk, the end does.
  const writes: Promise<void>[] = [];
  const record = (entry: JournalEntry, key?: string) => {
    done.set(String(entry.item_id), entry);
    const write = (async () => {
      await options.journal?.append(String(entry.item_id), entry);
      if (key && !("status" in entry)) await options.cache?.set(key, entry);
    })();
    write.catch(() => {});
    writes.push(write);
  };
  const pending: {
    id: string;
    estimateUsd: number;
    messages: Message[];
    key: string;
    tokens: number;
  }[] = [];
  for (const item of items) {
    const prior = options.journal?.existing.get(item.id);
    if (prior) {
      done.set(item.id, prior);
      resumed++;
      continue;
    }
    const messages = generationMessages(item, options.systemPrompt);
    const key = cacheKey({
      model,
      messages: sha256(canonicalJson(messages)),
      temperature,
      seed,
      max_tokens: options.maxTokens ?? null,
    });
    const hit = await options.cache?.get(key);
    if (hit && !("status" in hit)) {
      cached++;
      record({ ...hit, item_id: item.id });
      continue;
    }
    const promptTokens = estimateTokens(messages.map((m) => m.content).join("\n")) + 4;
    const completion = options.maxTokens ?? options.estimatedCompletionTokens ?? 400;
    pending.push({
      id: item.id,
      estimateUsd: price
        ? costUsd({ prompt_tokens: promptTokens, completion_tokens: completion }, price.price)
        : 0,
      messages,
      key,
      tokens: promptTokens + completion,
    });
  }
  const estimate = price ? pending.reduce((s, p) => s + p.estimateUsd, 0) : null;
  const stats: GenerateStats = {
    items: items.length,
    ok: 0,
    failed: 0,
    cached,
    resumed,
    generated: 0,
    missing: 0,
    requests: 0,
    retries: 0,
    rate_limited: 0,
    cost_usd: price ? 0 : null,
    cost_usd_total: null,
    estimate_usd: estimate === null ? null : roundUsd(estimate),
    budget_usd: options.budgetUsd ?? null,
    budget_stopped: false,
    budget_refused: false,
  };
  const finish = async (): Promise<GenerateResult> => {
    await Promise.all(writes);
    const entries = items.map((i) => done.get(i.id)).filter((e): e is JournalEntry => !!e);
    const responses = entries.filter((e): e is Response => !("status" in e));
    const failures = entries.filter((e): e is GenerationFailure => "status" in e);
    const missing = items.filter((i) => !done.has(i.id)).map((i) => i.id);
    stats.ok = responses.length;
    stats.failed = failures.length;
    stats.missing = missing.length;
    stats.cost_usd_total = price
      ? roundUsd(responses.reduce((s, r) => s + cost(r.usage), 0))
      : null;
    if (stats.cost_usd !== null) stats.cost_usd = roundUsd(stats.cost_usd);
    return { responses, failures, missing, complete: missing.length === 0, price, stats };
  };
  const refusal = budgetRefusal(estimate, options.budgetUsd, pending.length, "responses");
  if (refusal !== null) {
    stats.budget_refused = true;
    stats.budget_stopped = true;
    reporter?.warn(refusal);
    return finish();
  }
  if (pending.length === 0) return finish();

  const client = options.client ?? createChatClient(options.clientOptions);
  const before = { ...client.stats };
  const result = await runPool(pending, {
    label: "generate",
    concurrency: Math.max(1, options.clientOptions?.concurrency ?? client.limiter.limit),
    budgetUsd: options.budgetUsd,
    priced: price !== null,
    reporter,
    alreadyDone: items.length - pending.length,
    extra: () => ({
      retries: client.stats.retries - before.retries,
      "in flight": client.limiter.inFlight,
      limit: Math.floor(client.limiter.limit),
    }),
    run: async (p) => {
      try {
        const reply = await client.complete({
          model,
          messages: p.messages,
          temperature,
          seed,
          maxTokens: options.maxTokens,
          estimatedTokens: p.tokens,
        });
        const spent = cost(reply.usage);
        stats.generated++;
        if (reply.refusal || reply.finishReason === "content_filter") {
          record({
            item_id: p.id,
            model,
            status: "failed",
            error: reply.refusal
              ? `the model refused: ${reply.refusal.slice(0, 200)}`
              : "stopped by the endpoint's content filter",
          });
          return { costUsd: spent, failed: true };
        }
        record({
          item_id: p.id,
          model,
          response: reply.content,
          latency_ms: reply.latencyMs,
          usage: reply.usage,
        }, p.key);
        return { costUsd: spent };
      } catch (error) {
        if (!(error instanceof RequestFailedError)) throw error;
        if (error.kind === "fatal") {
          throw usageError(`The endpoint refused the run (${error.message})`);
        }
        if (error.kind === "transient") return { costUsd: 0, unfinished: true };
        stats.generated++;
        record({
          item_id: p.id,
          model,
          status: "failed",
          error: client.redact(error.message),
        });
        return { costUsd: 0, failed: true };
      }
    },
  });
  stats.requests = client.stats.requests - before.requests;
  stats.retries = client.stats.retries - before.retries;
  stats.rate_limited = client.stats.rateLimited - before.rateLimited;
  stats.budget_stopped = result.budgetStopped;
  if (stats.cost_usd !== null) stats.cost_usd = result.spentUsd;
  if (result.fatal !== undefined) {
    await Promise.allSettled(writes);
    throw result.fatal;
  }
  if (result.budgetStopped) {
    reporter?.warn(
      `stopped before --budget-usd ${options.budgetUsd} would be exceeded: ` +
        `${result.unfinished.length} items not generated (rerun with a larger budget to finish)`,
    );
  } else if (result.unfinished.length > 0) {
    reporter?.warn(
      `${result.unfinished.length} items failed after every attempt (rate limits, server errors ` +
        `or timeouts): rerun the same command to finish them`,
    );
  }
  return finish();
}

/** Options for {@link runGenerate}. */
export interface GenerateRunOptions
  extends Omit<GenerateOptions, "systemPrompt" | "cache" | "journal"> {
  /** A system prompt file. @default none */
  systemPrompt?: string;
  /** Where artifacts go. @default "runs" */
  out?: string;
  /** The cache folder. @default `<out>/.cache/generate` */
  cacheDir?: string;
  /** Do not read or write the cache. @default false */
  noCache?: boolean;
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

/**
 * Run the model under test over an eval set and write a responses artifact.
 *
 * @param evalset An eval-set artifact folder (or an `evalset.jsonl`-shaped file).
 * @param options The model, system prompt file, endpoint and limits.
 * @throws {TypeError} or {SyntaxError} Bad input, naming file, line and field.
 * @throws {RangeError} Bad usage, or a fatal endpoint error.
 */
export async function runGenerate(
  evalset: string,
  options: GenerateRunOptions,
): Promise<GenerateRunResult> {
  const out = options.out ?? "runs";
  const evalFile = await resolveInputFile(evalset, "evalset.jsonl");
  const items = (await readRecords(evalFile, EvalItem, { key: KINDS.evalset.key })).map(
    toJudgeItem,
  );
  let systemPrompt: string | undefined;
  if (options.systemPrompt !== undefined) {
    try {
      systemPrompt = await Deno.readTextFile(options.systemPrompt);
    } catch (e) {
      throw inputError([{
        file: options.systemPrompt,
        line: 0,
        problem: e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message,
        kind: "type",
      }]);
    }
  }
  const temperature = options.temperature ?? 0;
  const seed = options.seed === undefined ? 0 : options.seed;
  const params = {
    model: options.model,
    system_prompt_sha256: systemPrompt === undefined ? null : sha256(systemPrompt),
    temperature,
    seed,
    max_tokens: options.maxTokens ?? null,
  };
  const inputs = options.systemPrompt ? [evalFile, options.systemPrompt] : [evalFile];
  const plan = await planArtifact({
    kind: "responses",
    out,
    command: "generate",
    params,
    seed,
    inputs,
  });
  const existing = await readManifest(plan.dir).catch(() => null);
  if (existing) {
    const responses = await readRecords(`${plan.dir}/responses.jsonl`, Response, {
      allowEmpty: true,
    });
    options.reporter?.info(`artifact  ${plan.dir} exists: nothing to generate (0 requests)`);
    await removePartial(`${out}/.partial/responses-${plan.id}`);
    const meta = existing.meta as { cost_usd?: number | null; counts?: { failed?: number } };
    return {
      artifact: plan.dir,
      id: plan.id,
      complete: true,
      reused: true,
      partial: null,
      responses,
      failures: [],
      stats: {
        items: items.length,
        ok: responses.length,
        failed: meta.counts?.failed ?? 0,
        cached: 0,
        resumed: 0,
        generated: 0,
        missing: 0,
        requests: 0,
        retries: 0,
        rate_limited: 0,
        cost_usd: 0,
        cost_usd_total: meta.cost_usd ?? null,
        estimate_usd: 0,
        budget_usd: options.budgetUsd ?? null,
        budget_stopped: false,
        budget_refused: false,
      },
      budget_refused: false,
      manifest: existing,
    };
  }
  const partialDir = `${out}/.partial/responses-${plan.id}`;
  const journal = await openJournal(
    `${partialDir}/responses.jsonl`,
    JournalEntry,
    (e) => String(e.item_id),
  );
  if (journal.existing.size > 0) {
    options.reporter?.info(
      `resuming  ${journal.existing.size} of ${items.length} responses found in ${journal.path}`,
    );
  }
  let result: GenerateResult;
  try {
    result = await generateResponses(items, {
      ...options,
      systemPrompt,
      cache: options.noCache
        ? undefined
        : fileCache(options.cacheDir ?? `${out}/.cache/generate`, JournalEntry),
      journal,
    });
  } finally {
    await journal.close();
  }
  if (!result.complete) {
    const empty = (await Deno.stat(journal.path)).size === 0;
    if (empty) await removePartial(partialDir);
    return {
      artifact: plan.dir,
      id: plan.id,
      complete: false,
      reused: false,
      partial: empty ? null : journal.path,
      responses: result.responses,
      failures: result.failures,
      stats: result.stats,
      budget_refused: result.stats.budget_refused,
      manifest: null,
    };
  }
  const responses = result.responses.map((r) => Response.parse(r));
  const failures = result.failures.map((f) => GenerationFailure.parse(f));
  const latencies = responses.map((r) => r.latency_ms).sort((a, b) => a - b);
  const files: Record<string, string> = { "responses.jsonl": toJsonl(responses) };
  if (failures.length > 0) files["failures.jsonl"] = toJsonl(failures);
  const written = await writeArtifact({
    kind: "responses",
    out,
    command: "generate",
    params,
    seed,
    inputs,
    files,
    now: options.now,
    meta: {
      model: options.model,
      model_family: modelFamily(options.model),
      system_prompt: options.systemPrompt
        ? { path: options.systemPrompt, sha256: params.system_prompt_sha256 }
        : null,
      temperature,
      seed,
      evalset: { path: evalset, file: evalFile, sha256: await sha256File(evalFile) },
      endpoint: options.client?.endpoint ??
        safeEndpoint(options.clientOptions?.baseURL ?? envBaseUrl() ?? OPENAI_BASE_URL),
      counts: { items: items.length, ok: responses.length, failed: failures.length },
      cost_usd: result.stats.cost_usd_total,
      price: result.price
        ? {
          entry: result.price.entry,
          ...result.price.price,
          as_of: (options.prices ?? DEFAULT_PRICES).as_of,
        }
        : null,
      latency_ms: {
        p50: quantile(latencies, 0.5),
        p95: quantile(latencies, 0.95),
        max: latencies.length ? latencies[latencies.length - 1] : null,
      },
      usage: {
        prompt_tokens: responses.reduce((s, r) => s + r.usage.prompt_tokens, 0),
        completion_tokens: responses.reduce((s, r) => s + r.usage.completion_tokens, 0),
      },
    },
  });
  await removePartial(partialDir);
  return {
    artifact: written.dir,
    id: written.id,
    complete: true,
    reused: false,
    partial: null,
    responses,
    failures,
    stats: result.stats,
    budget_refused: false,
    manifest: written.manifest,
  };
}

function envBaseUrl(): string | undefined {
  try {
    return Deno.env.get("OPENAI_BASE_URL");
  } catch {
    return undefined;
  }
}
