/**
 * Retries: which failures are worth another attempt (429, 408, 409, 5xx,
 * timeouts, dropped connections), how long to wait (the server's
 * `retry-after-ms` / `retry-after` when it sends one, else exponential backoff
 * with jitter), and a bounded number of attempts.
 *
 * @module
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import type { FailureReason } from "./failure.ts";

/** How a failed request should be handled. */
export type FailureKind =
  /** Worth retrying: rate limit, server error, timeout, dropped connection. */
  | "transient"
  /** This request will fail again (400, 413, 422): the item is recorded as failed. */
  | "permanent"
  /** Every request will fail (401, 403, 404: bad key, no access, unknown model): the run stops. */
  | "fatal";

/** What a failure is. */
export interface FailureInfo {
  kind: FailureKind;
  /** Why: connection refused, DNS, TLS, timeout, 401, 404, 400, 429, 5xx, … */
  reason: FailureReason;
  /** A 429: the limiter cuts concurrency. */
  rateLimited: boolean;
  /** The HTTP status, when there was a response. */
  status: number | null;
  /** How long the server asked us to wait, in ms. */
  retryAfterMs: number | null;
  /** What failed, in words (with the host once it left the client). */
  message: string;
  /** The endpoint's own message or the network error, redacted (set by the client). */
  detail?: string;
}

function causeText(error: unknown): string {
  const parts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e && depth < 6; depth++) {
    parts.push(e instanceof Error ? e.message : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(" <- ");
}

/** The innermost message of an error's cause chain (where fetch says what really happened). */
export function errorDetail(error: unknown): string {
  let e: unknown = error;
  let message = error instanceof Error ? error.message : String(error);
  for (let depth = 0; e instanceof Error && depth < 6; depth++) {
    if (e.message) message = e.message;
    e = e.cause;
  }
  return message.replace(/^error sending request for url \([^)]*\): /, "");
}

/**
 * The reason of a failed request, from the HTTP status or the network error's cause chain.
 *
 * @example
 * ```ts
 * import { failureReason } from "./retry.ts";
 * const refused = new TypeError("fetch failed", {
 *   cause: new Error("tcp connect error: Connection refused (os error 111)"),
 * });
 * if (failureReason(refused) !== "connection_refused") throw new Error();
 * ```
 */
export function failureReason(error: unknown, status: number | null = null): FailureReason {
  const code = status ?? (error instanceof APIError ? error.status ?? null : null);
  if (typeof code === "number") {
    if (code === 401) return "auth";
    if (code === 403) return "forbidden";
    if (code === 404) return "not_found";
    if (code === 429) return "rate_limit";
    if (code >= 500) return "server_error";
    if (code === 408) return "timeout";
    if (code >= 400) return "bad_request";
  }
  if (error instanceof APIConnectionTimeoutError) return "timeout";
  if (error instanceof Error && /^(AbortError|TimeoutError)$/.test(error.name)) return "timeout";
  const text = causeText(error);
  if (/connection refused|ECONNREFUSED/i.test(text)) return "connection_refused";
  if (
    /dns error|failed to lookup|name or service not known|ENOTFOUND|nodename nor servname/i.test(
      text,
    )
  ) {
    return "dns";
  }
  if (/certificate|\btls\b|\bssl\b|handshake|corrupt message|InvalidContentType/i.test(text)) {
    return "tls";
  }
  if (/timed out|timeout/i.test(text)) return "timeout";
  if (error instanceof SyntaxError) return "bad_reply";
  if (error instanceof APIConnectionError || error instanceof TypeError) return "connection";
  return "other";
}

/** Read `retry-after-ms` or `retry-after` (seconds, or an HTTP date) from response headers. */
export function retryAfterMs(
  headers: Headers | undefined | null,
  now: () => number = Date.now,
): number | null {
  if (!headers || typeof headers.get !== "function") return null;
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "" && Number.isFinite(Number(ms))) {
    return Math.max(0, Number(ms));
  }
  const value = headers.get("retry-after");
  if (value === null || value.trim() === "") return null;
  if (Number.isFinite(Number(value))) return Math.max(0, Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now());
}

/**
 * Classify a failed request.
 *
 * @example
 * ```ts
 * import { classifyFailure } from "./retry.ts";
 * if (classifyFailure(new TypeError("error reading a body from connection")).kind !== "transient") {
 *   throw new Error("a dropped connection is transient");
 * }
 * ```
 */
export function classifyFailure(error: unknown, now: () => number = Date.now): FailureInfo {
  const info = classifyKind(error, now);
  const reason = failureReason(error, info.status);
  const message = info.status === null ? errorDetail(error) : info.message;
  return { ...info, message, reason };
}

function classifyKind(
  error: unknown,
  now: () => number,
): Omit<FailureInfo, "reason"> {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof APIConnectionError) {
    return { kind: "transient", rateLimited: false, status: null, retryAfterMs: null, message };
  }
  if (error instanceof APIError && typeof error.status === "number") {
    const status = error.status;
    const after = retryAfterMs(error.headers as Headers | undefined, now);
    if (status === 429) {
      return { kind: "transient", rateLimited: true, status, retryAfterMs: after, message };
    }
    if (status === 408 || status === 409 || status === 425 || status >= 500) {
      return { kind: "transient", rateLimited: false, status, retryAfterMs: after, message };
    }
    if (status === 401 || status === 403 || status === 404) {
      return { kind: "fatal", rateLimited: false, status, retryAfterMs: null, message };
    }
    return { kind: "permanent", rateLimited: false, status, retryAfterMs: null, message };
  }
  // fetch failures (TypeError), an unparseable body (SyntaxError), timeouts and aborts.
  if (
    error instanceof TypeError || error instanceof SyntaxError ||
    (error instanceof Error && /^(AbortError|TimeoutError)$/.test(error.name))
  ) {
    return { kind: "transient", rateLimited: false, status: null, retryAfterMs: null, message };
  }
  return { kind: "permanent", rateLimited: false, status: null, retryAfterMs: null, message };
}

/** A request that failed for good: after its last attempt, or at once when not retryable. */
export class RequestFailedError extends Error {
  /** How it failed. */
  readonly kind: FailureKind;
  /** The HTTP status of the last attempt, if any. */
  readonly status: number | null;
  /** Attempts made. */
  readonly attempts: number;
  /** The failure as classified. */
  readonly info: FailureInfo;
  constructor(info: FailureInfo, attempts: number, cause?: unknown) {
    const tail = info.kind === "transient" ? ` (after ${attempts} attempts)` : "";
    const status = info.status && !info.message.includes(String(info.status))
      ? `HTTP ${info.status}: `
      : "";
    super(`${status}${info.message}${tail}`, cause === undefined ? undefined : { cause });
    this.name = "RequestFailedError";
    this.kind = info.kind;
    this.status = info.status;
    this.attempts = attempts;
    this.info = info;
  }
}

/** Options for {@link backoffDelay} and {@link withRetry}. */
export interface RetryOptions {
  /** Attempts in all, the first included. @default 6 */
  maxAttempts?: number;
  /** The first backoff step in ms. @default 500 */
  baseDelayMs?: number;
  /** The longest backoff in ms (a server's retry-after may ask for more, up to `maxRetryAfterMs`). @default 20000 */
  maxDelayMs?: number;
  /** The longest server-requested wait honoured, in ms. @default 120000 */
  maxRetryAfterMs?: number;
  /** Uniform [0, 1) numbers for jitter. @default Math.random */
  random?: () => number;
  /** Waits. @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** The clock, for HTTP-date retry-after values. @default Date.now */
  now?: () => number;
  /** Told about each retry before its wait. */
  onRetry?: (info: FailureInfo & { attempt: number; delayMs: number }) => void;
  /** Told about every failed attempt, the last included. */
  onFailure?: (info: FailureInfo) => void;
  /** Stop retrying a transient failure early (e.g. an endpoint that never answered refuses connections). */
  giveUp?: (info: FailureInfo, attempt: number) => FailureInfo | null;
}

/**
 * The wait before attempt `attempt + 1`: the server's retry-after plus up to
 * 10% jitter when given, else "equal jitter" exponential backoff
 * (half of `min(max, base × 2^(attempt−1))` plus a random share of the other half).
 *
 * @example
 * ```ts
 * import { backoffDelay } from "./retry.ts";
 * if (backoffDelay(1, null, { random: () => 0 }) !== 250) throw new Error();
 * if (backoffDelay(3, 2000, { random: () => 0 }) !== 2000) throw new Error();
 * ```
 */
export function backoffDelay(
  attempt: number,
  retryAfter: number | null,
  options: RetryOptions = {},
): number {
  const random = options.random ?? Math.random;
  if (retryAfter !== null) {
    const wait = Math.min(retryAfter, options.maxRetryAfterMs ?? 120_000);
    return Math.round(wait + random() * 0.1 * Math.max(wait, 50));
  }
  const cap = Math.min(
    options.maxDelayMs ?? 20_000,
    (options.baseDelayMs ?? 500) * 2 ** (attempt - 1),
  );
  return Math.round(cap / 2 + random() * (cap / 2));
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Call `fn` until it succeeds, a failure is not transient, or the attempts run out.
 *
 * @param fn The request; receives the attempt number (1-based).
 * @param options Attempts, backoff, jitter, clock.
 * @throws {RequestFailedError} Carrying the last failure's kind, status and the attempts made.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const max = Math.max(1, options.maxAttempts ?? 6);
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1;; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (error instanceof RequestFailedError) throw error;
      const classified = classifyFailure(error, options.now);
      options.onFailure?.(classified);
      const info = options.giveUp?.(classified, attempt) ?? classified;
      if (info.kind !== "transient" || attempt >= max) {
        throw new RequestFailedError(info, attempt, error);
      }
      const delayMs = backoffDelay(attempt, info.retryAfterMs, options);
      options.onRetry?.({ ...info, attempt, delayMs });
      await sleep(delayMs);
    }
  }
}
