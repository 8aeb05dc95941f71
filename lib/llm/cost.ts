/**
 * Cost: reported token usage × a dated price table (`prices.json`, or the
 * user's own with `--prices FILE`), and the token estimates `--budget-usd`
 * checks before a run starts.
 *
 * @module
 */
import { z } from "zod";
import { inputError, zodIssues } from "../_errors.ts";
import { IsoDate, type Usage } from "../schemas.ts";
import bundled from "./prices.json" with { type: "json" };

/** One model's price in USD per million tokens. */
export const ModelPrice = z.object({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
}).strict();
/** One model's price. */
export type ModelPrice = z.infer<typeof ModelPrice>;

/**
 * A dated price table.
 *
 * @example
 * ```ts
 * import { DEFAULT_PRICES, PriceTable } from "./cost.ts";
 * PriceTable.parse(DEFAULT_PRICES);
 * if (PriceTable.safeParse({ ...DEFAULT_PRICES, currency: "EUR" }).success) throw new Error();
 * ```
 */
export const PriceTable = z.object({
  as_of: IsoDate,
  currency: z.literal("USD"),
  unit: z.literal("per_1m_tokens"),
  /** The share taken off Batch API requests (0.5 = half price). */
  batch_discount: z.number().min(0).max(1).default(0.5),
  note: z.string().optional(),
  models: z.record(z.string().min(1), ModelPrice),
});
/** A dated price table. */
export type PriceTable = z.infer<typeof PriceTable>;

/**
 * The bundled price table (`lib/llm/prices.json`).
 *
 * @example
 * ```ts
 * import { DEFAULT_PRICES } from "./cost.ts";
 * if (DEFAULT_PRICES.currency !== "USD") throw new Error();
 * ```
 */
export const DEFAULT_PRICES: PriceTable = PriceTable.parse(bundled);

/**
 * Read and validate a price table file.
 *
 * @param path A JSON price table.
 * @throws {TypeError} or {SyntaxError} naming the file and the field at fault.
 *
 * @example
 * ```ts
 * import { DEFAULT_PRICES, loadPrices } from "./cost.ts";
 * const file = await Deno.makeTempFile({ suffix: ".json" });
 * await Deno.writeTextFile(file, JSON.stringify(DEFAULT_PRICES));
 * if ((await loadPrices(file)).as_of !== DEFAULT_PRICES.as_of) throw new Error();
 * await Deno.remove(file);
 * ```
 */
export async function loadPrices(path: string): Promise<PriceTable> {
  let value: unknown;
  try {
    value = JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    const notFound = e instanceof Deno.errors.NotFound;
    throw inputError([{
      file: path,
      line: 0,
      problem: notFound ? "no such file" : `malformed JSON: ${(e as Error).message}`,
      kind: notFound ? "type" : "syntax",
    }]);
  }
  const parsed = PriceTable.safeParse(value);
  if (!parsed.success) throw inputError(zodIssues(parsed.error, value, path, 0));
  return parsed.data;
}

/** A model's price and the table entry it came from. */
export interface PriceMatch {
  /** The table entry used, e.g. `gpt-4o` for `gpt-4o-2024-08-06`. */
  entry: string;
  price: ModelPrice;
}

/**
 * A model's price: the exact entry, else the entry for the name without a
 * provider path and a dated snapshot suffix (`-2024-08-06`, `-20250514`,
 * `-latest`), else the longest entry the name starts with (`entry-…`).
 *
 * @returns The match, or `undefined` when the table has no price for it.
 *
 * @example
 * ```ts
 * import { DEFAULT_PRICES, priceFor } from "./cost.ts";
 * if (priceFor(DEFAULT_PRICES, "gpt-4o-2024-08-06")?.entry !== "gpt-4o") throw new Error();
 * if (priceFor(DEFAULT_PRICES, "my-local-model") !== undefined) throw new Error();
 * ```
 */
export function priceFor(table: PriceTable, model: string): PriceMatch | undefined {
  const models = table.models;
  const hit = (entry: string) =>
    Object.hasOwn(models, entry) ? { entry, price: models[entry] } : undefined;
  const exact = hit(model);
  if (exact) return exact;
  const base = model.split("/").pop()!.toLowerCase()
    .replace(/-(\d{4}-\d{2}-\d{2}|\d{8}|\d{4}|latest|preview)$/, "");
  const stripped = hit(base);
  if (stripped) return stripped;
  const prefix = Object.keys(models)
    .filter((k) => base.startsWith(k.toLowerCase() + "-"))
    .sort((a, b) => b.length - a.length)[0];
  return prefix === undefined ? undefined : hit(prefix);
}

/** Options for {@link costUsd}. */
export interface CostOptions {
  /** Batch API pricing (the table's `batch_discount` off). @default false */
  batch?: boolean;
  /** The batch discount. @default 0.5 */
  batchDiscount?: number;
}

/**
 * The cost in USD of one request's usage.
 *
 * @example
 * ```ts
 * import { costUsd } from "./cost.ts";
 * const c = costUsd({ prompt_tokens: 1_000_000, completion_tokens: 0 }, { input: 2.5, output: 10 });
 * if (c !== 2.5) throw new Error(String(c));
 * ```
 */
export function costUsd(usage: Usage, price: ModelPrice, options: CostOptions = {}): number {
  const factor = options.batch ? 1 - (options.batchDiscount ?? 0.5) : 1;
  return ((usage.prompt_tokens * price.input + usage.completion_tokens * price.output) / 1e6) *
    factor;
}

/** A rough token count for text: one token per four characters, rounded up. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Round a USD amount to micro-dollars, so sums print and compare cleanly. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}

/** The sum of usages. */
export function addUsage(a: Usage, b: Usage): Usage {
  const prompt = a.prompt_tokens + b.prompt_tokens;
  const completion = a.completion_tokens + b.completion_tokens;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  };
}

/** Zero usage. */
export const NO_USAGE: Usage = Object.freeze({
  prompt_tokens: 0,
  completion_tokens: 0,
  total_tokens: 0,
}) as Usage;

/**
 * The up-front budget check shared by `judge` and `generate`: the warning to give
 * when the estimated cost of the pending requests exceeds the budget, else null.
 *
 * @param estimate The estimated cost in USD (null when no price is known: never refused).
 * @param budgetUsd The budget (`--budget-usd`); undefined: no budget.
 * @param count How many requests are pending.
 * @param noun What they produce, e.g. `"judgments"`.
 *
 * @example
 * ```ts
 * import { budgetRefusal } from "./cost.ts";
 * if (budgetRefusal(0.2, 0.1, 10, "judgments") === null) throw new Error("expected a refusal");
 * if (budgetRefusal(0.05, 0.1, 10, "judgments") !== null) throw new Error("within budget");
 * ```
 */
export function budgetRefusal(
  estimate: number | null,
  budgetUsd: number | undefined,
  count: number,
  noun: string,
): string | null {
  if (budgetUsd === undefined || estimate === null || estimate <= budgetUsd) return null;
  return `estimated cost $${estimate.toFixed(4)} for ${count} ${noun} exceeds ` +
    `--budget-usd ${budgetUsd}: not started`;
}
