/**
 * The engine: "one request per item" for every command that calls a model
 * (`generate`, `judge`, the regression gate, re-judging in `agreement`).
 *
 * {@link runRequests} takes the items as either a request to make (messages,
 * a cache key, an estimate) or a result already settled without one (the
 * heuristic judge, an item with no response), and:
 *
 * 1. skips what the journal already holds (a resumed run),
 * 2. serves what the cache holds,
 * 3. refuses to start when the estimate exceeds the budget,
 * 4. sends the rest through the Batch API and/or the pool (bounded adaptive
 *    concurrency, retries, progress on stderr, the budget kept while running),
 * 5. appends each result to the journal and ok results to the cache as they land.
 *
 * What a result *is* stays with the caller: `conclude` turns a reply into one
 * (the judge parses and re-asks there), `failure` records a request refused
 * for good. The engine never looks inside a result beyond `isOk` and `usageOf`.
 *
 * @module
 */
import type { Reporter } from "../reporter.ts";
import type { Message, Usage } from "../schemas.ts";
import type { BatchOptions } from "./batch.ts";
import type { ResultCache } from "./cache.ts";
import {
  type ChatClient,
  type ChatClientOptions,
  type ChatReply,
  createChatClient,
} from "./client.ts";
import { budgetRefusal, costUsd, type PriceMatch, roundUsd } from "./cost.ts";
import { EndpointError, failuresSince, type FailureSummary } from "./failure.ts";
import type { Journal } from "./journal.ts";
import { runPool } from "./pool.ts";
import { RequestFailedError } from "./retry.ts";

/** One request to make for one item. */
export interface EngineRequest {
  id: string;
  messages: Message[];
  /** The result's cache key; null: never cached. */
  key: string | null;
  /** Prompt and completion tokens expected (for the tpm cap). */
  estimatedTokens: number;
  /** Its estimated cost in USD (0 when unpriced). */
  estimateUsd: number;
}

/** An item settled without a request (recorded and journaled as it is). */
export interface SettledItem<R> {
  id: string;
  settled: R;
}

/** An item for {@link runRequests}. */
export type EngineItem<R, Q extends EngineRequest = EngineRequest> = Q | SettledItem<R>;

/** Sends one follow-up request in the same conversation (a re-ask) and returns its reply. */
export type Ask = (messages: Message[], estimatedTokens: number) => Promise<ChatReply>;

/** The fixed fields of every request. */
export interface RequestFields {
  model: string;
  /** @default 0 */
  temperature?: number;
  /** @default none */
  seed?: number | null;
  /** @default none */
  maxTokens?: number;
  /** `response_format: json_schema`, sent while the endpoint accepts it. @default none */
  responseFormat?: Parameters<ChatClient["complete"]>[0]["responseFormat"];
}

/** Options for {@link runRequests}. */
export interface EngineOptions<R, Q extends EngineRequest = EngineRequest> {
  /** Label of progress lines, e.g. `judge`. */
  label: string;
  /** What results are called in messages, e.g. `judgments`. */
  noun: string;
  request: RequestFields;
  /** Turn a reply into a result; `ask` sends a follow-up (its cost is counted). */
  conclude: (request: Q, reply: ChatReply, ask: Ask) => Promise<R>;
  /** The result recorded for a request refused for good (a 400, say). */
  failure: (request: Q, message: string) => R;
  /** An ok result (cached; counted as ok). */
  isOk: (result: R) => boolean;
  usageOf: (result: R) => Usage;
  /** A cached result for another item with the same content. @default the hit as is */
  reuse?: (hit: R, id: string) => R;
  /** The price, or null when unknown (cost not counted). */
  price: PriceMatch | null;
  /** The share taken off batch requests. @default 0.5 */
  batchDiscount?: number;
  /** Stop before spending passes this. @default none */
  budgetUsd?: number;
  client?: ChatClient;
  clientOptions?: ChatClientOptions;
  cache?: ResultCache<R>;
  journal?: Journal<R>;
  /** Send requests through the Batch API first. @default not */
  batch?: BatchOptions;
  reporter?: Reporter;
}

/** Counts and costs of one {@link runRequests} call. */
export interface EngineStats {
  items: number;
  ok: number;
  failed: number;
  /** Served from the cache. */
  cached: number;
  /** Found in the journal (a resumed run). */
  resumed: number;
  /** Settled without a request (offline, or nothing to send). */
  settled: number;
  /** Items that got a result from requests made now. */
  requested: number;
  /** Items left without a result (retries exhausted, the budget, a stop): rerun to finish. */
  missing: number;
  /** HTTP requests made, retries and re-asks included. */
  requests: number;
  retries: number;
  rate_limited: number;
  /** USD spent now; null when unpriced. */
  cost_usd: number | null;
  /** USD of every result's usage (as if none were cached). */
  cost_usd_total: number | null;
  /** The estimate made before starting, for what was not yet done. */
  estimate_usd: number | null;
  budget_usd: number | null;
  budget_stopped: boolean;
  budget_refused: boolean;
  /** The lowest concurrency the AIMD limiter fell to. */
  lowest_concurrency: number | null;
  /** Whether replies came under structured outputs (`null`: no request made). */
  structured: boolean | null;
  batch_id: string | null;
  /** Cache lookups that hit and missed. */
  cache_hits: number;
  cache_misses: number;
  /** Requests that failed, by kind (`rate_limit`, `server_error`, `connection_refused`, …). */
  failures: FailureSummary;
  /** The endpoint (without credentials), when a client was made. */
  endpoint: string | null;
}

/** What {@link runRequests} returns. */
export interface EngineResult<R> {
  /** Results by item id, in item order. */
  results: Map<string, R>;
  /** Ids of items left without a result. */
  missing: string[];
  complete: boolean;
  stats: EngineStats;
}

interface Run<R, Q extends EngineRequest = EngineRequest> {
  options: EngineOptions<R, Q>;
  done: Map<string, R>;
  writes: Promise<void>[];
  stats: EngineStats;
  spent: number;
}

function record<R, Q extends EngineRequest>(
  run: Run<R, Q>,
  id: string,
  result: R,
  key: string | null,
): void {
  run.done.set(id, result);
  const { journal, cache, isOk } = run.options;
  const write = (async () => {
    await journal?.append(id, result);
    if (key && isOk(result)) await cache?.set(key, result);
  })();
  write.catch(() => {});
  run.writes.push(write);
}

/** The stats before anything is done. */
export function emptyStats(
  items: number,
  price: PriceMatch | null,
  budgetUsd: number | undefined,
  client: ChatClient | undefined,
): EngineStats {
  return {
    items,
    ok: 0,
    failed: 0,
    cached: 0,
    resumed: 0,
    settled: 0,
    requested: 0,
    missing: 0,
    requests: 0,
    retries: 0,
    rate_limited: 0,
    cost_usd: price ? 0 : null,
    cost_usd_total: null,
    estimate_usd: null,
    budget_usd: budgetUsd ?? null,
    budget_stopped: false,
    budget_refused: false,
    lowest_concurrency: null,
    structured: null,
    batch_id: null,
    cache_hits: 0,
    cache_misses: 0,
    failures: {},
    endpoint: client?.endpoint ?? null,
  };
}

/** Cache hits for the requests, looked up 64 at a time. */
async function lookupCache<R>(
  requests: readonly EngineRequest[],
  cache: ResultCache<R> | undefined,
): Promise<Map<string, R>> {
  const hits = new Map<string, R>();
  if (!cache) return hits;
  const keys = [...new Set(requests.map((r) => r.key).filter((k): k is string => k !== null))];
  for (let start = 0; start < keys.length; start += 64) {
    const chunk = keys.slice(start, start + 64);
    const got = await Promise.all(chunk.map((k) => cache.get(k)));
    chunk.forEach((k, n) => got[n] !== undefined && hits.set(k, got[n]!));
  }
  return hits;
}

/** Step 1–2: what the journal, settled items and the cache answer; the requests left. */
async function settleKnown<R, Q extends EngineRequest>(
  run: Run<R, Q>,
  items: readonly EngineItem<R, Q>[],
): Promise<Q[]> {
  const { journal, cache, isOk } = run.options;
  const reuse = run.options.reuse ?? ((hit: R) => hit);
  const fresh = items.filter((i) => !journal?.existing.has(i.id));
  const requests = fresh.filter((i): i is Q => !("settled" in i));
  const hits = await lookupCache(requests, cache);
  const pending: Q[] = [];
  for (const item of items) {
    const prior = journal?.existing.get(item.id);
    if (prior !== undefined) {
      run.done.set(item.id, prior);
      run.stats.resumed++;
    } else if ("settled" in item) {
      run.stats.settled++;
      record(run, item.id, item.settled, null);
    } else {
      const hit = item.key === null ? undefined : hits.get(item.key);
      if (hit !== undefined && isOk(hit)) {
        run.stats.cached++;
        record(run, item.id, reuse(hit, item.id), null);
      } else pending.push(item);
    }
  }
  if (cache) {
    run.stats.cache_hits = run.stats.cached;
    run.stats.cache_misses = pending.filter((p) => p.key !== null).length;
  }
  return pending;
}

function costOf<R, Q extends EngineRequest>(
  run: Run<R, Q>,
  usage: Usage,
  viaBatch: boolean,
): number {
  const price = run.options.price;
  if (!price) return 0;
  return costUsd(usage, price.price, {
    batch: viaBatch,
    batchDiscount: run.options.batchDiscount,
  });
}

/** A reply concluded into a result, with the cost of every request it took. */
async function conclude<R, Q extends EngineRequest>(
  run: Run<R, Q>,
  client: ChatClient,
  request: Q,
  reply: ChatReply,
  viaBatch: boolean,
): Promise<{ result: R; costUsd: number }> {
  let spent = costOf(run, reply.usage, viaBatch);
  run.stats.structured = reply.structured;
  const ask: Ask = async (messages, estimatedTokens) => {
    const again = await client.complete({ ...run.options.request, messages, estimatedTokens });
    spent += costOf(run, again.usage, false);
    run.stats.structured = again.structured;
    return again;
  };
  const result = await run.options.conclude(request, reply, ask);
  return { result, costUsd: spent };
}

/** Step 4a: the Batch API; returns the requests it left (all of them while it is pending). */
async function viaBatch<R, Q extends EngineRequest>(
  run: Run<R, Q>,
  client: ChatClient,
  queue: Q[],
): Promise<{ left: Q[]; pending: boolean }> {
  const { request, reporter } = run.options;
  // Loaded when a run is batched: an interactive run does not pay for it at start-up.
  const { runBatch } = await import("./batch.ts");
  const outcome = await runBatch(queue, {
    ...run.options.batch,
    client,
    model: request.model,
    temperature: request.temperature ?? 0,
    seed: request.seed ?? null,
    responseFormat: client.capabilities.jsonSchema ? request.responseFormat : undefined,
    reporter,
  });
  run.stats.batch_id = outcome.batchId;
  if (outcome.pending) return { left: queue, pending: true };
  const left: Q[] = [];
  for (const p of queue) {
    const reply = outcome.replies.get(p.id);
    if (!reply) {
      left.push(p);
      continue;
    }
    try {
      const { result, costUsd } = await conclude(run, client, p, reply, true);
      run.spent += costUsd;
      run.stats.requested++;
      record(run, p.id, result, p.key);
    } catch (error) {
      if (error instanceof RequestFailedError && error.kind === "fatal") {
        throw new EndpointError(error.info, client.endpoint);
      }
      left.push(p);
    }
  }
  await outcome.forget();
  if (left.length > 0 && outcome.replies.size > 0) {
    reporter?.info(
      `batch: ${left.length} items without a usable batch result; sending them directly`,
    );
  }
  return { left, pending: false };
}

/** Requests refused the same way, one after another, before any answer stops the run. */
const STOP_AFTER = 3;

/**
 * Holds back the first refusals (a 400, say) until an answer arrives: when the
 * first {@link STOP_AFTER} requests are all refused with the same message the
 * run stops (nothing recorded, so a fixed rerun sends them again) instead of
 * recording every item as failed.
 */
function refusalWatch<R, Q extends EngineRequest>(run: Run<R, Q>, limit: number, endpoint: string) {
  let watching = true;
  let first: string | null = null;
  const held: { id: string; result: R; key: string | null }[] = [];
  const keep = (id: string, result: R, key: string | null) => {
    run.stats.requested++;
    record(run, id, result, key);
  };
  const release = () => {
    watching = false;
    for (const h of held.splice(0)) keep(h.id, h.result, h.key);
  };
  return {
    answered: release,
    release,
    refused(p: Q, info: RequestFailedError["info"], result: R): void {
      const detail = info.detail ?? info.message;
      if (watching && first !== null && detail !== first) release();
      if (!watching) return keep(p.id, result, p.key);
      first = detail;
      held.push({ id: p.id, result, key: p.key });
      if (held.length >= limit) {
        throw new EndpointError(
          info,
          endpoint,
          `The first ${held.length} requests were all refused the same way`,
        );
      }
    },
  };
}

/** Step 4b: the pool, one request (and its re-asks) per item. */
async function viaPool<R, Q extends EngineRequest>(
  run: Run<R, Q>,
  client: ChatClient,
  queue: Q[],
): Promise<string[]> {
  const { options, stats } = run;
  const retriesBefore = client.stats.retries;
  const watch = refusalWatch(run, Math.min(STOP_AFTER, queue.length), client.endpoint);
  const result = await runPool(queue, {
    label: options.label,
    concurrency: Math.max(1, options.clientOptions?.concurrency ?? client.limiter.limit),
    budgetUsd: options.budgetUsd,
    spentUsd: run.spent,
    priced: options.price !== null,
    reporter: options.reporter,
    alreadyDone: stats.items - queue.length,
    extra: () => ({
      retries: client.stats.retries - retriesBefore,
      "in flight": client.limiter.inFlight,
      limit: Math.floor(client.limiter.limit),
    }),
    run: async (p) => {
      try {
        const reply = await client.complete({
          ...options.request,
          messages: p.messages,
          estimatedTokens: p.estimatedTokens,
        });
        watch.answered();
        const { result, costUsd } = await conclude(run, client, p, reply, false);
        stats.requested++;
        record(run, p.id, result, p.key);
        return { costUsd, failed: !options.isOk(result) };
      } catch (error) {
        if (!(error instanceof RequestFailedError)) throw error;
        if (error.kind === "fatal") throw new EndpointError(error.info, client.endpoint);
        if (error.kind === "transient") return { costUsd: 0, unfinished: true };
        watch.refused(p, error.info, options.failure(p, error.message));
        return { costUsd: 0, failed: true };
      }
    },
  });
  run.spent += result.spentUsd;
  stats.budget_stopped = result.budgetStopped;
  if (result.fatal === undefined) watch.release();
  else {
    await Promise.allSettled(run.writes);
    throw result.fatal;
  }
  return result.unfinished;
}

function warnUnfinished<R, Q extends EngineRequest>(
  run: Run<R, Q>,
  unfinished: number,
  attempts: number,
): void {
  const { reporter, budgetUsd, noun } = run.options;
  if (unfinished === 0) return;
  if (run.stats.budget_stopped) {
    reporter?.warn(
      `stopped before --budget-usd ${budgetUsd} would be exceeded: ` +
        `${unfinished} ${noun} not made (rerun with a larger budget to finish)`,
    );
  } else {
    reporter?.warn(
      `${unfinished} items got no result after ${attempts} attempts (${
        describeCounts(run.stats.failures)
      }): rerun the same command to finish them`,
    );
  }
}

function describeCounts(counts: FailureSummary): string {
  const parts = Object.entries(counts).map(([kind, n]) => `${n} × ${kind.replaceAll("_", " ")}`);
  return parts.length ? parts.join(", ") : "rate limits, server errors or timeouts";
}

function finish<R, Q extends EngineRequest>(
  run: Run<R, Q>,
  items: readonly EngineItem<R>[],
): EngineResult<R> {
  const { stats, done, options } = run;
  const results = new Map<string, R>();
  for (const i of items) if (done.has(i.id)) results.set(i.id, done.get(i.id)!);
  const missing = items.filter((i) => !done.has(i.id)).map((i) => i.id);
  const all = [...results.values()];
  stats.ok = all.filter(options.isOk).length;
  stats.failed = all.length - stats.ok;
  stats.missing = missing.length;
  const viaBatch = stats.batch_id !== null;
  stats.cost_usd_total = options.price
    ? roundUsd(all.reduce((s, r) => s + costOf(run, options.usageOf(r), viaBatch), 0))
    : null;
  if (stats.cost_usd !== null) stats.cost_usd = roundUsd(run.spent);
  return { results, missing, complete: missing.length === 0, stats };
}

/**
 * Run one request per item (see the module doc for the steps).
 *
 * @param items Requests to make, or results settled without one; ids must be unique.
 * @param options The request's fields, the caller's parts, price, budget, client, cache, journal, batch.
 * @returns Results by id, what is missing, counts and cost.
 * @throws {EndpointError} When the endpoint refuses the run (a bad key, an unknown model).
 *
 * @example
 * ```ts
 * import { runRequests } from "./engine.ts";
 * const result = await runRequests([{ id: "a", settled: "offline" }], {
 *   label: "demo", noun: "results", request: { model: "m" }, price: null,
 *   conclude: (_r, reply) => Promise.resolve(reply.content),
 *   failure: (_r, message) => message, isOk: () => true,
 *   usageOf: () => ({ prompt_tokens: 0, completion_tokens: 0 }),
 * });
 * if (result.results.get("a") !== "offline" || result.stats.requests !== 0) throw new Error();
 * ```
 */
export async function runRequests<R, Q extends EngineRequest = EngineRequest>(
  items: readonly EngineItem<R, Q>[],
  options: EngineOptions<R, Q>,
): Promise<EngineResult<R>> {
  const run: Run<R, Q> = {
    options,
    done: new Map(),
    writes: [],
    stats: emptyStats(items.length, options.price, options.budgetUsd, options.client),
    spent: 0,
  };
  let queue = await settleKnown(run, items);
  const estimate = options.price ? queue.reduce((s, p) => s + p.estimateUsd, 0) : null;
  run.stats.estimate_usd = estimate === null ? null : roundUsd(estimate);
  const refusal = budgetRefusal(estimate, options.budgetUsd, queue.length, options.noun);
  if (refusal !== null) {
    run.stats.budget_refused = run.stats.budget_stopped = true;
    options.reporter?.warn(refusal);
  } else if (queue.length > 0) {
    const client = options.client ?? createChatClient(options.clientOptions);
    run.stats.endpoint = client.endpoint;
    const before = { ...client.stats, failures: { ...client.stats.failures } };
    let unfinished: string[] = [];
    try {
      let pending = false;
      if (options.batch) ({ left: queue, pending } = await viaBatch(run, client, queue));
      if (!pending) unfinished = await viaPool(run, client, queue);
    } finally {
      run.stats.requests = client.stats.requests - before.requests;
      run.stats.retries = client.stats.retries - before.retries;
      run.stats.rate_limited = client.stats.rateLimited - before.rateLimited;
      run.stats.lowest_concurrency = Math.floor(client.limiter.lowest);
      run.stats.failures = failuresSince(before.failures, client.stats.failures);
    }
    warnUnfinished(run, unfinished.length, options.clientOptions?.maxAttempts ?? 6);
  }
  await Promise.all(run.writes);
  return finish(run, items);
}
