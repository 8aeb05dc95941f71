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
import { type AimdLimiter, createAimdLimiter, createRateGate, type RateGate } from "./limiter.ts";
import { type Limited, limitedBy } from "./_client.ts";
import { describeFailure, type FailureSummary, UNREACHABLE } from "./failure.ts";
import {
  errorDetail,
  type FailureInfo,
  failureReason,
  RequestFailedError,
  type RetryOptions,
  withRetry,
} from "./retry.ts";

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
  /** The endpoint. @default `OPENAI_BASE_URL`, else https://api.openai.com/v1 ({@link resolveEndpoint}) */
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
  /** Requests answered (any 2xx). */
  succeeded: number;
  /** Failed attempts by reason (retries included). */
  failures: FailureSummary;
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

/** Where an endpoint came from: a flag, `OPENAI_BASE_URL`, or the default. */
export type EndpointSource = "flag" | "OPENAI_BASE_URL" | "default";

/** An endpoint and why it is the one used. */
export interface ResolvedEndpoint {
  /** The URL as given. */
  url: string;
  /** Safe to print: no credentials, query or fragment. */
  endpoint: string;
  source: EndpointSource;
}

/**
 * The endpoint a client uses: `baseURL` (a flag), else `OPENAI_BASE_URL`, else OpenAI's.
 *
 * @example
 * ```ts
 * import { resolveEndpoint } from "./client.ts";
 * const e = resolveEndpoint(undefined, () => undefined);
 * if (e.source !== "default" || e.endpoint !== "https://api.openai.com/v1") throw new Error();
 * ```
 */
export function resolveEndpoint(
  baseURL: string | undefined,
  env: (name: string) => string | undefined = defaultEnv,
): ResolvedEndpoint {
  const fromEnv = env("OPENAI_BASE_URL") || undefined;
  const url = baseURL ?? fromEnv ?? OPENAI_BASE_URL;
  const source: EndpointSource = baseURL !== undefined
    ? "flag"
    : fromEnv !== undefined
    ? "OPENAI_BASE_URL"
    : "default";
  return { url, endpoint: safeEndpoint(url), source };
}

function isCapabilityError(error: unknown, word: RegExp): boolean {
  return error instanceof APIError && (error.status === 400 || error.status === 422) &&
    word.test(error.message);
}

/** The endpoint and key, checked. */
function endpointAndKey(options: ChatClientOptions): { baseURL: string; apiKey: string } {
  const env = options.env ?? defaultEnv;
  const { url: baseURL, endpoint, source } = resolveEndpoint(options.baseURL, env);
  try {
    new URL(baseURL);
  } catch {
    throw usageError(`Invalid base URL "${endpoint}": expected http(s)://host[:port]/v1`);
  }
  const apiKey = options.apiKey ?? env("OPENAI_API_KEY");
  if (apiKey) return { baseURL, apiKey };
  if (new URL(baseURL).hostname === "api.openai.com") {
    throw usageError(
      `OPENAI_API_KEY is not set for ${endpoint} (${
        source === "default" ? "the default endpoint" : source
      }): export it, or point the endpoint flag at a local server`,
    );
  }
  return { baseURL, apiKey: "no-key" };
}

/** The JSON body of one request, without what the endpoint turned out not to accept. */
function requestBody(
  request: ChatRequest,
  capabilities: Capabilities,
  structured: boolean,
): Record<string, unknown> {
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
  return body;
}

/** A completion as a {@link ChatReply}. */
function toReply(
  completion: OpenAI.ChatCompletion,
  latencyMs: number,
  structured: boolean,
): ChatReply {
  const choice = completion.choices?.[0];
  const u = completion.usage;
  const reported = u !== undefined && u !== null;
  const usage: Usage = reported
    ? {
      prompt_tokens: u!.prompt_tokens ?? 0,
      completion_tokens: u!.completion_tokens ?? 0,
      total_tokens: u!.total_tokens ?? (u!.prompt_tokens ?? 0) + (u!.completion_tokens ?? 0),
    }
    : { ...NO_USAGE };
  return {
    content: choice?.message?.content ?? "",
    refusal: (choice?.message as { refusal?: string | null } | undefined)?.refusal ?? null,
    finishReason: choice?.finish_reason ?? null,
    usage,
    usageReported: reported,
    latencyMs,
    structured,
  };
}

/**
 * Whether the endpoint rejected an optional parameter (json_schema, seed,
 * temperature); if so it is dropped for the rest of the run and the request is sent again.
 */
function dropUnsupported(
  error: unknown,
  body: Record<string, unknown>,
  capabilities: Capabilities,
  mode: StructuredMode | undefined,
): boolean {
  const original = error instanceof RequestFailedError ? error.cause : error;
  if (
    body.response_format !== undefined && mode !== "json_schema" &&
    isCapabilityError(original, /response_format|json_schema|structured|schema/i)
  ) {
    capabilities.jsonSchema = false;
    return true;
  }
  if (body.seed !== undefined && isCapabilityError(original, /\bseed\b/i)) {
    capabilities.seed = false;
    return true;
  }
  if (body.temperature !== undefined && isCapabilityError(original, /\btemperature\b/i)) {
    capabilities.temperature = false;
    return true;
  }
  return false;
}

/** The retry policy of a client: counts every failure; an endpoint that never answered and cannot be reached stops after 2 attempts. */
function retryPolicy(options: ChatClientOptions, stats: ClientStats): RetryOptions {
  return {
    ...options.retry,
    maxAttempts: options.maxAttempts ?? 6,
    onRetry: (info: FailureInfo) => {
      stats.retries++;
      if (info.rateLimited) stats.rateLimited++;
      else stats.transientErrors++;
    },
    onFailure: (info) => {
      stats.failures[info.reason] = (stats.failures[info.reason] ?? 0) + 1;
    },
    giveUp: (info, attempt) =>
      stats.succeeded === 0 && attempt >= 2 && UNREACHABLE.has(info.reason)
        ? { ...info, kind: "fatal" }
        : null,
  };
}

/**
 * A client for one endpoint.
 *
 * @throws {RangeError} A usage error when the endpoint is OpenAI's and no API key is set.
 *
 * @example
 * ```ts
 * import { createChatClient } from "./client.ts";
 * const client = createChatClient({ baseURL: "http://user:secret@127.0.0.1:9/v1", apiKey: "sk-test" });
 * if (client.endpoint.includes("secret") || client.redact("key sk-test") === "key sk-test") throw new Error();
 * ```
 */
export function createChatClient(options: ChatClientOptions = {}): ChatClient {
  const { baseURL, apiKey } = endpointAndKey(options);
  const endpoint = safeEndpoint(baseURL);
  const stats: ClientStats = {
    requests: 0,
    succeeded: 0,
    retries: 0,
    rateLimited: 0,
    transientErrors: 0,
    usageMissing: 0,
    failures: {},
  };
  const capabilities: Capabilities = {
    jsonSchema: options.structured !== "text",
    seed: true,
    temperature: true,
  };
  const baseFetch = options.fetch ?? globalThis.fetch;
  const openai = new OpenAI({
    apiKey,
    baseURL,
    maxRetries: 0,
    timeout: options.timeoutMs ?? 60_000,
    fetch: (input, init) => {
      stats.requests++;
      return baseFetch(input, init);
    },
  });
  const limiter = createAimdLimiter({ max: Math.max(1, options.concurrency ?? 8) });
  const gate = createRateGate({ rpm: options.rpm, tpm: options.tpm });
  const retryOptions = retryPolicy(options, stats);
  const redact = (text: string) => redactSecret(text, apiKey);
  const limited = limitedBy(gate, limiter, stats);

  async function call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await withRetry(() => limited(fn, 0), retryOptions);
    } catch (error) {
      throw sanitize(error, redact, endpoint);
    }
  }
  const complete = completer({
    openai,
    limited,
    retryOptions,
    capabilities,
    stats,
    gate,
    mode: options.structured,
    leave: (error) => sanitize(error, redact, endpoint),
  });
  return { complete, call, openai, stats, capabilities, limiter, endpoint, redact };
}

/** What {@link completer} sends requests through. */
interface CompleterParts {
  openai: OpenAI;
  limited: Limited;
  retryOptions: RetryOptions;
  /** Learned as the endpoint rejects optional parameters. */
  capabilities: Capabilities;
  stats: ClientStats;
  gate: RateGate;
  mode: StructuredMode | undefined;
  /** The error that leaves the client ({@link sanitize}). */
  leave: (error: unknown) => RequestFailedError;
}

/**
 * A client's `complete`: send the request (retried, limited), asking again without
 * a parameter the endpoint rejects ({@link dropUnsupported}); count replies without
 * usage and settle the token estimate with the real usage.
 */
function completer(parts: CompleterParts): (request: ChatRequest) => Promise<ChatReply> {
  const { openai, limited, capabilities, stats, gate } = parts;
  return async (request) => {
    const estimated = request.estimatedTokens ?? 0;
    for (;;) {
      const structured = request.responseFormat !== undefined && capabilities.jsonSchema;
      const body = requestBody(request, capabilities, structured);
      let started = 0;
      try {
        const completion = await withRetry(
          () =>
            limited(() => {
              started = performance.now();
              return openai.chat.completions.create(
                body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming,
              );
            }, estimated),
          parts.retryOptions,
        );
        const reply = toReply(completion, Math.round(performance.now() - started), structured);
        if (!reply.usageReported) stats.usageMissing++;
        gate.settle(estimated, reply.usage.prompt_tokens + reply.usage.completion_tokens);
        return reply;
      } catch (error) {
        if (dropUnsupported(error, body, capabilities, parts.mode)) continue;
        throw parts.leave(error);
      }
    }
  };
}

/**
 * The error that leaves the client: a {@link RequestFailedError} whose message
 * says what failed and where (redacted), and which keeps no reference to the
 * SDK error (or its request).
 */
function sanitize(
  error: unknown,
  redact: (t: string) => string,
  endpoint: string,
): RequestFailedError {
  const info = error instanceof RequestFailedError ? error.info : {
    kind: "permanent" as const,
    reason: failureReason(error),
    rateLimited: false,
    status: null,
    retryAfterMs: null,
    message: errorDetail(error),
  };
  const detail = redact(info.message);
  return new RequestFailedError(
    {
      ...info,
      message: describeFailure(info.reason, endpoint, detail, info.status),
      detail,
    },
    error instanceof RequestFailedError ? error.attempts : 1,
  );
}
