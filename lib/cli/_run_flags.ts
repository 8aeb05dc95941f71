/**
 * Flags shared by `generate` and `judge`: the endpoint, throughput, retries,
 * cost and cache, and their parsing into library options.
 *
 * @module
 */
import { usageError } from "../_errors.ts";
import type { ChatClientOptions } from "../judge/client.ts";
import { DEFAULT_PRICES, loadPrices, type PriceTable } from "../judge/cost.ts";
import type { CommandContext, Flag } from "./_command.ts";

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
    description: "Price table JSON (default: lib/judge/prices.json)",
  },
  cache: {
    type: "string",
    value: "DIR",
    description: "Cache folder (default: <out>/.cache/<command>)",
  },
  "no-cache": { type: "boolean", description: "Neither read nor write the cache" },
};

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
