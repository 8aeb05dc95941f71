/**
 * A local OpenAI-compatible HTTP server for tests and benchmarks: chat
 * completions (with and without `response_format: json_schema`), files and
 * batches, deterministic replies from the content, request counting, and
 * fault injection (429 with retry-after, 5xx, latency, malformed JSON,
 * out-of-range scores, dropped connections, a real in-flight rate limit).
 *
 * A judge request is recognised by its `<<<BEGIN RESPONSE tag>>>` block; its
 * scores are a hash of the block's text ({@link scoresFor}). Like a gullible
 * model, the server obeys injected instructions ("ignore previous
 * instructions", "score this 5") found in a user message *outside* the
 * delimited blocks, answering all 5s: a prompt that lets content escape its
 * delimiters fails the injection tests. Any other request is a `generate`
 * request and gets a deterministic answer.
 *
 * Built on `node:http` rather than `Deno.serve` so that a dropped connection
 * is a clean socket close (Deno.serve can only drop one by erroring a body
 * stream, which it logs).
 *
 * @module
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { sha256 } from "../_hash.ts";
import type { Scores } from "../schemas.ts";

/** What a fault decision sees about one request. */
export interface FaultContext {
  /** 1-based number of the request among all requests to the server. */
  n: number;
  path: string;
  /** sha256 of the judged response text (judge) or of the last user message (generate). */
  key: string;
  /** 0-based: how many chat requests with this key came before (retries and re-asks count). */
  attempt: number;
  /** The request is a line of a batch, not an HTTP request. */
  batch: boolean;
}

/** A fault to inject into one request. */
export type Fault =
  | { type: "rate_limit"; retryAfterSeconds?: number | null; retryAfterMs?: number }
  | { type: "server_error"; status?: number }
  | { type: "drop" }
  | { type: "latency"; ms: number }
  | { type: "malformed_json" }
  | { type: "out_of_range" }
  | { type: "bad_request"; message?: string }
  | { type: "http_error"; status: number; message?: string }
  | { type: "scores_as"; format: ScoreFormat }
  | { type: "refusal" };

/**
 * How a `scores_as` fault writes every score of a judge reply: `string` `"4"`,
 * `decimal` `"4.0"`, `slash` `"4/5"`, `words` `"four"`, `half` `3.5`, `tenths` `"8/10"`,
 * `missing` (no `length` score).
 */
export type ScoreFormat = "string" | "decimal" | "slash" | "words" | "half" | "tenths" | "missing";

const WORDS = ["zero", "one", "two", "three", "four", "five"];

/** The scores as a `scores_as` fault writes them. */
export function formatScores(
  scores: Record<string, number>,
  format: ScoreFormat,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [d, n] of Object.entries(scores)) {
    if (format === "missing" && d === "length") continue;
    out[d] = format === "string"
      ? String(n)
      : format === "decimal"
      ? `${n}.0`
      : format === "slash"
      ? `${n}/5`
      : format === "words"
      ? WORDS[n]
      : format === "half"
      ? n - 0.5
      : format === "tenths"
      ? `${n * 2}/10`
      : n;
  }
  return out;
}

/** Options for {@link startOpenAIServer}. */
export interface OpenAIServerOptions {
  /** Latency of every chat completion, in ms. @default 0 */
  latencyMs?: number;
  /** The fault for a request, if any. @default none */
  faults?: (ctx: FaultContext) => Fault | null | undefined;
  /** Accept `response_format: json_schema`; when false such requests get a 400. @default true */
  jsonSchema?: boolean;
  /** Accept `seed`; when false requests carrying it get a 400. @default true */
  seed?: boolean;
  /** A real rate limit: chat requests beyond this many in flight get a 429. @default none */
  maxInFlight?: number;
  /** The retry-after of that 429, in seconds. @default 0.05 */
  rateLimitRetryAfterSeconds?: number;
  /** Batch retrievals before a batch completes. @default 2 */
  batchPolls?: number;
  /** Require `Authorization: Bearer <apiKey>`. @default accept any */
  apiKey?: string;
  /** Scores of a judged response text. @default {@link scoresFor} */
  scores?: (responseText: string) => Scores;
  /** The answer to a generate request. @default a deterministic answer echoing the question */
  answer?: (messages: { role: string; content: string }[]) => string;
  /** Obey instructions found outside the delimited blocks. @default true */
  obeyInjections?: boolean;
  /** Report usage × this (a provider whose tokenizer counts more than the kit estimates). @default 1 */
  usageMultiplier?: number;
  /**
   * Answer only the first this many chat requests; hold every later one
   * unanswered until {@link OpenAIServer.release} or close (a deterministic
   * point to kill a client at). @default hold none
   */
  holdAfter?: number;
}

/** One request the server received. */
export interface RequestLogEntry {
  n: number;
  method: string;
  path: string;
  /** The HTTP status; 0 for a dropped connection, -1 while unanswered. */
  status: number;
  /** When the request arrived (`performance.now()` of the server's process). */
  at: number;
  /** For chat requests: the key and attempt the fault function saw. */
  key?: string;
  attempt?: number;
  /** For judge requests: the judged response text. */
  response?: string;
  fault?: string;
  /** Whether the request asked for `response_format: json_schema`. */
  jsonSchema?: boolean;
}

/** A running test server. */
export interface OpenAIServer {
  /** The base URL, ending in `/v1`. */
  url: string;
  /** HTTP requests received, of every kind. */
  requests(): number;
  /** Chat-completion HTTP requests received. */
  chatRequests(): number;
  /** The most chat requests in flight at once. */
  maxConcurrent(): number;
  /** Resolves once `n` chat replies have been sent. */
  answered(n: number): Promise<void>;
  /** Stop holding requests (see `holdAfter`): held and later ones are answered. */
  release(): void;
  readonly log: readonly RequestLogEntry[];
  close(): Promise<void>;
}

const DIMS = ["correctness", "relevance", "clarity", "calibration", "length"] as const;

/** The dimensions and scale a judge request asks for, when they are not the kit's five on 1–5. */
export interface AskedRubric {
  dimensions: string[];
  min: number;
  max: number;
}

/**
 * What rubric a judge request asks for, as a model would read it: the `scores` object of
 * its `response_format` JSON schema (names, `minimum`, `maximum`), else the reply shape
 * written in the system message (`"name": <1-10>`, as `{{reply_format}}` renders it).
 * Null for the kit's five on 1–5, which keep {@link scoresFor}.
 */
export function askedRubric(
  body: Record<string, unknown>,
  messages: readonly { role: string; content: string }[],
): AskedRubric | null {
  const schema = (body.response_format as { json_schema?: { schema?: unknown } } | undefined)
    ?.json_schema?.schema as
      | {
        properties?: {
          scores?: { properties?: Record<string, { minimum?: number; maximum?: number }> };
        };
      }
      | undefined;
  const props = schema?.properties?.scores?.properties;
  let asked: AskedRubric | null = null;
  if (props && Object.keys(props).length > 0) {
    const first = Object.values(props)[0];
    asked = { dimensions: Object.keys(props), min: first.minimum ?? 1, max: first.maximum ?? 5 };
  } else {
    const system = messages.find((m) => m.role === "system")?.content ?? "";
    const found = [...system.matchAll(/"([a-z][a-z0-9_]*)": <(-?\d+)-(-?\d+)>/g)];
    if (found.length > 0) {
      asked = {
        dimensions: found.map((m) => m[1]),
        min: Number(found[0][2]),
        max: Number(found[0][3]),
      };
    }
  }
  const isDefault = asked !== null && asked.min === 1 && asked.max === 5 &&
    asked.dimensions.join() === DIMS.join();
  return isDefault ? null : asked;
}

/** Deterministic scores on an asked rubric: one per dimension from the text's sha256, within the scale. */
export function rubricScoresFor(text: string, asked: AskedRubric): Record<string, number> {
  const h = sha256(text);
  const points = asked.max - asked.min + 1;
  return Object.fromEntries(asked.dimensions.map((d, i) => [
    d,
    asked.min + (parseInt(h.slice((i * 2) % 60, (i * 2) % 60 + 2), 16) % points),
  ]));
}

/**
 * The server's deterministic scores for a judged response text: five digits 1–5 from its sha256.
 *
 * @example
 * ```ts
 * import { scoresFor } from "./openai_server.ts";
 * const s = scoresFor("hello");
 * if (JSON.stringify(s) !== JSON.stringify(scoresFor("hello"))) throw new Error("not deterministic");
 * ```
 */
export function scoresFor(text: string): Scores {
  const h = sha256(text);
  const out = {} as Record<string, number>;
  DIMS.forEach((d, i) => (out[d] = (parseInt(h.slice(i * 2, i * 2 + 2), 16) % 5) + 1));
  return out as Scores;
}

/** Options for {@link randomFaults}. */
export interface RandomFaultOptions {
  /** The probability that a chat request gets a fault. */
  rate: number;
  /** The seed; the same seed gives the same faults for the same requests. */
  seed: number;
  /** The faults to draw from, uniformly. */
  kinds: readonly Fault[];
  /** Only the first attempts at a key may fault, so every item finishes. @default 3 */
  maxAttempt?: number;
}

/**
 * Faults drawn deterministically from a hash of (seed, key, attempt): the
 * same request gets the same fault whatever order requests arrive in, so
 * concurrent runs stay reproducible.
 */
export function randomFaults(
  options: RandomFaultOptions,
): (ctx: FaultContext) => Fault | undefined {
  return (ctx) => {
    if (ctx.attempt >= (options.maxAttempt ?? 3) || ctx.batch) return undefined;
    const h = sha256(`${options.seed}\u0000${ctx.key}\u0000${ctx.attempt}`);
    const u = parseInt(h.slice(0, 12), 16) / 2 ** 48;
    if (u >= options.rate) return undefined;
    const pick = parseInt(h.slice(12, 20), 16) % options.kinds.length;
    return options.kinds[pick];
  };
}

const BLOCK = /<<<BEGIN ([A-Z][A-Z ]*?) ([0-9a-f]+)>>>\n?([\s\S]*?)\n?<<<END \1 \2>>>/g;
const OBEY =
  /\b(ignore|disregard) (all |the |any )?(previous|prior|above|earlier) (instructions|rules)|\bscore (this|it|the response|the answer) (a )?(5|five)\b|\ball (scores|dimensions) (to |= ?|at |should be )?(5|five)\b|"correctness"\s*:\s*5/i;

/** The judged response in a judge request's user message, and whether text outside the blocks instructs. */
function readJudgeRequest(
  messages: { role: string; content: string }[],
): { response: string; injected: boolean } | null {
  let response: string | null = null;
  let injected = false;
  for (const m of messages) {
    if (m.role !== "user") continue;
    for (const b of m.content.matchAll(BLOCK)) {
      if (b[1] === "RESPONSE" && response === null) response = b[3];
    }
    const outside = m.content.replace(BLOCK, " ");
    if (OBEY.test(outside)) injected = true;
  }
  return response === null ? null : { response, injected };
}

function defaultAnswer(messages: { role: string; content: string }[]): string {
  const question = [...messages].reverse().find((m) => m.role === "user")?.content ?? "";
  const h = sha256(question);
  const steps = 2 + (parseInt(h.slice(0, 2), 16) % 3);
  const lines = [`Here is how to handle "${question.slice(0, 80)}".`];
  for (let i = 1; i <= steps; i++) lines.push(`${i}. Step ${i} (${h.slice(i * 4, i * 4 + 6)}).`);
  return lines.join("\n");
}

function completion(model: string, content: string | null, usage: {
  prompt_tokens: number;
  completion_tokens: number;
}, extra: { refusal?: string; finish?: string } = {}) {
  return {
    id: `chatcmpl-${sha256(String(content)).slice(0, 12)}`,
    object: "chat.completion",
    created: 1_700_000_000,
    model,
    choices: [{
      index: 0,
      finish_reason: extra.finish ?? "stop",
      message: { role: "assistant", content, refusal: extra.refusal ?? null },
    }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

function errorBody(message: string, type: string, code: string | null = null) {
  return { error: { message, type, param: null, code } };
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  drop?: boolean;
  fault?: string;
}

/**
 * Start the server on 127.0.0.1 on a free port.
 *
 * @example
 * ```ts
 * import OpenAI from "openai";
 * import { startOpenAIServer } from "./openai_server.ts";
 * const server = await startOpenAIServer();
 * const client = new OpenAI({ apiKey: "test", baseURL: server.url, maxRetries: 0 });
 * const r = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] });
 * await server.close();
 * if (!r.choices[0].message.content || server.requests() !== 1) throw new Error("no reply");
 * ```
 */
export async function startOpenAIServer(
  options: OpenAIServerOptions = {},
): Promise<OpenAIServer> {
  let n = 0;
  let chat = 0;
  let inFlight = 0;
  let maxConcurrent = 0;
  const attempts = new Map<string, number>();
  const log: RequestLogEntry[] = [];
  const files = new Map<string, { bytes: Uint8Array; filename: string; purpose: string }>();
  const batches = new Map<string, { batch: Record<string, unknown>; polls: number }>();
  let nextId = 0;
  const scores = options.scores ?? scoresFor;
  const answer = options.answer ?? defaultAnswer;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let admitted = 0;
  let replied = 0;
  let holding = options.holdAfter !== undefined;
  const held: (() => void)[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const release = () => {
    holding = false;
    for (const go of held.splice(0)) go();
  };
  const noteReply = () => {
    replied++;
    for (const w of waiters.filter((w) => replied >= w.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };

  /** The reply to one chat request (an HTTP request or a batch line). */
  function chatReply(body: Record<string, unknown>, requestN: number, batch: boolean): {
    reply: Reply;
    entry: Partial<RequestLogEntry>;
    latency: number;
  } {
    const messages = (body.messages ?? []) as { role: string; content: string }[];
    const model = String(body.model ?? "test-model");
    const format = body.response_format as { type?: string } | undefined;
    const wantsSchema = format?.type === "json_schema";
    const judged = readJudgeRequest(messages);
    const lastUser = [...messages].reverse().find((m) => m.role === "user")?.content ?? "";
    const key = sha256(judged ? judged.response : lastUser);
    const attempt = attempts.get(key) ?? 0;
    attempts.set(key, attempt + 1);
    const entry: Partial<RequestLogEntry> = {
      key,
      attempt,
      jsonSchema: wantsSchema,
      ...(judged ? { response: judged.response } : {}),
    };
    const fault =
      options.faults?.({ n: requestN, path: "/v1/chat/completions", key, attempt, batch }) ??
        undefined;
    let latency = options.latencyMs ?? 0;
    if (fault?.type === "latency") latency = fault.ms;
    const promptChars = messages.reduce((s, m) => s + String(m.content ?? "").length, 0);
    const scale = options.usageMultiplier ?? 1;
    const usageFor = (content: string) => ({
      prompt_tokens: Math.ceil((promptChars / 4) * scale),
      completion_tokens: Math.ceil((content.length / 4) * scale),
    });
    const withFault = (
      reply: Reply,
    ): { reply: Reply; entry: Partial<RequestLogEntry>; latency: number } => ({
      reply,
      entry: { ...entry, ...(reply.fault ? { fault: reply.fault } : {}) },
      latency,
    });

    if (wantsSchema && options.jsonSchema === false) {
      return withFault({
        status: 400,
        body: errorBody(
          "response_format of type 'json_schema' is not supported by this model",
          "invalid_request_error",
        ),
      });
    }
    if (body.seed !== undefined && options.seed === false) {
      return withFault({
        status: 400,
        body: errorBody("Unrecognized request argument supplied: seed", "invalid_request_error"),
      });
    }
    switch (fault?.type) {
      case "rate_limit": {
        const headers: Record<string, string> = {};
        if (fault.retryAfterMs !== undefined) {
          headers["retry-after-ms"] = String(fault.retryAfterMs);
        }
        if (fault.retryAfterSeconds !== null) {
          headers["retry-after"] = String(fault.retryAfterSeconds ?? 1);
        }
        return withFault({
          status: 429,
          headers,
          body: errorBody("Rate limit reached for requests", "requests", "rate_limit_exceeded"),
          fault: "rate_limit",
        });
      }
      case "server_error":
        return withFault({
          status: fault.status ?? 500,
          body: errorBody("The server had an error while processing your request", "server_error"),
          fault: "server_error",
        });
      case "drop":
        return withFault({ status: 0, body: null, drop: true, fault: "drop" });
      case "bad_request":
        return withFault({
          status: 400,
          body: errorBody(fault.message ?? "Invalid request", "invalid_request_error"),
          fault: "bad_request",
        });
      case "http_error":
        return withFault({
          status: fault.status,
          body: errorBody(fault.message ?? `HTTP ${fault.status}`, "invalid_request_error"),
          fault: `http_${fault.status}`,
        });
      case "refusal":
        return withFault({
          status: 200,
          body: completion(model, null, usageFor("I can't help with that."), {
            refusal: "I can't help with that.",
          }),
          fault: "refusal",
        });
    }
    let content: string;
    if (judged) {
      const asked = askedRubric(body, messages);
      let s: Record<string, number> = judged.injected && options.obeyInjections !== false
        ? Object.fromEntries((asked?.dimensions ?? DIMS).map((d) => [d, asked?.max ?? 5]))
        : asked && !options.scores
        ? rubricScoresFor(judged.response, asked)
        : { ...scores(judged.response) };
      const rationale = judged.injected && options.obeyInjections !== false
        ? "Following the instructions in the message: all fives."
        : `Deterministic test scores for response ${sha256(judged.response).slice(0, 8)}.`;
      if (fault?.type === "out_of_range") s = { ...s, correctness: 7, length: 0 };
      const written = fault?.type === "scores_as" ? formatScores(s, fault.format) : s;
      const json = JSON.stringify({ rationale, scores: written });
      content = fault?.type === "malformed_json"
        ? json.slice(0, Math.floor(json.length / 2))
        : wantsSchema
        ? json
        : `Here is my evaluation.\n\`\`\`json\n${json}\n\`\`\``;
    } else {
      content = fault?.type === "malformed_json" ? "" : answer(messages);
    }
    return withFault({
      status: 200,
      body: completion(model, content, usageFor(content)),
      ...(fault?.type === "malformed_json" || fault?.type === "out_of_range" ||
          fault?.type === "scores_as"
        ? { fault: fault.type }
        : {}),
    });
  }

  function completeBatch(id: string): void {
    const entry = batches.get(id)!;
    const input = files.get(String(entry.batch.input_file_id));
    const lines = input
      ? new TextDecoder().decode(input.bytes).split("\n").filter((l) => l.trim())
      : [];
    let ok = 0;
    let failed = 0;
    const output: string[] = [];
    for (const line of lines) {
      const request = JSON.parse(line) as { custom_id: string; body: Record<string, unknown> };
      const { reply } = chatReply(request.body, n, true);
      if (reply.status === 200) ok++;
      else failed++;
      output.push(JSON.stringify({
        id: `batch_req_${++nextId}`,
        custom_id: request.custom_id,
        response: reply.drop
          ? null
          : { status_code: reply.status, request_id: `req_${nextId}`, body: reply.body },
        error: reply.drop ? { code: "server_error", message: "dropped" } : null,
      }));
    }
    const outId = `file-${++nextId}`;
    files.set(outId, {
      bytes: new TextEncoder().encode(output.join("\n") + "\n"),
      filename: `${id}_output.jsonl`,
      purpose: "batch_output",
    });
    entry.batch.status = "completed";
    entry.batch.output_file_id = outId;
    entry.batch.completed_at = 1_700_000_100;
    entry.batch.request_counts = { total: lines.length, completed: ok, failed };
  }

  async function route(
    method: string,
    path: string,
    headers: http.IncomingHttpHeaders,
    raw: Uint8Array<ArrayBuffer>,
    requestN: number,
    logEntry: RequestLogEntry,
  ): Promise<{ reply: Reply; entry: Partial<RequestLogEntry> }> {
    if (options.apiKey !== undefined && headers.authorization !== `Bearer ${options.apiKey}`) {
      // Like some providers, echo the key that was sent: the client must redact it.
      const sent = String(headers.authorization ?? "").replace(/^Bearer /, "");
      return {
        reply: {
          status: 401,
          body: errorBody(
            `Incorrect API key provided: ${sent}`,
            "invalid_request_error",
            "invalid_api_key",
          ),
        },
        entry: {},
      };
    }
    if (method === "POST" && path === "/v1/chat/completions") {
      chat++;
      if (options.maxInFlight !== undefined && inFlight >= options.maxInFlight) {
        return {
          reply: {
            status: 429,
            headers: { "retry-after": String(options.rateLimitRetryAfterSeconds ?? 0.05) },
            body: errorBody(
              "Rate limit reached: too many requests in flight",
              "requests",
              "rate_limit_exceeded",
            ),
            fault: "rate_limit",
          },
          entry: { fault: "in_flight_limit" },
        };
      }
      if (holding && admitted >= options.holdAfter!) {
        await new Promise<void>((resolve) => held.push(resolve));
      }
      admitted++;
      const body = JSON.parse(new TextDecoder().decode(raw)) as Record<string, unknown>;
      const { reply, entry, latency } = chatReply(body, requestN, false);
      Object.assign(logEntry, entry);
      inFlight++;
      maxConcurrent = Math.max(maxConcurrent, inFlight);
      try {
        if (latency > 0) {
          await new Promise<void>((resolve) => {
            const t = setTimeout(() => {
              timers.delete(t);
              resolve();
            }, latency);
            timers.add(t);
          });
        }
      } finally {
        inFlight--;
      }
      return { reply, entry };
    }
    if (method === "POST" && path === "/v1/files") {
      const form = await new Response(raw, {
        headers: { "content-type": String(headers["content-type"] ?? "") },
      }).formData();
      const file = form.get("file");
      if (!(file instanceof File)) {
        return {
          reply: { status: 400, body: errorBody("missing file", "invalid_request_error") },
          entry: {},
        };
      }
      const id = `file-${++nextId}`;
      files.set(id, {
        bytes: new Uint8Array(await file.arrayBuffer()),
        filename: file.name,
        purpose: String(form.get("purpose") ?? ""),
      });
      return {
        reply: {
          status: 200,
          body: {
            id,
            object: "file",
            bytes: file.size,
            created_at: 1_700_000_000,
            filename: file.name,
            purpose: String(form.get("purpose") ?? ""),
            status: "processed",
          },
        },
        entry: {},
      };
    }
    const fileMatch = /^\/v1\/files\/([\w-]+)(\/content)?$/.exec(path);
    if (method === "GET" && fileMatch) {
      const f = files.get(fileMatch[1]);
      if (!f) {
        return {
          reply: { status: 404, body: errorBody("No such file", "invalid_request_error") },
          entry: {},
        };
      }
      if (fileMatch[2]) {
        return {
          reply: {
            status: 200,
            body: f.bytes,
            headers: { "content-type": "application/octet-stream" },
          },
          entry: {},
        };
      }
      return {
        reply: {
          status: 200,
          body: {
            id: fileMatch[1],
            object: "file",
            bytes: f.bytes.length,
            filename: f.filename,
            purpose: f.purpose,
          },
        },
        entry: {},
      };
    }
    if (method === "POST" && path === "/v1/batches") {
      const body = JSON.parse(new TextDecoder().decode(raw)) as Record<string, unknown>;
      if (!files.has(String(body.input_file_id))) {
        return {
          reply: { status: 400, body: errorBody("No such input file", "invalid_request_error") },
          entry: {},
        };
      }
      const id = `batch_${++nextId}`;
      const batch = {
        id,
        object: "batch",
        endpoint: body.endpoint,
        input_file_id: body.input_file_id,
        completion_window: body.completion_window,
        status: "validating",
        output_file_id: null,
        error_file_id: null,
        created_at: 1_700_000_000,
        metadata: body.metadata ?? null,
        request_counts: { total: 0, completed: 0, failed: 0 },
      };
      batches.set(id, { batch, polls: 0 });
      return { reply: { status: 200, body: batch }, entry: {} };
    }
    const batchMatch = /^\/v1\/batches\/([\w-]+)$/.exec(path);
    if (method === "GET" && batchMatch) {
      const entry = batches.get(batchMatch[1]);
      if (!entry) {
        return {
          reply: { status: 404, body: errorBody("No such batch", "invalid_request_error") },
          entry: {},
        };
      }
      entry.polls++;
      if (entry.batch.status !== "completed") {
        if (entry.polls >= (options.batchPolls ?? 2)) completeBatch(batchMatch[1]);
        else entry.batch.status = "in_progress";
      }
      return { reply: { status: 200, body: entry.batch }, entry: {} };
    }
    return {
      reply: {
        status: 404,
        body: errorBody(`Unknown route ${method} ${path}`, "invalid_request_error"),
      },
      entry: {},
    };
  }

  const server = http.createServer((req, res) => {
    const requestN = ++n;
    const chunks: Uint8Array[] = [];
    req.on("data", (c: Uint8Array) => chunks.push(c));
    req.on("end", async () => {
      const size = chunks.reduce((s, c) => s + c.length, 0);
      const raw = new Uint8Array(size);
      let offset = 0;
      for (const c of chunks) {
        raw.set(c, offset);
        offset += c.length;
      }
      const method = req.method ?? "GET";
      const path = (req.url ?? "/").split("?")[0];
      // Logged on arrival (status -1 until answered), so a client killed mid-request is seen.
      const logEntry: RequestLogEntry = {
        n: requestN,
        method,
        path,
        status: -1,
        at: performance.now(),
      };
      log.push(logEntry);
      let result: { reply: Reply; entry: Partial<RequestLogEntry> };
      try {
        result = await route(method, path, req.headers, raw, requestN, logEntry);
      } catch (e) {
        result = {
          reply: {
            status: 500,
            body: errorBody(`Test server error: ${(e as Error).message}`, "server_error"),
          },
          entry: {},
        };
      }
      const { reply, entry } = result;
      Object.assign(logEntry, entry, { status: reply.drop ? 0 : reply.status });
      if (method === "POST" && path === "/v1/chat/completions") noteReply();
      if (reply.drop) {
        res.socket?.destroy();
        return;
      }
      const isBytes = reply.body instanceof Uint8Array;
      res.writeHead(reply.status, {
        "content-type": isBytes ? "application/octet-stream" : "application/json",
        ...reply.headers,
      });
      res.end(isBytes ? reply.body : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests: () => n,
    chatRequests: () => chat,
    maxConcurrent: () => maxConcurrent,
    answered: (count) =>
      replied >= count
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ n: count, resolve })),
    release,
    log,
    async close() {
      release();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
