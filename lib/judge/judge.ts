/**
 * Judge responses: one call per item returns all five scores as JSON,
 * validated by the zod schema. Structured outputs (`response_format:
 * json_schema`, from the same schema) where the endpoint supports them; the
 * reply text is parsed either way, and an invalid reply (not JSON, a score out
 * of 1–5, a missing field) is re-asked once with the error. A second invalid
 * reply is recorded as `status: "failed"` with the error: a score is never
 * guessed or defaulted.
 *
 * {@link judgeItems} is the library core (no artifact): the `judge` command,
 * the notebooks and the regression gate call it. It takes items with optional
 * `reference` facts and `expected_behavior` (regression cases), skips what a
 * journal already holds, serves what the cache holds, and judges the rest
 * through the Batch API or with bounded, adaptive concurrency.
 *
 * @module
 */
import { z } from "zod";
import { zodResponseFormat } from "openai/helpers/zod";
import { usageError } from "../_errors.ts";
import { sha256 } from "../_hash.ts";
import type { Reporter } from "../reporter.ts";
import { type Judgment, type Message, Scores, type Usage } from "../schemas.ts";
import { cacheKey, type ResultCache } from "./cache.ts";
import {
  type ChatClient,
  type ChatClientOptions,
  type ChatReply,
  createChatClient,
} from "./client.ts";
import {
  addUsage,
  budgetRefusal,
  costUsd,
  DEFAULT_PRICES,
  estimateTokens,
  NO_USAGE,
  priceFor,
  type PriceMatch,
  type PriceTable,
  roundUsd,
} from "./cost.ts";
import { checkSelfJudging, type SelfJudgeCheck, type SelfJudgeOptions } from "./family.ts";
import {
  HEURISTIC_JUDGE,
  heuristicJudge,
  type HeuristicOptions,
  heuristicSha,
} from "./heuristic.ts";
import { detectInjection, INJECTION_FLAG } from "./injection.ts";
import type { Journal } from "./journal.ts";
import { runPool } from "./pool.ts";
import {
  buildJudgeMessages,
  buildReask,
  itemContentHash,
  itemMessages,
  type JudgeItem,
  type JudgePrompt,
  loadPrompt,
} from "./prompt.ts";
import { RequestFailedError } from "./retry.ts";
import { type BatchOptions, runBatch } from "./batch.ts";

/** What the judge must reply: a rationale, then the five scores. */
export const JudgeOutput = z.object({
  rationale: z.string(),
  scores: Scores,
});
/** What the judge must reply. */
export type JudgeOutput = z.infer<typeof JudgeOutput>;

/** The `response_format` sent to endpoints that support structured outputs. */
export const JUDGE_RESPONSE_FORMAT = zodResponseFormat(JudgeOutput, "judgment");

/** A response to judge: the item it answers, its text (null when there is none) and its model. */
export interface ResponseToJudge {
  item_id: string;
  response: string | null;
  model?: string | null;
}

/** Options for {@link judgeItems}. */
export interface JudgeOptions extends SelfJudgeOptions {
  /** The judge model, or `"heuristic"` for the offline judge. */
  judge: string;
  /** The judge prompt. @default the bundled rubric-v1 */
  prompt?: JudgePrompt;
  /** The chat client. @default one made from `clientOptions` */
  client?: ChatClient;
  /** Endpoint, key, concurrency, rpm/tpm, attempts, timeout, structured mode. @default {} */
  clientOptions?: ChatClientOptions;
  /** @default 0 */
  temperature?: number;
  /** Sent when the endpoint supports it; `null` sends none. @default 0 */
  seed?: number | null;
  /** The price table. @default the bundled lib/judge/prices.json */
  prices?: PriceTable;
  /** Refuse to start when the estimate exceeds it; stop before spending passes it. @default none */
  budgetUsd?: number;
  /** Finished judgments by cache key. @default none */
  cache?: ResultCache<Judgment>;
  /** Where judgments are appended as they land; items already in it are not judged again. @default none */
  journal?: Journal<Judgment>;
  /** Use the OpenAI Batch API (half price, hours not seconds). @default false */
  batch?: boolean | BatchOptions;
  /** Length bands of the heuristic judge. @default {} */
  heuristic?: HeuristicOptions;
  /** Progress and warnings. @default none */
  reporter?: Reporter;
  /** Completion tokens assumed per judgment in cost estimates. @default 250 */
  estimatedCompletionTokens?: number;
}

/** Counts and costs of one judging call. */
export interface JudgeStats {
  items: number;
  ok: number;
  failed: number;
  /** Judgments carrying `possible_injection`. */
  flagged: number;
  /** Served from the cache. */
  cached: number;
  /** Found in the journal (a resumed run). */
  resumed: number;
  /** Judged by this call (requests made for them). */
  judged: number;
  /** Items left unjudged (retries exhausted, the budget, a fatal error): rerun to finish them. */
  missing: number;
  /** HTTP requests made, retries and re-asks included. */
  requests: number;
  retries: number;
  rate_limited: number;
  /** USD spent by this call; null when the judge has no price. */
  cost_usd: number | null;
  /** USD of every judgment's usage (as if none were cached). */
  cost_usd_total: number | null;
  /** The estimate made before starting, for the items not yet judged. */
  estimate_usd: number | null;
  budget_usd: number | null;
  /** The budget stopped the run (or refused it: `budget_refused`). */
  budget_stopped: boolean;
  budget_refused: boolean;
  /** The lowest concurrency the AIMD limiter fell to. */
  lowest_concurrency: number | null;
  /** Whether replies came under structured outputs (`null`: no request made). */
  structured: boolean | null;
  batch_id: string | null;
}

/** What {@link judgeItems} returns. */
export interface JudgeResult {
  /** Judgments in the order of the items; an item left unjudged has none. */
  judgments: Judgment[];
  /** Ids of items left unjudged. */
  missing: string[];
  /** Every item has a judgment (ok or failed). */
  complete: boolean;
  prompt_sha256: string;
  prompt_name: string;
  price: PriceMatch | null;
  self_judge: SelfJudgeCheck | null;
  stats: JudgeStats;
}

/** The cache key of one judgment: judge, prompt, item content, response, temperature, seed. */
export function judgmentCacheKey(
  judge: string,
  promptSha: string,
  item: JudgeItem,
  response: string,
  temperature: number,
  seed: number | null,
): string {
  return cacheKey({
    judge_model: judge,
    prompt_sha256: promptSha,
    item: itemContentHash(item),
    response: sha256(response),
    temperature,
    seed,
  });
}

/**
 * Parse and validate a judge reply: the JSON object (code fences and text
 * around it are tolerated), then the zod schema.
 *
 * @returns The output, or the problem in words (sent back to the judge once).
 *
 * @example
 * ```ts
 * import { parseJudgeReply } from "./judge.ts";
 * const ok = parseJudgeReply('{"rationale":"r","scores":{"correctness":4,"relevance":5,"clarity":3,"calibration":4,"length":5}}');
 * if (!ok.ok) throw new Error(ok.error);
 * const bad = parseJudgeReply('{"rationale":"r","scores":{"correctness":7,"relevance":5,"clarity":3,"calibration":4,"length":5}}');
 * if (bad.ok || !bad.error.includes("scores.correctness")) throw new Error("accepted 7");
 * ```
 */
export function parseJudgeReply(
  text: string,
): { ok: true; output: JudgeOutput } | { ok: false; error: string } {
  let body = text.trim();
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/i.exec(body);
  if (fenced) body = fenced[1];
  if (!body.startsWith("{")) {
    const start = body.indexOf("{");
    const end = body.lastIndexOf("}");
    if (start < 0 || end <= start) {
      return { ok: false, error: `not a JSON object: ${JSON.stringify(shorten(text))}` };
    }
    body = body.slice(start, end + 1);
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    return { ok: false, error: `not valid JSON (${(e as Error).message})` };
  }
  const parsed = JudgeOutput.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const path = i.path.map(String).join(".") || "(root)";
      const got = valueAt(value, i.path);
      const received = got === undefined ? "missing" : `received ${JSON.stringify(got)}`;
      const expected = i.path[0] === "scores" && i.path.length === 2
        ? "expected an integer from 1 to 5"
        : i.message.replace(/^Invalid input: /, "");
      return `${path}: ${expected}, ${received}`;
    });
    return { ok: false, error: problems.join("; ") };
  }
  return { ok: true, output: parsed.data };
}

function valueAt(value: unknown, path: PropertyKey[]): unknown {
  let v = value;
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function shorten(text: string): string {
  return text.length > 80 ? text.slice(0, 77) + "..." : text;
}

/** `possible_injection` when the response or a user turn looks like it instructs the judge. */
export function injectionFlags(item: JudgeItem, response: string): string[] {
  const texts = [
    response,
    ...itemMessages(item).filter((m) => m.role !== "system").map((m) => m.content),
  ];
  return texts.some((t) => detectInjection(t).suspicious) ? [INJECTION_FLAG] : [];
}

interface Pending {
  id: string;
  estimateUsd: number;
  item: JudgeItem;
  response: string;
  messages: Message[];
  key: string;
  flags: string[];
  estimatedTokens: number;
}

/**
 * Judge responses to items on the five dimensions.
 *
 * @param items The items (eval items or regression cases, with optional `reference` and `expected_behavior`).
 * @param responses The responses, by `item_id`; an item without one gets a failed judgment.
 * @param options The judge, prompt, client, cache, journal, budget, batch.
 * @returns Judgments in item order, what is missing, and the run's counts and cost.
 * @throws {RangeError} A usage error: self-judging refused, no price with a budget, a fatal endpoint error (bad key, unknown model).
 *
 * @example Offline, with the heuristic judge
 * ```ts
 * import { judgeItems } from "./judge.ts";
 * const items = [{ id: "q1", query: "How do I void an invoice?", stratum: "billing",
 *   reference: ["Invoices can be voided within 30 days of issue"] }];
 * const result = await judgeItems(items,
 *   [{ item_id: "q1", response: "Invoices can be voided within 30 days of issue." }],
 *   { judge: "heuristic" });
 * if (!result.complete || result.judgments[0].status !== "ok") throw new Error("not judged");
 * ```
 */
export async function judgeItems(
  items: readonly JudgeItem[],
  responses: readonly ResponseToJudge[],
  options: JudgeOptions,
): Promise<JudgeResult> {
  const judge = options.judge;
  const heuristic = judge === HEURISTIC_JUDGE;
  const reporter = options.reporter;
  const ids = new Set<string>();
  for (const item of items) {
    if (ids.has(item.id)) throw new RangeError(`Duplicate item id "${item.id}"`);
    ids.add(item.id);
  }
  const byItem = new Map<string, ResponseToJudge>();
  for (const r of responses) {
    if (!ids.has(r.item_id)) {
      throw new RangeError(`Response for unknown item "${r.item_id}": no item has this id`);
    }
    if (byItem.has(r.item_id)) throw new RangeError(`Two responses for item "${r.item_id}"`);
    byItem.set(r.item_id, r);
  }

  const models = [...new Set(responses.map((r) => r.model).filter((m): m is string => !!m))];
  const selfJudge = heuristic ? null : checkSelfJudging(judge, models, options);
  if (selfJudge?.self_judged) {
    reporter?.warn(
      `self-judging: "${judge}" judges ${selfJudge.judge_family} models; the run is flagged self_judged`,
    );
  } else if (selfJudge && selfJudge.unknown.length > 0) {
    reporter?.warn(
      `cannot tell the model family of ${
        selfJudge.unknown.map((m) => `"${m}"`).join(", ")
      }: pass --judge-family / --model-family to check for self-judging`,
    );
  }

  const prompt = heuristic ? undefined : options.prompt ?? await loadPrompt();
  const promptSha = heuristic ? heuristicSha(options.heuristic) : prompt!.sha256;
  const promptName = heuristic ? "heuristic" : prompt!.name;
  const temperature = options.temperature ?? 0;
  const seed = options.seed === undefined ? 0 : options.seed;
  const prices = options.prices ?? DEFAULT_PRICES;
  const batchOptions: BatchOptions | undefined = options.batch === true
    ? {}
    : options.batch || undefined;
  const batch = batchOptions !== undefined && !heuristic;
  const price: PriceMatch | null = heuristic
    ? { entry: HEURISTIC_JUDGE, price: { input: 0, output: 0 } }
    : priceFor(prices, judge) ?? null;
  if (!price && options.budgetUsd !== undefined) {
    throw usageError(
      `No price for judge model "${judge}" in the price table (as of ${prices.as_of}): ` +
        `pass --prices FILE with its price to use --budget-usd`,
    );
  }
  if (!price) {
    reporter?.warn(`no price for "${judge}" in the price table: cost is not counted`);
  }
  const cost = (usage: Usage, viaBatch = false) =>
    price
      ? costUsd(usage, price.price, { batch: viaBatch, batchDiscount: prices.batch_discount })
      : 0;

  const done = new Map<string, Judgment>();
  let resumed = 0;
  let cached = 0;
  let judgedOffline = 0;
  // Journal and cache writes start as a judgment lands; workers do not wait for
  // the disk before their next request, and every write is awaited before returning.
  const writes: Promise<void>[] = [];
  const record = (j: Judgment, key?: string) => {
    done.set(String(j.item_id), j);
    const write = (async () => {
      await options.journal?.append(String(j.item_id), j);
      if (key && j.status === "ok") await options.cache?.set(key, j);
    })();
    write.catch(() => {});
    writes.push(write);
  };
  const base = { judge_model: judge, prompt_sha256: promptSha };

  // 1. What the journal, the missing responses, the heuristic and the cache settle.
  const hits = new Map<string, Judgment>();
  if (options.cache && !heuristic) {
    const keys = items
      .filter((i) => !options.journal?.existing.has(i.id))
      .map((i) => ({ i, r: byItem.get(i.id)?.response }))
      .filter((x): x is { i: JudgeItem; r: string } => typeof x.r === "string")
      .map(({ i, r }) => judgmentCacheKey(judge, promptSha, i, r, temperature, seed));
    const cache = options.cache;
    for (let start = 0; start < keys.length; start += 64) {
      const chunk = keys.slice(start, start + 64);
      const got = await Promise.all(chunk.map((k) => cache.get(k)));
      chunk.forEach((k, n) => got[n] && hits.set(k, got[n]!));
    }
  }
  const pending: Pending[] = [];
  for (const item of items) {
    const prior = options.journal?.existing.get(item.id);
    if (prior) {
      done.set(item.id, prior);
      resumed++;
      continue;
    }
    const response = byItem.get(item.id)?.response ?? null;
    if (response === null) {
      record({
        item_id: item.id,
        ...base,
        scores: null,
        rationale: "",
        usage: { ...NO_USAGE },
        status: "failed",
        error: "no response to judge for this item",
      });
      continue;
    }
    const flags = injectionFlags(item, response);
    if (heuristic) {
      judgedOffline++;
      const h = heuristicJudge(item, response, options.heuristic);
      const allFlags = [...flags, ...h.flags];
      record({
        item_id: item.id,
        ...base,
        scores: h.scores,
        rationale: h.rationale,
        usage: { ...NO_USAGE },
        status: "ok",
        ...(allFlags.length ? { flags: allFlags } : {}),
      });
      continue;
    }
    const key = judgmentCacheKey(judge, promptSha, item, response, temperature, seed);
    const hit = hits.get(key);
    if (hit && hit.status === "ok") {
      cached++;
      record({ ...hit, item_id: item.id });
      continue;
    }
    const messages = buildJudgeMessages(prompt!, item, response);
    const promptTokens = estimateTokens(messages.map((m) => m.content).join("\n")) + 8;
    const completionTokens = options.estimatedCompletionTokens ?? 250;
    const estimateUsd = price
      ? costUsd(
        { prompt_tokens: promptTokens, completion_tokens: completionTokens },
        price.price,
        { batch, batchDiscount: prices.batch_discount },
      )
      : 0;
    pending.push({
      id: item.id,
      estimateUsd,
      item,
      response,
      messages,
      key,
      flags,
      estimatedTokens: promptTokens + completionTokens,
    });
  }

  const estimate = price ? pending.reduce((s, p) => s + p.estimateUsd, 0) : null;
  const stats: JudgeStats = {
    items: items.length,
    ok: 0,
    failed: 0,
    flagged: 0,
    cached,
    resumed,
    judged: judgedOffline,
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
    lowest_concurrency: null,
    structured: null,
    batch_id: null,
  };
  const finish = async (): Promise<JudgeResult> => {
    await Promise.all(writes);
    const judgments = items.map((i) => done.get(i.id)).filter((j): j is Judgment => !!j);
    const missing = items.filter((i) => !done.has(i.id)).map((i) => i.id);
    stats.ok = judgments.filter((j) => j.status === "ok").length;
    stats.failed = judgments.filter((j) => j.status === "failed").length;
    stats.flagged = judgments.filter((j) => j.flags?.includes(INJECTION_FLAG)).length;
    stats.missing = missing.length;
    stats.cost_usd_total = price
      ? roundUsd(judgments.reduce((s, j) => s + cost(j.usage, stats.batch_id !== null), 0))
      : null;
    if (stats.cost_usd !== null) stats.cost_usd = roundUsd(stats.cost_usd);
    return {
      judgments,
      missing,
      complete: missing.length === 0,
      prompt_sha256: promptSha,
      prompt_name: promptName,
      price,
      self_judge: selfJudge,
      stats,
    };
  };

  const refusal = budgetRefusal(estimate, options.budgetUsd, pending.length, "judgments");
  if (refusal !== null) {
    stats.budget_refused = true;
    stats.budget_stopped = true;
    reporter?.warn(refusal);
    return finish();
  }
  if (pending.length === 0) return finish();

  // 2. The rest goes to the endpoint.
  const client = options.client ?? createChatClient(options.clientOptions);
  const requestsBefore = client.stats.requests;
  const retriesBefore = client.stats.retries;
  const rateLimitedBefore = client.stats.rateLimited;
  let spent = 0;

  const ask = (messages: Message[], estimatedTokens: number) =>
    client.complete({
      model: judge,
      messages,
      temperature,
      seed,
      responseFormat: JUDGE_RESPONSE_FORMAT,
      estimatedTokens,
    });

  /** Turn a reply into a judgment, re-asking once when it is unusable. */
  const conclude = async (
    p: Pending,
    first: ChatReply,
    viaBatch: boolean,
  ): Promise<{ judgment: Judgment; costUsd: number }> => {
    let usage = first.usage;
    let spentHere = cost(first.usage, viaBatch);
    let reply = first;
    let messages = p.messages;
    for (let round = 0;; round++) {
      stats.structured = reply.structured;
      const problem = reply.refusal
        ? `the judge refused: ${shorten(reply.refusal)}`
        : reply.finishReason === "content_filter"
        ? "the reply was stopped by the endpoint's content filter"
        : null;
      const parsed = problem
        ? { ok: false as const, error: problem }
        : parseJudgeReply(reply.content);
      if (parsed.ok) {
        return {
          judgment: {
            item_id: p.item.id,
            ...base,
            scores: parsed.output.scores,
            rationale: parsed.output.rationale,
            usage,
            status: "ok",
            ...(p.flags.length ? { flags: p.flags } : {}),
          },
          costUsd: spentHere,
        };
      }
      if (round >= 1 || problem) {
        return {
          judgment: {
            item_id: p.item.id,
            ...base,
            scores: null,
            rationale: "",
            usage,
            status: "failed",
            error: round >= 1
              ? `invalid judge reply after one re-ask: ${parsed.error}`
              : parsed.error,
            ...(p.flags.length ? { flags: p.flags } : {}),
          },
          costUsd: spentHere,
        };
      }
      messages = [
        ...messages,
        { role: "assistant", content: reply.content },
        buildReask(prompt!, parsed.error),
      ];
      reply = await ask(messages, p.estimatedTokens + estimateTokens(reply.content) + 60);
      usage = addUsage(usage, reply.usage);
      spentHere += cost(reply.usage);
    }
  };

  const failedJudgment = (p: Pending, error: string): Judgment => ({
    item_id: p.item.id,
    ...base,
    scores: null,
    rationale: "",
    usage: { ...NO_USAGE },
    status: "failed",
    error,
    ...(p.flags.length ? { flags: p.flags } : {}),
  });

  let queue = pending;
  if (batch) {
    const outcome = await runBatch(queue, {
      ...batchOptions,
      client,
      model: judge,
      temperature,
      seed,
      responseFormat: client.capabilities.jsonSchema ? JUDGE_RESPONSE_FORMAT : undefined,
      reporter,
    });
    stats.batch_id = outcome.batchId;
    if (outcome.pending) {
      stats.requests = client.stats.requests - requestsBefore;
      return finish();
    }
    const left: Pending[] = [];
    for (const p of queue) {
      const reply = outcome.replies.get(p.id);
      if (!reply) {
        left.push(p);
        continue;
      }
      try {
        const { judgment, costUsd } = await conclude(p, reply, true);
        spent += costUsd;
        stats.judged++;
        record(judgment, p.key);
      } catch (error) {
        if (error instanceof RequestFailedError && error.kind === "fatal") throw fatalError(error);
        left.push(p);
      }
    }
    await outcome.forget();
    if (left.length > 0 && outcome.replies.size > 0) {
      reporter?.info(
        `batch: ${left.length} items without a usable batch result; judging them directly`,
      );
    }
    queue = left;
  }

  const result = await runPool(queue, {
    label: "judge",
    concurrency: Math.max(1, options.clientOptions?.concurrency ?? client.limiter.limit),
    budgetUsd: options.budgetUsd,
    spentUsd: spent,
    priced: price !== null,
    reporter,
    alreadyDone: items.length - queue.length,
    extra: () => ({
      retries: client.stats.retries - retriesBefore,
      "in flight": client.limiter.inFlight,
      limit: Math.floor(client.limiter.limit),
    }),
    run: async (p) => {
      try {
        const reply = await ask(p.messages, p.estimatedTokens);
        const { judgment, costUsd } = await conclude(p, reply, false);
        stats.judged++;
        record(judgment, p.key);
        return { costUsd, failed: judgment.status === "failed" };
      } catch (error) {
        if (!(error instanceof RequestFailedError)) throw error;
        if (error.kind === "fatal") throw fatalError(error);
        if (error.kind === "transient") return { costUsd: 0, unfinished: true };
        stats.judged++;
        const judgment = failedJudgment(p, client.redact(error.message));
        record(judgment, p.key);
        return { costUsd: 0, failed: true };
      }
    },
  });
  spent += result.spentUsd;
  stats.requests = client.stats.requests - requestsBefore;
  stats.retries = client.stats.retries - retriesBefore;
  stats.rate_limited = client.stats.rateLimited - rateLimitedBefore;
  stats.lowest_concurrency = Math.floor(client.limiter.lowest);
  stats.budget_stopped = result.budgetStopped;
  if (stats.cost_usd !== null) stats.cost_usd = spent;
  if (result.fatal !== undefined) {
    await Promise.allSettled(writes);
    throw result.fatal;
  }
  if (result.budgetStopped) {
    reporter?.warn(
      `stopped before --budget-usd ${options.budgetUsd} would be exceeded: ` +
        `${result.unfinished.length} items not judged (rerun with a larger budget to finish)`,
    );
  } else if (result.unfinished.length > 0) {
    reporter?.warn(
      `${result.unfinished.length} items could not be judged after ${
        options.clientOptions?.maxAttempts ?? 6
      } attempts (rate limits, server errors or timeouts): rerun the same command to finish them`,
    );
  }
  return finish();
}

function fatalError(error: RequestFailedError): RangeError {
  const hint = error.status === 401
    ? ": check OPENAI_API_KEY"
    : error.status === 404
    ? ": check the model name and --base-url"
    : error.status === 403
    ? ": the key has no access to this model"
    : "";
  return usageError(`The endpoint refused the run (${error.message})${hint}`);
}
