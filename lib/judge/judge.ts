/**
 * Judge responses: one call per item returns all five scores as JSON,
 * validated against the scale (see `reply.ts`). Structured outputs
 * (`response_format: json_schema`, from the zod schema) where the endpoint
 * supports them; the reply text is parsed either way, and an unusable reply
 * (not JSON, a score out of the scale, a missing dimension) is re-asked once
 * with the problem. A second unusable reply is recorded as `status: "failed"`
 * with the problem: a score is never guessed or defaulted.
 *
 * {@link judgeItems} is the library core (no artifact): the `judge` command,
 * the notebooks, the regression gate and re-judging call it. What is the
 * judge's own lives here (the prompt, reading replies, the heuristic judge,
 * the family check, injection flags); every request goes through the engine
 * (`lib/llm/engine.ts`: resume, cache, budget, batch, pool, progress).
 *
 * @module
 */
import { z } from "zod";
import type OpenAI from "openai";
import { usageError } from "../_errors.ts";
import { sha256 } from "../_hash.ts";
import type { Reporter } from "../reporter.ts";
import { type Judgment, type Message, Scores } from "../schemas.ts";
import type { DimensionSet } from "../dimensions.ts";
import type { BatchOptions } from "../llm/batch.ts";
import { cacheKey, type ResultCache } from "../llm/cache.ts";
import type { ChatClient, ChatClientOptions, ChatReply } from "../llm/client.ts";
import {
  addUsage,
  costUsd,
  DEFAULT_PRICES,
  estimateTokens,
  NO_USAGE,
  priceFor,
  type PriceMatch,
  type PriceTable,
} from "../llm/cost.ts";
import {
  type Ask,
  type EngineItem,
  type EngineRequest,
  type EngineStats,
  runRequests,
} from "../llm/engine.ts";
import type { Journal } from "../llm/journal.ts";
import { checkSelfJudging, type SelfJudgeCheck, type SelfJudgeOptions } from "./family.ts";
import {
  checkHeuristicSet,
  HEURISTIC_JUDGE,
  heuristicJudge,
  type HeuristicOptions,
  heuristicSha,
} from "./heuristic.ts";
import { detectInjection, INJECTION_FLAG } from "./injection.ts";
import {
  buildJudgeMessages,
  buildReask,
  itemContentHash,
  itemMessages,
  type JudgeItem,
  type JudgePrompt,
  loadPrompt,
} from "./prompt.ts";
import { DEFAULT_SCALE, parseJudgeReply, type ScoreScale } from "./reply.ts";

/**
 * What the judge must reply: a rationale, then the five scores.
 *
 * @example
 * ```ts
 * import { JudgeOutput } from "./judge.ts";
 * JudgeOutput.parse({ rationale: "states the fact",
 *   scores: { correctness: 4, relevance: 5, clarity: 4, calibration: 3, length: 5 } });
 * ```
 */
export const JudgeOutput = z.object({
  rationale: z.string(),
  scores: Scores,
});
/** What the judge must reply. */
export type JudgeOutput = z.infer<typeof JudgeOutput>;

/**
 * The `response_format` for a dimension set: a rationale and exactly the set's dimensions,
 * each an integer on its scale, in the strict JSON-schema shape of OpenAI's structured
 * outputs. Written out rather than made by `openai/helpers/zod` (whose import costs the
 * judge's start-up several ms); `tests/judge_format_test.ts` checks it equals that helper's
 * output byte for byte.
 *
 * @example
 * ```ts
 * import { judgeResponseFormat } from "./judge.ts";
 * const f = judgeResponseFormat({ dimensions: ["tone"], min: 1, max: 10 });
 * const scores = (f.json_schema.schema as any).properties.scores;
 * if (scores.properties.tone.maximum !== 10 || scores.required[0] !== "tone") throw new Error();
 * ```
 */
export function judgeResponseFormat(scale: ScoreScale): OpenAI.ResponseFormatJSONSchema {
  const score = { type: "integer", minimum: scale.min, maximum: scale.max };
  return {
    type: "json_schema",
    json_schema: {
      name: "judgment",
      strict: true,
      schema: {
        $schema: "http://json-schema.org/draft-07/schema#",
        type: "object",
        properties: {
          rationale: { type: "string" },
          scores: {
            type: "object",
            properties: Object.fromEntries(scale.dimensions.map((d) => [d, { ...score }])),
            required: [...scale.dimensions],
            additionalProperties: false,
          },
        },
        required: ["rationale", "scores"],
        additionalProperties: false,
      },
    },
  };
}

/** The `response_format` sent to endpoints that support structured outputs: the kit's five on 1–5. */
export const JUDGE_RESPONSE_FORMAT: OpenAI.ResponseFormatJSONSchema = judgeResponseFormat(
  DEFAULT_SCALE,
);

function toDimensionSet(scale: ScoreScale): DimensionSet {
  return { dimensions: scale.dimensions, scale: { min: scale.min, max: scale.max } };
}

/** The scale a reply must score: the option, else the prompt's rubric, else the five on 1–5. */
function scaleOf(options: JudgeOptions, prompt: JudgePrompt | undefined): ScoreScale {
  if (options.scale) return options.scale;
  if (!prompt) return DEFAULT_SCALE;
  const { dimensions, scale } = prompt.rubric;
  return { dimensions, min: scale.min, max: scale.max };
}

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
  /** The price table. @default the bundled lib/llm/prices.json */
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
  /** The dimensions and scale a reply must score. @default the five dimensions, 1–5 */
  scale?: ScoreScale;
}

/** Counts and costs of one judging call (the engine's, and the judge's own). */
export interface JudgeStats extends EngineStats {
  /** Judgments carrying `possible_injection`. */
  flagged: number;
  /** Judged by this call: requested now, or by the heuristic judge. */
  judged: number;
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

/** `possible_injection` when the response or a user turn looks like it instructs the judge. */
export function injectionFlags(item: JudgeItem, response: string): string[] {
  const texts = [
    response,
    ...itemMessages(item).filter((m) => m.role !== "system").map((m) => m.content),
  ];
  return texts.some((t) => detectInjection(t).suspicious) ? [INJECTION_FLAG] : [];
}

/** One judge request: the engine's, plus the item and its flags. */
interface JudgeRequest extends EngineRequest {
  flags: string[];
}

/** What every judgment of one call shares. */
interface JudgeContext {
  judge: string;
  heuristic: boolean;
  prompt: JudgePrompt | undefined;
  promptSha: string;
  promptName: string;
  temperature: number;
  seed: number | null;
  scale: ScoreScale;
  options: JudgeOptions;
}

/** The items by id, and each item's response. @throws {RangeError} Duplicate ids, unknown or repeated responses. */
function responsesByItem(
  items: readonly JudgeItem[],
  responses: readonly ResponseToJudge[],
): Map<string, ResponseToJudge> {
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
  return byItem;
}

/** The self-judging check, with its warnings. */
function selfJudgeCheck(
  judge: string,
  responses: readonly ResponseToJudge[],
  options: JudgeOptions,
): SelfJudgeCheck | null {
  if (judge === HEURISTIC_JUDGE) return null;
  const models = [...new Set(responses.map((r) => r.model).filter((m): m is string => !!m))];
  const check = checkSelfJudging(judge, models, options);
  if (check.self_judged) {
    options.reporter?.warn(
      `self-judging: "${judge}" judges ${check.judge_family} models; the run is flagged self_judged`,
    );
  } else if (check.unknown.length > 0) {
    options.reporter?.warn(
      `cannot tell the model family of ${
        check.unknown.map((m) => `"${m}"`).join(", ")
      }: pass --judge-family / --model-family to check for self-judging`,
    );
  }
  return check;
}

/** The price of the judge. @throws {RangeError} No price with a budget. */
function judgePrice(judge: string, options: JudgeOptions): PriceMatch | null {
  if (judge === HEURISTIC_JUDGE) {
    return { entry: HEURISTIC_JUDGE, price: { input: 0, output: 0 } };
  }
  const prices = options.prices ?? DEFAULT_PRICES;
  const price = priceFor(prices, judge) ?? null;
  if (!price && options.budgetUsd !== undefined) {
    throw usageError(
      `No price for judge model "${judge}" in the price table (as of ${prices.as_of}): ` +
        `pass --prices FILE with its price to use --budget-usd`,
    );
  }
  if (!price) {
    options.reporter?.warn(`no price for "${judge}" in the price table: cost is not counted`);
  }
  return price;
}

/** The prompt, its version and the fixed request fields of one call. */
async function judgeContext(options: JudgeOptions): Promise<JudgeContext> {
  const judge = options.judge;
  const heuristic = judge === HEURISTIC_JUDGE;
  const prompt = heuristic ? options.prompt : options.prompt ?? await loadPrompt();
  const scale = scaleOf(options, prompt);
  if (heuristic) checkHeuristicSet(toDimensionSet(scale), prompt?.path);
  return {
    judge,
    heuristic,
    prompt,
    promptSha: heuristic ? heuristicSha(options.heuristic) : prompt!.sha256,
    promptName: heuristic ? "heuristic" : prompt!.name,
    temperature: options.temperature ?? 0,
    seed: options.seed === undefined ? 0 : options.seed,
    scale,
    options,
  };
}

function judgment(
  ctx: JudgeContext,
  id: string,
  fields: Partial<Judgment> & Pick<Judgment, "status">,
  flags: readonly string[] = [],
): Judgment {
  return {
    item_id: id,
    judge_model: ctx.judge,
    prompt_sha256: ctx.promptSha,
    scores: null,
    rationale: "",
    usage: { ...NO_USAGE },
    ...fields,
    ...(flags.length ? { flags: [...flags] } : {}),
  } as Judgment;
}

/** One item as the engine sees it: settled offline (no response, the heuristic), or a request. */
function toEngineItem(
  ctx: JudgeContext,
  item: JudgeItem,
  response: string | null,
  price: PriceMatch | null,
): EngineItem<Judgment, JudgeRequest> {
  if (response === null) {
    return {
      id: item.id,
      settled: judgment(ctx, item.id, {
        status: "failed",
        error: "no response to judge for this item",
      }),
    };
  }
  const flags = injectionFlags(item, response);
  if (ctx.heuristic) {
    const h = heuristicJudge(item, response, ctx.options.heuristic);
    return {
      id: item.id,
      settled: judgment(ctx, item.id, {
        status: "ok",
        scores: h.scores,
        rationale: h.rationale,
      }, [...flags, ...h.flags]),
    };
  }
  const messages = buildJudgeMessages(ctx.prompt!, item, response);
  const promptTokens = estimateTokens(messages.map((m) => m.content).join("\n")) + 8;
  const completionTokens = ctx.options.estimatedCompletionTokens ?? 250;
  const prices = ctx.options.prices ?? DEFAULT_PRICES;
  return {
    id: item.id,
    messages,
    key: judgmentCacheKey(ctx.judge, ctx.promptSha, item, response, ctx.temperature, ctx.seed),
    estimatedTokens: promptTokens + completionTokens,
    estimateUsd: price
      ? costUsd({ prompt_tokens: promptTokens, completion_tokens: completionTokens }, price.price, {
        batch: !!ctx.options.batch,
        batchDiscount: prices.batch_discount,
      })
      : 0,
    flags,
  };
}

/** Why a reply cannot be read at all (a refusal, a content filter), else null. */
function unusable(reply: ChatReply): string | null {
  if (reply.refusal) {
    const r = reply.refusal;
    return `the judge refused: ${r.length > 80 ? r.slice(0, 77) + "..." : r}`;
  }
  if (reply.finishReason === "content_filter") {
    return "the reply was stopped by the endpoint's content filter";
  }
  return null;
}

/** Turn a reply into a judgment, re-asking once when it cannot be used. */
async function concludeJudgment(
  ctx: JudgeContext,
  p: JudgeRequest,
  first: ChatReply,
  ask: Ask,
): Promise<Judgment> {
  let reply = first;
  let usage = first.usage;
  let messages: Message[] = p.messages;
  for (let round = 0;; round++) {
    const problem = unusable(reply);
    const parsed = problem
      ? { ok: false as const, error: problem }
      : parseJudgeReply(reply.content, ctx.scale);
    if (parsed.ok) {
      return judgment(ctx, p.id, {
        status: "ok",
        scores: parsed.output.scores as Judgment["scores"],
        rationale: parsed.output.rationale,
        usage,
        ...(parsed.lenient ? { raw: reply.content } : {}),
      }, p.flags);
    }
    if (round >= 1 || problem) {
      const error = round >= 1
        ? `invalid judge reply after one re-ask: ${parsed.error}`
        : parsed.error;
      return judgment(ctx, p.id, { status: "failed", usage, error }, p.flags);
    }
    messages = [
      ...messages,
      { role: "assistant", content: reply.content },
      buildReask(ctx.prompt!, parsed.error),
    ];
    reply = await ask(messages, p.estimatedTokens + estimateTokens(reply.content) + 60);
    usage = addUsage(usage, reply.usage);
  }
}

/**
 * Judge responses to items on the five dimensions.
 *
 * @param items The items (eval items or regression cases, with optional `reference` and `expected_behavior`).
 * @param responses The responses, by `item_id`; an item without one gets a failed judgment.
 * @param options The judge, prompt, client, cache, journal, budget, batch.
 * @returns Judgments in item order, what is missing, and the run's counts and cost.
 * @throws {RangeError} A usage error: self-judging refused, no price with a budget.
 * @throws {EndpointError} The endpoint refused the run (a bad key, an unknown model, unreachable).
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
  const byItem = responsesByItem(items, responses);
  const selfJudge = selfJudgeCheck(options.judge, responses, options);
  const ctx = await judgeContext(options);
  const price = judgePrice(ctx.judge, options);
  const batch = options.batch === true ? {} : options.batch || undefined;
  const engineItems = items.map((i) =>
    toEngineItem(ctx, i, byItem.get(i.id)?.response ?? null, price)
  );
  const run = await runRequests(engineItems, {
    label: "judge",
    noun: "judgments",
    request: {
      model: ctx.judge,
      temperature: ctx.temperature,
      seed: ctx.seed,
      responseFormat: judgeResponseFormat(ctx.scale),
    },
    conclude: (p, reply, ask) => concludeJudgment(ctx, p, reply, ask),
    failure: (p, error) => judgment(ctx, p.id, { status: "failed", error }, p.flags),
    isOk: (j) => j.status === "ok",
    usageOf: (j) => j.usage,
    reuse: (hit, id) => ({ ...hit, item_id: id }),
    price,
    batchDiscount: (options.prices ?? DEFAULT_PRICES).batch_discount,
    budgetUsd: options.budgetUsd,
    client: options.client,
    clientOptions: options.clientOptions,
    cache: options.cache,
    journal: options.journal,
    batch: ctx.heuristic ? undefined : batch,
    reporter: options.reporter,
  });
  const judgments = [...run.results.values()];
  const offline = ctx.heuristic
    ? items.filter((i) =>
      !options.journal?.existing.has(i.id) && typeof byItem.get(i.id)?.response === "string"
    ).length
    : 0;
  return {
    judgments,
    missing: run.missing,
    complete: run.complete,
    prompt_sha256: ctx.promptSha,
    prompt_name: ctx.promptName,
    price,
    self_judge: selfJudge,
    stats: {
      ...run.stats,
      flagged: judgments.filter((j) => j.flags?.includes(INJECTION_FLAG)).length,
      judged: run.stats.requested + offline,
    },
  };
}
