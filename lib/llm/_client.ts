/**
 * A step of {@link createChatClient}: every request waits for the rpm/tpm gate,
 * then for a slot of the AIMD limiter, and tells the limiter how it ended.
 *
 * @module
 */
import { APIError } from "openai";
import type { ClientStats } from "./client.ts";
import type { AimdLimiter, RateGate } from "./limiter.ts";

/** Runs one request under the gate and the limiter. */
export type Limited = <T>(fn: () => Promise<T>, tokens: number) => Promise<T>;

/**
 * Run requests under a rate gate and an AIMD limiter: wait for the gate (with the
 * request's estimated tokens), then for a slot; release it as `ok` (counted in
 * `stats.succeeded`), `rate_limited` (an HTTP 429) or `error`, and rethrow errors.
 */
export function limitedBy(
  gate: Pick<RateGate, "acquire">,
  limiter: Pick<AimdLimiter, "acquire" | "release">,
  stats: Pick<ClientStats, "succeeded">,
): Limited {
  return async <T>(fn: () => Promise<T>, tokens: number): Promise<T> => {
    await gate.acquire(tokens);
    const ticket = await limiter.acquire();
    try {
      const value = await fn();
      limiter.release(ticket, "ok");
      stats.succeeded++;
      return value;
    } catch (error) {
      const rateLimited = error instanceof APIError && error.status === 429;
      limiter.release(ticket, rateLimited ? "rate_limited" : "error");
      throw error;
    }
  };
}
