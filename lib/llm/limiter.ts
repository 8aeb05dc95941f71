/**
 * Throughput control: an AIMD concurrency limiter (cut the number of requests
 * in flight multiplicatively on 429s, recover additively on successes) and
 * optional requests-per-minute and tokens-per-minute caps. Together they let a
 * run that hits a provider's rate limit settle just under it and finish,
 * instead of retrying in a storm.
 *
 * @module
 */

/** Options for {@link createAimdLimiter}. */
export interface AimdOptions {
  /** The most requests in flight (the `--concurrency`). */
  max: number;
  /** The fewest requests in flight the limit is cut to. @default 1 */
  min?: number;
  /** The factor a cut multiplies the limit by. @default 0.5 */
  decrease?: number;
  /** Requests the limit grows by per window without a cut. @default 1 */
  increase?: number;
  /**
   * The share of recent requests that may be 429s without a cut. Sporadic
   * 429s below it are retried, not taken as a rate limit; `0` cuts on any 429.
   * @default 0.1
   */
  tolerance?: number;
  /** The weight of each completion in the running share of 429s (an EWMA; about the last 100). @default 0.01 */
  alpha?: number;
}

/** A granted slot; give it back with {@link AimdLimiter.release}. */
export interface Ticket {
  readonly seq: number;
}

/** How a request that held a slot ended. */
export type Outcome = "ok" | "rate_limited" | "error";

/** An AIMD concurrency limiter. */
export interface AimdLimiter {
  /** Wait for a free slot (first come, first served). */
  acquire(): Promise<Ticket>;
  /** Give a slot back and adapt the limit to how its request ended. */
  release(ticket: Ticket, outcome: Outcome): void;
  /** The current limit (a float; `floor(limit)` requests may be in flight). */
  readonly limit: number;
  readonly inFlight: number;
  /** How many times 429s cut the limit. */
  readonly cuts: number;
  /** The lowest limit reached. */
  readonly lowest: number;
}

/**
 * An AIMD limiter. It keeps a running share of 429s among completed requests
 * (an EWMA); a 429 that lifts the share above `tolerance` cuts the limit by
 * `decrease`. 429s from requests already in flight at a cut are not counted,
 * so one burst of rejections is one cut. Each window of `floor(limit)`
 * completions without a cut adds `increase` (about one slot per round trip).
 *
 * @example
 * ```ts
 * import { createAimdLimiter } from "./limiter.ts";
 * const limiter = createAimdLimiter({ max: 8, tolerance: 0 });
 * const t = await limiter.acquire();
 * limiter.release(t, "rate_limited");
 * if (limiter.limit !== 4) throw new Error(String(limiter.limit));
 * ```
 */
export function createAimdLimiter(options: AimdOptions): AimdLimiter {
  const max = Math.max(1, options.max);
  const min = Math.min(max, Math.max(1, options.min ?? 1));
  const decrease = options.decrease ?? 0.5;
  const increase = options.increase ?? 1;
  const tolerance = options.tolerance ?? 0.1;
  const alpha = options.alpha ?? 0.01;
  let limit = max;
  let lowest = max;
  let inFlight = 0;
  let granted = 0;
  let cutAfter = 0;
  let cuts = 0;
  let share = 0;
  let windowDone = 0;
  const waiters: ((t: Ticket) => void)[] = [];

  const grant = (): Ticket => {
    inFlight++;
    return { seq: ++granted };
  };
  const pump = () => {
    while (waiters.length > 0 && inFlight < Math.floor(limit)) waiters.shift()!(grant());
  };
  return {
    acquire() {
      if (waiters.length === 0 && inFlight < Math.floor(limit)) return Promise.resolve(grant());
      return new Promise((resolve) => waiters.push(resolve));
    },
    release(ticket, outcome) {
      inFlight = Math.max(0, inFlight - 1);
      const limited = outcome === "rate_limited";
      if (!(limited && ticket.seq <= cutAfter)) {
        share += alpha * ((limited ? 1 : 0) - share);
        windowDone++;
        if (limited && share > tolerance) {
          limit = Math.max(min, limit * decrease);
          lowest = Math.min(lowest, limit);
          cutAfter = granted;
          cuts++;
          windowDone = 0;
        } else if (windowDone >= Math.max(1, Math.floor(limit))) {
          limit = Math.min(max, limit + increase);
          windowDone = 0;
        }
      }
      pump();
    },
    get limit() {
      return limit;
    },
    get inFlight() {
      return inFlight;
    },
    get cuts() {
      return cuts;
    },
    get lowest() {
      return lowest;
    },
  };
}

/** Options for {@link createRateGate}. */
export interface RateGateOptions {
  /** Requests per minute. @default no cap */
  rpm?: number;
  /** Tokens (prompt + completion, estimated before and settled after) per minute. @default no cap */
  tpm?: number;
  /** The clock in ms. @default performance.now */
  now?: () => number;
  /** Waits. @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
}

/** Requests-per-minute and tokens-per-minute caps. */
export interface RateGate {
  /** Wait until one request of about `tokens` tokens may start (first come, first served). */
  acquire(tokens: number): Promise<void>;
  /** Correct the token estimate once the real usage is known. */
  settle(estimated: number, actual: number): void;
}

/**
 * Token buckets for `rpm` and `tpm` that refill continuously and hold one
 * second's worth (at least one request), so requests are paced evenly rather
 * than sent in a burst at the top of each minute.
 *
 * @example
 * ```ts
 * import { createRateGate } from "./limiter.ts";
 * let t = 0;
 * const gate = createRateGate({ rpm: 60, now: () => t, sleep: async (ms) => { t += ms; } });
 * await gate.acquire(10);
 * await gate.acquire(10);
 * if (t < 999) throw new Error(`the second request waited ${t} ms`);
 * ```
 */
export function createRateGate(options: RateGateOptions): RateGate {
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const rpm = options.rpm && options.rpm > 0 ? options.rpm : undefined;
  const tpm = options.tpm && options.tpm > 0 ? options.tpm : undefined;
  const reqRate = rpm ? rpm / 60_000 : 0; // per ms
  const tokRate = tpm ? tpm / 60_000 : 0;
  const reqCap = rpm ? Math.max(1, rpm / 60) : 0;
  const tokCap = tpm ? Math.max(1, tpm / 60) : 0;
  let requests = reqCap;
  let tokens = tokCap;
  let last = now();
  let chain: Promise<void> = Promise.resolve();

  const refill = () => {
    const t = now();
    const dt = Math.max(0, t - last);
    last = t;
    if (rpm) requests = Math.min(reqCap, requests + dt * reqRate);
    if (tpm) tokens = Math.min(tokCap, tokens + dt * tokRate);
  };
  const take = async (n: number) => {
    for (;;) {
      refill();
      const needTokens = Math.min(n, tokCap);
      const reqOk = !rpm || requests >= 1;
      const tokOk = !tpm || tokens >= needTokens;
      if (reqOk && tokOk) {
        if (rpm) requests -= 1;
        if (tpm) tokens -= n;
        return;
      }
      const waitReq = reqOk ? 0 : (1 - requests) / reqRate;
      const waitTok = tokOk ? 0 : (needTokens - tokens) / tokRate;
      await sleep(Math.max(1, Math.ceil(Math.max(waitReq, waitTok))));
    }
  };
  return {
    acquire(n) {
      if (!rpm && !tpm) return Promise.resolve();
      const turn = chain.then(() => take(n));
      chain = turn.catch(() => {});
      return turn;
    },
    settle(estimated, actual) {
      if (tpm) tokens = Math.min(tokCap, tokens + estimated - actual);
    },
  };
}
