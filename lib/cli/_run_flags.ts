/**
 * The run flags `generate`, `judge` and `regress` share (the endpoint,
 * throughput, retries, sampling, cost and cache), their parsing into library
 * options, and the lines and `--json` keys every model-calling command prints.
 *
 * @module
 */
import { usageError } from "../_errors.ts";
import type { Reporter } from "../reporter.ts";
import { type ChatClientOptions, resolveEndpoint } from "../llm/client.ts";
import { DEFAULT_PRICES, loadPrices, type PriceTable } from "../llm/cost.ts";
import type { EngineStats } from "../llm/engine.ts";
import { endpointHost } from "../llm/failure.ts";
import type { CommandContext, CommandResult, Flag } from "./_command.ts";

/** `--evalset DIR`: what generate and judge run over. */
export const EVALSET_FLAG: Flag = {
  type: "string",
  value: "DIR",
  description: "An eval-set artifact (or an eval-set JSONL file)",
};

/** Endpoint, throughput, retry, cost and cache flags. */
export const RUN_FLAGS: Record<string, Flag> = {
  "base-url": {
    type: "string",
    value: "URL",
    description:
      "OpenAI-compatible endpoint (default: $OPENAI_BASE_URL, else api.openai.com); the key is read from $OPENAI_API_KEY only",
  },
  concurrency: {
    type: "string",
    value: "C",
    description: "Most requests in flight; 429s cut it and successes restore it (AIMD)",
    default: "8",
  },
  rpm: { type: "string", value: "N", description: "Cap requests per minute" },
  tpm: {
    type: "string",
    value: "N",
    description: "Cap tokens per minute (estimated, then settled)",
  },
  "max-attempts": {
    type: "string",
    value: "N",
    description: "Attempts per request on 429, 5xx, timeouts and dropped connections",
    default: "6",
  },
  timeout: { type: "string", value: "S", description: "Seconds per request", default: "60" },
  temperature: { type: "string", value: "T", description: "Sampling temperature", default: "0" },
  seed: {
    type: "string",
    value: "N",
    description: 'Seed sent where the endpoint supports it ("none" to send none)',
    default: "0",
  },
  "budget-usd": {
    type: "string",
    value: "X",
    description: "Refuse (exit 1) when the estimate exceeds X; stop before spending passes X",
  },
  prices: {
    type: "string",
    value: "FILE",
    description: "Price table JSON (default: lib/llm/prices.json)",
  },
  cache: {
    type: "string",
    value: "DIR",
    description:
      "Cache root, DIR/judge and DIR/generate (default: $EVALKIT_CACHE_DIR, else $XDG_CACHE_HOME/evalkit, else ~/.cache/evalkit)",
  },
  "no-cache": { type: "boolean", description: "Neither read nor write the cache" },
};

/** What every run takes from the flags. */
export interface RunFlagOptions {
  clientOptions: ChatClientOptions;
  temperature: number;
  seed: number | null;
  prices: PriceTable;
  budgetUsd: number | undefined;
  cacheDir: string | undefined;
  noCache: boolean;
  out: string;
}

/** The run flags as library options. @throws {RangeError} A usage error naming a bad flag. */
export async function runOptionsFrom(ctx: CommandContext): Promise<RunFlagOptions> {
  return {
    clientOptions: clientOptionsFrom(ctx),
    temperature: numberFlag(ctx, "temperature", { min: 0 }) ?? 0,
    seed: seedFlag(ctx),
    prices: await pricesFrom(ctx),
    budgetUsd: numberFlag(ctx, "budget-usd", { min: 0 }),
    cacheDir: ctx.values.cache as string | undefined,
    noCache: ctx.values["no-cache"] === true,
    out: ctx.values.out as string,
  };
}

/**
 * Say which endpoint a side of a run uses and why, e.g.
 * `judge     → api.openai.com (default: no --judge-base-url, no OPENAI_BASE_URL)`.
 */
export function announceEndpoint(
  reporter: Reporter,
  side: string,
  flag: string,
  value: string | undefined,
): void {
  const e = resolveEndpoint(value);
  const why = e.source === "flag"
    ? `--${flag}`
    : e.source === "OPENAI_BASE_URL"
    ? `$OPENAI_BASE_URL; no --${flag}`
    : `default: no --${flag}, no $OPENAI_BASE_URL`;
  reporter.info(`${side.padEnd(9)} → ${endpointHost(e.endpoint)} (${why})`);
}

/** The lines every model-calling run prints after it: counts, requests, cache, cost. */
export function reportRunStats(
  reporter: Reporter,
  stats: EngineStats,
  words: { noun: string; done: string; now: number },
): void {
  reporter.info(
    `requests  ${stats.requests} (${stats.retries} retries, ${stats.rate_limited} rate-limited` +
      `${
        stats.lowest_concurrency !== null
          ? `; concurrency went down to ${stats.lowest_concurrency}`
          : ""
      })` +
      `; ${stats.cached} cached, ${stats.resumed} resumed, ${words.now} ${words.done} now`,
  );
  const failures = Object.entries(stats.failures);
  if (failures.length > 0) {
    reporter.info(
      `failures  ${failures.map(([k, n]) => `${n} × ${k.replaceAll("_", " ")}`).join(", ")}`,
    );
  }
  reporter.info(`cache     ${stats.cache_hits} hits, ${stats.cache_misses} misses`);
  reporter.info(
    `cost      ${usd(stats.cost_usd)} this run; ${usd(stats.cost_usd_total)} for all ${words.noun}`,
  );
}

/** The `--json` keys every model-calling run has. */
export function runSummary(stats: EngineStats): Record<string, unknown> {
  return {
    items: stats.items,
    ok: stats.ok,
    failed: stats.failed,
    missing: stats.missing,
    requests: stats.requests,
    retries: stats.retries,
    rate_limited: stats.rate_limited,
    failures: stats.failures,
    cached: stats.cached,
    resumed: stats.resumed,
    cache_hits: stats.cache_hits,
    cache_misses: stats.cache_misses,
    cost_usd: stats.cost_usd,
    cost_usd_total: stats.cost_usd_total,
    estimate_usd: stats.estimate_usd,
    budget_usd: stats.budget_usd,
    budget_stopped: stats.budget_stopped,
    endpoint: stats.endpoint,
  };
}

/** The closing line of a run: the artifact, the budget refusal, or what is unfinished. */
export function reportRunEnd(
  reporter: Reporter,
  result: {
    complete: boolean;
    reused: boolean;
    artifact: string;
    budget_refused: boolean;
    partial: string | null;
    stats: EngineStats;
  },
  missingWhat: string,
): void {
  const s = result.stats;
  if (result.complete) {
    reporter.info(`artifact  ${result.artifact}${result.reused ? " (identical, kept)" : ""}`);
  } else if (result.budget_refused) {
    reporter.info(
      `not started: estimated ${usd(s.estimate_usd)} exceeds --budget-usd ${s.budget_usd}`,
    );
  } else {
    reporter.info(
      `unfinished: ${s.missing} of ${s.items} items ${missingWhat}${
        result.partial ? `; journal ${result.partial}` : ""
      }; run the same command again to finish`,
    );
  }
}

/** A number flag's value. @throws {RangeError} A usage error naming the flag. */
export function numberFlag(
  ctx: CommandContext,
  name: string,
  check: { integer?: boolean; min?: number; positive?: boolean } = {},
): number | undefined {
  const raw = ctx.values[name];
  if (raw === undefined) return undefined;
  const v = Number(raw);
  const bad = typeof raw !== "string" || raw.trim() === "" || !Number.isFinite(v) ||
    (check.integer && !Number.isInteger(v)) || (check.min !== undefined && v < check.min) ||
    (check.positive && v <= 0);
  if (bad) {
    const what = check.integer
      ? check.positive ? "a positive integer" : "an integer"
      : check.positive
      ? "a positive number"
      : "a number";
    throw usageError(`Invalid --${name} "${raw}": expected ${what}`);
  }
  return v;
}

/** The seed flag: an integer, or null for "none". */
export function seedFlag(ctx: CommandContext): number | null {
  if (ctx.values.seed === "none") return null;
  return numberFlag(ctx, "seed", { integer: true }) ?? 0;
}

/** The client options the flags ask for. */
export function clientOptionsFrom(ctx: CommandContext): ChatClientOptions {
  const timeout = numberFlag(ctx, "timeout", { positive: true });
  return {
    baseURL: ctx.values["base-url"] as string | undefined,
    concurrency: numberFlag(ctx, "concurrency", { integer: true, positive: true }),
    rpm: numberFlag(ctx, "rpm", { positive: true }),
    tpm: numberFlag(ctx, "tpm", { positive: true }),
    maxAttempts: numberFlag(ctx, "max-attempts", { integer: true, positive: true }),
    timeoutMs: timeout === undefined ? undefined : timeout * 1000,
  };
}

/** The price table the flags name. */
export async function pricesFrom(ctx: CommandContext): Promise<PriceTable> {
  const file = ctx.values.prices as string | undefined;
  return file ? await loadPrices(file) : DEFAULT_PRICES;
}

/** `$0.0123`, or `unknown` for a null cost. */
export function usd(value: number | null): string {
  return value === null ? "unknown" : `$${value.toFixed(4)}`;
}

/** The families a self-judging check needs when model names do not say. */
export const FAMILY_FLAGS: Record<string, Flag> = {
  "judge-family": {
    type: "string",
    value: "F",
    description: "The judge's model family, when its name does not say",
  },
  "model-family": {
    type: "string",
    value: "F",
    description: "The judged model's family, when its name does not say",
  },
  "allow-self-judge": {
    type: "boolean",
    description:
      "Judge a model of the judge's own family anyway (flagged in the manifest and reports)",
  },
};

/** The family flags as library options. */
export function familyOptionsFrom(ctx: CommandContext) {
  return {
    judgeFamily: ctx.values["judge-family"] as string | undefined,
    modelFamily: ctx.values["model-family"] as string | undefined,
    allowSelfJudge: ctx.values["allow-self-judge"] === true,
  };
}

/** What a model-calling run gives back to its command. */
export interface RunOutcome {
  artifact: string;
  complete: boolean;
  reused: boolean;
  budget_refused: boolean;
  partial: string | null;
  stats: EngineStats;
}

/** How one model-calling command runs and words its output. */
export interface ModelCommand<R extends RunOutcome> {
  /** `model` or `judge`: the side whose endpoint is announced; null: offline. */
  side: string | null;
  /** Run it with the run flags' options. */
  run: (options: RunFlagOptions) => Promise<R>;
  /** The first line after a run, e.g. `judge     8 items with gpt-4o: 8 ok, …`. */
  headline: (result: R) => string;
  /** What results are called, the verb, and how many were made now. */
  noun: string;
  done: string;
  madeNow: (result: R) => number;
  /** How an item without a result is described, e.g. `not judged`. */
  missingWhat: string;
  /** The command's own `--json` keys. */
  summary: (result: R) => Record<string, unknown>;
}

/**
 * Run a model-calling command: the run flags, the endpoint line, the run, the
 * lines every such command prints, its `--json` summary, exit 1 when unfinished.
 */
export async function runModelCommand<R extends RunOutcome>(
  ctx: CommandContext,
  command: ModelCommand<R>,
): Promise<CommandResult> {
  const options = await runOptionsFrom(ctx);
  if (command.side) {
    announceEndpoint(ctx.reporter, command.side, "base-url", options.clientOptions.baseURL);
  }
  const result = await command.run(options);
  if (!result.reused) {
    ctx.reporter.info(command.headline(result));
    reportRunStats(ctx.reporter, result.stats, {
      noun: command.noun,
      done: command.done,
      now: command.madeNow(result),
    });
  }
  reportRunEnd(ctx.reporter, result, command.missingWhat);
  return {
    summary: {
      artifact: result.artifact,
      complete: result.complete,
      ...runSummary(result.stats),
      ...command.summary(result),
      reused: result.reused,
      partial: result.partial,
    },
    exitCode: result.complete ? 0 : 1,
  };
}
