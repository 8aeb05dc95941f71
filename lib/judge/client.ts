/**
 * One chat-completions client for the judge and for `generate`: any
 * OpenAI-compatible endpoint through npm:openai, with our own retries (the
 * SDK's are off so every attempt is seen), the AIMD limiter, optional rpm/tpm
 * caps, request counting at the HTTP layer, and endpoint capabilities learned
 * on the way (an endpoint that rejects `response_format: json_schema`, `seed`
 * or `temperature` is asked again without it, once, for the rest of the run).
 *
 * The API key comes from the caller or `OPENAI_API_KEY`; it is only ever put
 * in the Authorization header, and {@link ChatClient.redact} strips it (and
 * anything shaped like a key) from every error message that leaves here.
 *
 * @module
 */
import OpenAI from "openai";
import { APIError } from "openai";
import { usageError } from "../_errors.ts";
import type { Message, Usage } from "../schemas.ts";
import { NO_USAGE } from "./cost.ts";
import { type AimdLimiter, createAimdLimiter, createRateGate } from "./limiter.ts";
import { type FailureInfo, RequestFailedError, type RetryOptions, withRetry } from "./retry.ts";

/** The official endpoint, used when neither `baseURL` nor `OPENAI_BASE_URL` is set. */
export const OPENAI_BASE_URL = "https://api.openai.com/v1";

/** How the judge asks for JSON. */
export type StructuredMode =
  /** `json_schema` until the endpoint rejects it, then text. */
  | "auto"
  /** Always `response_format: json_schema` (structured outputs). */
  | "json_schema"
  /** Never send `response_format`; parse the reply text. */
  | "text";

/** Options for {@link createChatClient}. */
export interface ChatClientOptions {
  /** The endpoint. @default `OPENAI_BASE_URL`, else https://api.openai.com/v1 */
  baseURL?: string;
  /** The API key. @default `OPENAI_API_KEY` (a placeholder for a non-OpenAI endpoint without one) */
  apiKey?: string;
  /** Per-request timeout in ms. @default 60000 */
  timeoutMs?: number;
  /** The most requests in flight; 429s cut it (AIMD). @default 8 */
  concurrency?: number;
  /** Requests-per-minute cap. @default none */
  rpm?: number;
  /** Tokens-per-minute cap. @default none */
  tpm?: number;
  /** Attempts per request, the first included. @default 6 */
  maxAttempts?: number;
  /** Backoff settings (jitter source, sleep, clock) for tests. */
  retry?: Omit<RetryOptions, "maxAttempts" | "onRetry">;
  /** How to ask for JSON. @default "auto" */
  structured?: StructuredMode;
  /** The fetch to use (counted either way). @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Environment lookup. @default Deno.env.get (undefined without env permission) */
  env?: (name: string) => string | undefined;
}

/** One chat-completion request. */
export interface ChatRequest {
  model: string;
  messages: readonly Message[];
  /** @default 0 */
  temperature?: number;
  /** Sent while the endpoint accepts it. @default none */
  seed?: number | null;
  /** `max_tokens`. @default none */
  maxTokens?: number;
  /** A `json_schema` response format (from `zodResponseFormat`), sent while the endpoint accepts it. */
  responseFormat?: OpenAI.ResponseFormatJSONSchema;
  /** The request's estimated tokens, for the tpm cap. @default 0 */
  estimatedTokens?: number;
}

/** One chat-completion reply. */
export interface ChatReply {
  content: string;
  /** The model's refusal text, when it refused. */
  refusal: string | null;
  finishReason: string | null;
  usage: Usage;
  /** Whether usage was reported (cost is undercounted when not). */
  usageReported: boolean;
  /** Milliseconds of the attempt that succeeded. */
  latencyMs: number;
  /** Whether the reply was produced under `response_format: json_schema`. */
  structured: boolean;
}

/** Counters of one client. */
export interface ClientStats {
  /** HTTP requests made, retries and re-asks included. */
  requests: number;
  /** Retries after transient failures. */
  retries: number;
  /** 429 responses. */
  rateLimited: number;
  /** Other transient failures (5xx, timeouts, dropped connections). */
  transientErrors: number;
  /** Replies without usage. */
  usageMissing: number;
}

/** What the client learned the endpoint accepts. */
export interface Capabilities {
  jsonSchema: boolean;
  seed: boolean;
  temperature: boolean;
}

/** A chat-completions client with retries, limits and counters. */
export interface ChatClient {
  /** Send one request (retrying transient failures). @throws {RequestFailedError} */
  complete(request: ChatRequest): Promise<ChatReply>;
  /** The SDK client (files and batches use it directly). */
  readonly openai: OpenAI;
  readonly stats: Readonly<ClientStats>;
  readonly capabilities: Readonly<Capabilities>;
  readonly limiter: AimdLimiter;
  /** The endpoint without credentials, query or fragment: safe to log and record. */
  readonly endpoint: string;
  /** Remove the API key (and key-shaped tokens) from a text. */
  redact(text: string): string;
  /** Run `fn` under the client's retry policy and limiter (for files and batches calls). */
  call<T>(fn: () => Promise<T>): Promise<T>;
}

function defaultEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

/** An endpoint URL without userinfo, query or fragment. */
export function safeEndpoint(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    u.search = "";
    u.hash = "";
    return u.toString().replace(/\/$/, "");
  } catch {
    return "(invalid URL)";
  }
}

const KEYISH = /\b(sk|pk|rk|key|token)[-_][A-Za-z0-9*_\-]{8,}/g;

/** Remove `secret` and key-shaped tokens (`sk-…`) from a text. */
export function redactSecret(text: string, secret: string | undefined): string {
  let out = text;
  if (secret && secret.length >= 4) out = out.split(secret).join("[redacted]");
  return out.replace(KEYISH, "[redacted]");
}

function isCapabilityError(error: unknown, word: RegExp): boolean {
  return error instanceof APIError && (error.status === 400 || error.status === 422) &&
    word.test(error.message);
}

/**
 * A client for one endpoint.
 *
 * @throws {RangeError} A usage error when the endpoint is OpenAI's and no API key is set.
 */
export function createChatClient(options: ChatClientOptions = {}): ChatClient {
  const env = options.env ?? defaultEnv;
  const baseURL = options.baseURL ?? env("OPENAI_BASE_URL") ?? OPENAI_BASE_URL;
  try {
    new URL(baseURL);
  } catch {
    throw usageError(
      `Invalid base URL "${safeEndpoint(baseURL)}": expected http(s)://host[:port]/v1`,
    );
  }
  let apiKey = options.apiKey ?? env("OPENAI_API_KEY");
  if (!apiKey) {
    if (new URL(baseURL).hostname === "api.openai.com") {
      throw usageError(
        "OPENAI_API_KEY is not set: export it, or point --base-url at a local endpoint",
      );
    }
    apiKey = "no-key";
  }
  const secret = apiKey;
  const stats: ClientStats = {
    requests: 0,
    retries: 0,
    rateLimited: 0,
    transientErrors: 0,
    usageMissing: 0,
  };
  const capabilities: Capabilities = {
    jsonSchema: options.structured !== "text",
    seed: true,
    temperature: true,
  };
  const baseFetch = options.fetch ?? globalThis.fetch;
  const countingFetch: typeof fetch = (input, init) => {
    stats.requests++;
    return baseFetch(input, init);
  };
  const openai = new OpenAI({
    apiKey,
    baseURL,
    maxRetries: 0,
    timeout: options.timeoutMs ?? 60_000,
    fetch: countingFetch,
  });
  const limiter = createAimdLimiter({ max: Math.max(1, options.concurrency ?? 8) });
  const gate = createRateGate({ rpm: options.rpm, tpm: options.tpm });
  const retryOptions: RetryOptions = {
    ...options.retry,
    maxAttempts: options.maxAttempts ?? 6,
    onRetry: (info: FailureInfo) => {
      stats.retries++;
      if (info.rateLimited) stats.rateLimited++;
      else stats.transientErrors++;
    },
  };
  const redact = (text: string) => redactSecret(text, secret);

  async function limited<T>(fn: () => Promise<T>, tokens: number): Promise<T> {
    await gate.acquire(tokens);
    const ticket = await limiter.acquire();
    try {
      const value = await fn();
      limiter.release(ticket, "ok");
      return value;
    } catch (error) {
      const rateLimited = error instanceof APIError && error.status === 429;
      limiter.release(ticket, rateLimited ? "rate_limited" : "error");
      throw error;
    }
  }

  async function call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await withRetry(() => limited(fn, 0), retryOptions);
    } catch (error) {
      throw sanitize(error, redact);
    }
  }

  async function complete(request: ChatRequest): Promise<ChatReply> {
    const estimated = request.estimatedTokens ?? 0;
    for (;;) {
      const structured = request.responseFormat !== undefined &&
        capabilities.jsonSchema;
      const body: Record<string, unknown> = {
        model: request.model,
        messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
      };
      if (capabilities.temperature) body.temperature = request.temperature ?? 0;
      if (capabilities.seed && request.seed !== undefined && request.seed !== null) {
        body.seed = request.seed;
      }
      if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
      if (structured) body.response_format = request.responseFormat;
      let started = 0;
      try {
        const completion = await withRetry(
          () =>
            limited(async () => {
              started = performance.now();
              return await openai.chat.completions.create(
                body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming,
              );
            }, estimated),
          retryOptions,
        );
        const latencyMs = Math.round(performance.now() - started);
        const choice = completion.choices?.[0];
        const reported = completion.usage !== undefined && completion.usage !== null;
        if (!reported) stats.usageMissing++;
        const usage: Usage = reported
          ? {
            prompt_tokens: completion.usage!.prompt_tokens ?? 0,
            completion_tokens: completion.usage!.completion_tokens ?? 0,
            total_tokens: completion.usage!.total_tokens ??
              (completion.usage!.prompt_tokens ?? 0) + (completion.usage!.completion_tokens ?? 0),
          }
          : { ...NO_USAGE };
        gate.settle(estimated, usage.prompt_tokens + usage.completion_tokens);
        return {
          content: choice?.message?.content ?? "",
          refusal: (choice?.message as { refusal?: string | null } | undefined)?.refusal ?? null,
          finishReason: choice?.finish_reason ?? null,
          usage,
          usageReported: reported,
          latencyMs,
          structured,
        };
      } catch (error) {
        const original = error instanceof RequestFailedError ? error.cause : error;
        // The endpoint rejected an optional parameter: drop it for the rest of the run.
        if (
          structured && options.structured !== "json_schema" &&
          isCapabilityError(original, /response_format|json_schema|structured|schema/i)
        ) {
          capabilities.jsonSchema = false;
          continue;
        }
        if (body.seed !== undefined && isCapabilityError(original, /\bseed\b/i)) {
          capabilities.seed = false;
          continue;
        }
        if (body.temperature !== undefined && isCapabilityError(original, /\btemperature\b/i)) {
          capabilities.temperature = false;
          continue;
        }
        throw sanitize(error, redact);
      }
    }
  }

  return {
    complete,
    call,
    openai,
    stats,
    capabilities,
    limiter,
    endpoint: safeEndpoint(baseURL),
    redact,
  };
}

/**
 * The error that leaves the client: a {@link RequestFailedError} whose message
 * is redacted and which keeps no reference to the SDK error (or its request).
 */
function sanitize(error: unknown, redact: (t: string) => string): RequestFailedError {
  if (error instanceof RequestFailedError) {
    return new RequestFailedError(
      { ...error.info, message: redact(error.info.message) },
      error.attempts,
    );
  }
  const message = redact(error instanceof Error ? error.message : String(error));
  return new RequestFailedError(
    { kind: "permanent", rateLimited: false, status: null, retryAfterMs: null, message },
    1,
  );
}
