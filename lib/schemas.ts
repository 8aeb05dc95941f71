/**
 * The zod schemas of every record that crosses a boundary (SPEC §4), and the
 * types inferred from them. A type shares its schema's name.
 *
 * @module
 */
import { z } from "zod";
import {
  type FeedbackOptions,
  parseFeedback,
  parseTimestamp,
  timestampCheck,
} from "./io/log_fields.ts";

/**
 * The five judged dimensions, in report order. Never combined into one score.
 *
 * @example
 * ```ts
 * import { DIMENSIONS } from "./schemas.ts";
 * if (DIMENSIONS.join() !== "correctness,relevance,clarity,calibration,length") throw new Error();
 * ```
 */
export const DIMENSIONS = ["correctness", "relevance", "clarity", "calibration", "length"] as const;
/** One of the five judged dimensions. */
export type Dimension = typeof DIMENSIONS[number];

/** A number, or a string that spells one (CSV cells arrive as strings). */
const numberish = z.preprocess(
  (v) => (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v),
  z.number(),
);

/**
 * An integer score 1–5, from a number or a CSV cell.
 *
 * @example
 * ```ts
 * import { Score } from "./schemas.ts";
 * if (Score.parse(4) !== 4 || Score.safeParse(6).success || Score.safeParse(2.5).success) throw new Error();
 * ```
 */
export const Score = z.preprocess(
  (v) => (typeof v === "string" && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v),
  z.number().int().min(1).max(5),
);
/** An integer score 1–5. */
export type Score = z.infer<typeof Score>;

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * ISO 8601 date or date-time, checked to be a real instant.
 *
 * @example
 * ```ts
 * import { IsoTimestamp } from "./schemas.ts";
 * IsoTimestamp.parse("2026-06-01T10:00:00Z");
 * if (IsoTimestamp.safeParse("yesterday").success) throw new Error();
 * ```
 */
export const IsoTimestamp = z.string().refine(
  (s) => ISO_TIMESTAMP.test(s) && !Number.isNaN(Date.parse(s.replace(" ", "T"))),
  "expected an ISO 8601 timestamp",
);

/**
 * ISO 8601 calendar date `YYYY-MM-DD`.
 *
 * @example
 * ```ts
 * import { IsoDate } from "./schemas.ts";
 * IsoDate.parse("2026-06-01");
 * if (IsoDate.safeParse("2026-13-01").success) throw new Error();
 * ```
 */
export const IsoDate = z.string().refine(
  (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)),
  "expected a date YYYY-MM-DD",
);

/**
 * An identifier: a non-empty string (integers are accepted and turned into strings).
 *
 * @example
 * ```ts
 * import { Id } from "./schemas.ts";
 * if (Id.parse(42) !== "42" || Id.safeParse("").success) throw new Error();
 * ```
 */
export const Id = z.union([z.string().trim().min(1), z.number().int().transform(String)]);

/**
 * A text part of a message's content (Chat Completions `text`; Responses API `input_text`/`output_text`).
 *
 * @example
 * ```ts
 * import { TextPart } from "./schemas.ts";
 * TextPart.parse({ type: "input_text", text: "Hi" });
 * ```
 */
export const TextPart = z.object({
  type: z.enum(["text", "input_text", "output_text"]),
  text: z.string(),
});
/**
 * A refusal part of an assistant message's content.
 *
 * @example
 * ```ts
 * import { RefusalPart } from "./schemas.ts";
 * RefusalPart.parse({ type: "refusal", refusal: "I cannot help with that" });
 * ```
 */
export const RefusalPart = z.object({ type: z.literal("refusal"), refusal: z.string() });
/**
 * An image part (`image_url` in Chat Completions, `input_image` in the Responses API).
 *
 * @example
 * ```ts
 * import { ImagePart } from "./schemas.ts";
 * ImagePart.parse({ type: "image_url", image_url: { url: "https://example.com/a.png" } });
 * ```
 */
export const ImagePart = z.object({ type: z.enum(["image_url", "input_image"]) }).loose();
/**
 * A file part; its name is shown, its data never.
 *
 * @example
 * ```ts
 * import { FilePart } from "./schemas.ts";
 * FilePart.parse({ type: "file", file: { filename: "invoice.pdf" } });
 * ```
 */
export const FilePart = z.object({
  type: z.enum(["file", "input_file"]),
  file: z.object({ filename: z.string().optional() }).loose().optional(),
  filename: z.string().optional(),
}).loose();
/**
 * An audio part (`input_audio`).
 *
 * @example
 * ```ts
 * import { AudioPart } from "./schemas.ts";
 * AudioPart.parse({ type: "input_audio", input_audio: { data: "", format: "wav" } });
 * ```
 */
export const AudioPart = z.object({ type: z.literal("input_audio") }).loose();

/**
 * The content part types evalkit reads.
 *
 * @example
 * ```ts
 * import { PART_TYPES } from "./schemas.ts";
 * if (!PART_TYPES.includes("refusal")) throw new Error();
 * ```
 */
export const PART_TYPES = [
  "text",
  "input_text",
  "output_text",
  "refusal",
  "image_url",
  "input_image",
  "file",
  "input_file",
  "input_audio",
] as const;

/**
 * One part of a message's content, as OpenAI-style apps log it.
 *
 * @example
 * ```ts
 * import { ContentPart } from "./schemas.ts";
 * ContentPart.parse({ type: "text", text: "Hi" });
 * ```
 */
export const ContentPart = z.object({ type: z.enum(PART_TYPES) }).loose().pipe(
  z.discriminatedUnion("type", [
    TextPart,
    RefusalPart,
    ImagePart,
    FilePart,
    AudioPart,
  ]),
);
/** One part of a message's content. */
export type ContentPart = z.infer<typeof ContentPart>;

/**
 * A function call the assistant asked for: `arguments` is the JSON text the model wrote.
 *
 * @example
 * ```ts
 * import { FunctionCall } from "./schemas.ts";
 * FunctionCall.parse({ name: "lookup", arguments: "{\"n\":1}" });
 * ```
 */
export const FunctionCall = z.object({ name: z.string(), arguments: z.string() });

/**
 * One tool call of an assistant turn.
 *
 * @example
 * ```ts
 * import { ToolCall } from "./schemas.ts";
 * ToolCall.parse({ id: "c1", type: "function", function: { name: "lookup", arguments: "{}" } });
 * ```
 */
export const ToolCall = z.object({
  id: z.string().optional(),
  type: z.literal("function").optional(),
  function: FunctionCall,
});
/** One tool call of an assistant turn. */
export type ToolCall = z.infer<typeof ToolCall>;

/**
 * The roles of a chat message: `developer` is the newer name of `system`, `function` the legacy `tool`.
 *
 * @example
 * ```ts
 * import { ROLES } from "./schemas.ts";
 * if (!ROLES.includes("developer")) throw new Error();
 * ```
 */
export const ROLES = ["system", "developer", "user", "assistant", "tool", "function"] as const;

/**
 * One turn of a conversation in the OpenAI chat shape, as apps log it:
 * `content` a string, `null` (an assistant turn that only calls tools) or an
 * array of parts. Text is derived from it by lib/messages.ts, never by hand.
 *
 * @example
 * ```ts
 * import { Message } from "./schemas.ts";
 * Message.parse({ role: "user", content: "How do I void an invoice?" });
 * Message.parse({ role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }] });
 * ```
 */
export const Message = z.object({
  role: z.enum(ROLES),
  content: z.union([z.string(), z.null(), z.array(ContentPart)]).optional(),
  name: z.string().optional(),
  tool_calls: z.array(ToolCall).optional(),
  tool_call_id: z.string().optional(),
  function_call: FunctionCall.optional(),
  refusal: z.string().nullish(),
}).superRefine((m, ctx) => {
  const empty = m.content === undefined || m.content === null;
  if (empty && m.role !== "assistant") {
    ctx.addIssue({ code: "custom", path: ["content"], message: `required for a ${m.role} turn` });
  }
  if (empty && m.role === "assistant" && !m.tool_calls?.length && !m.function_call && !m.refusal) {
    ctx.addIssue({
      code: "custom",
      path: ["content"],
      message: "an assistant turn needs content, tool_calls or a refusal",
    });
  }
});
/** One turn of a conversation. */
export type Message = z.infer<typeof Message>;

/**
 * A conversation with at least one user turn (the query is the last user turn).
 *
 * @example
 * ```ts
 * import { Messages } from "./schemas.ts";
 * if (Messages.safeParse([]).success) throw new Error("an empty conversation accepted");
 * ```
 */
export const Messages = z.array(Message).min(1).refine(
  (ms) => ms.some((m) => m.role === "user"),
  "no user turn: the query is the last user turn",
);

/**
 * Token usage as OpenAI-compatible endpoints report it.
 *
 * @example
 * ```ts
 * import { Usage } from "./schemas.ts";
 * Usage.parse({ prompt_tokens: 120, completion_tokens: 40 });
 * ```
 */
export const Usage = z.object({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  total_tokens: z.number().int().nonnegative().optional(),
});
/** Token usage. */
export type Usage = z.infer<typeof Usage>;

function oneOfQueryOrMessages(
  v: { query?: string; messages?: Message[] },
  ctx: z.RefinementCtx,
): void {
  if (v.query === undefined && v.messages === undefined) {
    ctx.addIssue({ code: "custom", path: ["query"], message: "missing: needs query or messages" });
  }
}

/** The error helper appends `, received "text"` for strings: do not say it twice. */
function once(problem: string, value: unknown): string {
  return typeof value === "string" ? problem.replace(/, received .*$/s, "") : problem;
}

/**
 * A prod-log timestamp as exported (ISO 8601 with or without zone, SQL-style,
 * epoch seconds or milliseconds), read into ISO 8601 with a zone (no zone: UTC).
 *
 * @example
 * ```ts
 * import { LogTimestamp } from "./schemas.ts";
 * if (LogTimestamp.parse(1780308000) !== "2026-06-01T10:00:00.000Z") throw new Error();
 * ```
 */
export const LogTimestamp = z.unknown().transform((v, ctx) => {
  const t = parseTimestamp(v);
  if (t.ok) return t.iso;
  ctx.addIssue({ code: "custom", message: v === undefined ? "missing" : once(t.problem, v) });
  return z.NEVER;
});

/**
 * Feedback in the spellings people log, read into `"up"`, `"down"` or `null`.
 *
 * @example
 * ```ts
 * import { feedbackSchema } from "./schemas.ts";
 * if (feedbackSchema().parse("thumbs_down") !== "down") throw new Error();
 * ```
 */
export function feedbackSchema(options: FeedbackOptions = {}) {
  return z.unknown().transform((v, ctx): "up" | "down" | null => {
    const f = parseFeedback(v, options);
    if (f === null || typeof f === "string") return f;
    ctx.addIssue({ code: "custom", message: once(f.problem, v) });
    return z.NEVER;
  });
}

/** Options for {@link prodLogRecordSchema}. */
export interface ProdLogOptions {
  /** Numeric feedback below this is `"down"`, the rest `"up"` (a rating scale). */
  feedbackDownBelow?: number;
}

/**
 * The prod-log record schema; `feedbackDownBelow` reads numeric ratings as feedback.
 * Every reader normalises to this one shape: `ts` ISO 8601 with a zone, `feedback` up/down/null.
 *
 * @example
 * ```ts
 * import { prodLogRecordSchema } from "./schemas.ts";
 * const r = prodLogRecordSchema({ feedbackDownBelow: 3 }).parse({ id: "a", ts: "2026-06-01 10:00:00", query: "Hi", feedback: 2 });
 * if (r.feedback !== "down") throw new Error();
 * ```
 */
export function prodLogRecordSchema(options: ProdLogOptions = {}) {
  return z.object({
    id: Id,
    ts: LogTimestamp,
    query: z.string().optional(),
    messages: Messages.optional(),
    response: z.string().nullish(),
    topic: z.string().nullish(),
    conversation_id: z.string().nullish(),
    user_id: z.string().nullish(),
    model: z.string().nullish(),
    feedback: feedbackSchema({ downBelow: options.feedbackDownBelow }).optional(),
  }).superRefine(oneOfQueryOrMessages);
}

/**
 * A production log record. Unknown columns are kept aside, not validated.
 *
 * @example
 * ```ts
 * import { ProdLogRecord } from "./schemas.ts";
 * ProdLogRecord.parse({ id: "log-1", ts: "2026-06-01T10:00:00Z", query: "How do I void an invoice?" });
 * if (ProdLogRecord.safeParse({ id: "log-2", ts: "2026-06-01T10:00:00Z" }).success) throw new Error();
 * ```
 */
export const ProdLogRecord = prodLogRecordSchema();
/** A production log record. */
export type ProdLogRecord = z.infer<typeof ProdLogRecord>;

/**
 * An eval item: a sampled, anonymised production query.
 *
 * @example
 * ```ts
 * import { EvalItem } from "./schemas.ts";
 * EvalItem.parse({ id: "q1", query: "How do I void an invoice?", stratum: "billing", source_id: "log-1" });
 * ```
 */
export const EvalItem = z.object({
  id: Id,
  query: z.string().optional(),
  messages: Messages.optional(),
  stratum: z.string().min(1),
  source_id: Id,
  reference: z.array(z.string()).optional(),
  /** The response production gave, anonymised, so the prod model can be judged as users saw it. */
  response: z.string().nullish(),
  /** The model that gave `response` in production. */
  model: z.string().nullish(),
  /**
   * The inclusion weight (`sample --oversample`): its cell's prod count over its sample
   * count, the cell being its stratum × feedback group. Absent: every item counts alike.
   */
  weight: z.number().positive().finite().optional(),
}).superRefine(oneOfQueryOrMessages);
/** An eval item. */
export type EvalItem = z.infer<typeof EvalItem>;

/**
 * A model's response to one eval item.
 *
 * @example
 * ```ts
 * import { Response } from "./schemas.ts";
 * Response.parse({ item_id: "q1", model: "m", response: "Open it and click Void.", latency_ms: 812,
 *   usage: { prompt_tokens: 20, completion_tokens: 8 } });
 * ```
 */
export const Response = z.object({
  item_id: Id,
  model: z.string().min(1),
  response: z.string(),
  latency_ms: z.number().nonnegative(),
  usage: Usage,
});
/** A model's response to one eval item. */
export type Response = z.infer<typeof Response>;

/**
 * The five scores of one judgment.
 *
 * @example
 * ```ts
 * import { Scores } from "./schemas.ts";
 * Scores.parse({ correctness: 4, relevance: 5, clarity: 4, calibration: 3, length: 5 });
 * ```
 */
export const Scores = z.object({
  correctness: Score,
  relevance: Score,
  clarity: Score,
  calibration: Score,
  length: Score,
}).strict();
/** The five scores of one judgment. */
export type Scores = z.infer<typeof Scores>;

/**
 * One judge verdict on one item: five scores, or a recorded failure (never a guessed score).
 *
 * @example
 * ```ts
 * import { Judgment } from "./schemas.ts";
 * const failed = { item_id: "q1", judge_model: "j", prompt_sha256: "a".repeat(64), scores: null,
 *   rationale: "", usage: { prompt_tokens: 0, completion_tokens: 0 }, status: "failed" };
 * if (Judgment.safeParse(failed).success) throw new Error("a failed judgment needs its error");
 * Judgment.parse({ ...failed, error: "HTTP 500 after 3 attempts" });
 * ```
 */
export const Judgment = z.object({
  item_id: Id,
  judge_model: z.string().min(1),
  prompt_sha256: z.string().regex(/^[0-9a-f]{64}$/, "expected a sha256 hex digest"),
  scores: Scores.nullable(),
  rationale: z.string(),
  usage: Usage,
  status: z.enum(["ok", "failed"]),
  error: z.string().optional(),
  flags: z.array(z.string()).optional(),
  /** The judge's reply as written, kept when a score was read leniently (`"4"`, `"4/5"`). */
  raw: z.string().optional(),
}).superRefine((v, ctx) => {
  if (v.status === "ok" && v.scores === null) {
    ctx.addIssue({ code: "custom", path: ["scores"], message: 'required when status is "ok"' });
  }
  if (v.status === "failed" && !v.error) {
    ctx.addIssue({ code: "custom", path: ["error"], message: 'required when status is "failed"' });
  }
  if (v.status === "failed" && v.scores !== null) {
    ctx.addIssue({
      code: "custom",
      path: ["scores"],
      message: 'must be null when status is "failed"',
    });
  }
});
/** One judge verdict on one item. */
export type Judgment = z.infer<typeof Judgment>;

/**
 * One human rating of one item (a row of a rating sheet).
 *
 * @example
 * ```ts
 * import { HumanRating } from "./schemas.ts";
 * HumanRating.parse({ item_id: "q1", rater: "ana", correctness: "4", relevance: 5, clarity: 4,
 *   calibration: 3, length: 5, notes: null });
 * ```
 */
export const HumanRating = z.object({
  item_id: Id,
  rater: z.string().trim().min(1),
  correctness: Score,
  relevance: Score,
  clarity: Score,
  calibration: Score,
  length: Score,
  notes: z.string().nullish(),
});
/** One human rating of one item. */
export type HumanRating = z.infer<typeof HumanRating>;

/**
 * Minimum scores per dimension that a regression case must reach.
 *
 * @example
 * ```ts
 * import { MinScores } from "./schemas.ts";
 * MinScores.parse({ correctness: 4 });
 * if (MinScores.safeParse({ correctnes: 4 }).success) throw new Error("a misspelt dimension accepted");
 * ```
 */
export const MinScores: z.ZodType<Partial<Record<string, number>>> = minScoresOn(DIMENSIONS, Score);

/**
 * Minimum scores on a dimension set: each named dimension optional, none other allowed.
 *
 * @param dimensions The set's dimensions.
 * @param score The set's score schema (an integer on its scale).
 *
 * @example
 * ```ts
 * import { minScoresOn, Score } from "./schemas.ts";
 * const mins = minScoresOn(["faithfulness", "tone"], Score);
 * if (Object.keys(mins.parse({ tone: 4, faithfulness: 3 })).join() !== "faithfulness,tone") {
 *   throw new Error("not in the set's order");
 * }
 * if (mins.safeParse({ correctness: 3 }).success) throw new Error("a dimension not in the set");
 * ```
 */
export function minScoresOn(
  dimensions: readonly string[],
  score: z.ZodType<number>,
): z.ZodType<Partial<Record<string, number>>> {
  return z.looseObject(Object.fromEntries(dimensions.map((d) => [d, score.optional()])))
    .superRefine((v, ctx) => {
      for (const key of Object.keys(v).filter((k) => !dimensions.includes(k))) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `not a dimension of the judge's rubric (${dimensions.join(", ")})`,
        });
      }
    }) as unknown as z.ZodType<Partial<Record<string, number>>>;
}

/**
 * The regression-case schema whose `min_scores` follow `minScores` (see
 * `regressionCaseSchema` in `dimensions.ts` for a rubric's own set).
 *
 * @example
 * ```ts
 * import { minScoresOn, regressionCaseWith, Score } from "./schemas.ts";
 * const schema = regressionCaseWith(minScoresOn(["tone"], Score));
 * const c = { id: "case-1", query: "q", expected_behavior: "e", added_on: "2026-06-04", source: "INC-1" };
 * schema.parse({ ...c, min_scores: { tone: 4 } });
 * if (schema.safeParse({ ...c, min_scores: { correctness: 4 } }).success) throw new Error();
 * ```
 */
export function regressionCaseWith(minScores: z.ZodType<Partial<Record<string, number>>>) {
  return z.object({
    id: Id,
    query: z.string().optional(),
    messages: Messages.optional(),
    expected_behavior: z.string().min(1),
    added_on: IsoDate,
    source: z.string().min(1),
    min_scores: minScores.optional(),
    must_include: z.array(z.string().min(1)).optional(),
    must_not_include: z.array(z.string().min(1)).optional(),
  }).superRefine(oneOfQueryOrMessages);
}

/**
 * A held-out regression case: a real past failure, never used for tuning. Its
 * `min_scores` name the kit's five dimensions; a rubric's own are checked by
 * `regressionCaseSchema(set)`.
 *
 * @example
 * ```ts
 * import { RegressionCase } from "./schemas.ts";
 * RegressionCase.parse({ id: "case-001", query: "Can I undo a void?", added_on: "2026-06-04",
 *   source: "INC-1", expected_behavior: "Says a void cannot be undone." });
 * ```
 */
export const RegressionCase = regressionCaseWith(MinScores);
/** A held-out regression case. */
export type RegressionCase = z.infer<typeof RegressionCase>;

/**
 * Columns of a release row that are not prod metrics.
 *
 * @example
 * ```ts
 * import { RELEASE_TEXT_COLUMNS } from "./schemas.ts";
 * if (!RELEASE_TEXT_COLUMNS.includes("eval_run")) throw new Error();
 * ```
 */
export const RELEASE_TEXT_COLUMNS = [
  "release",
  "date",
  "eval_run",
  "model",
  "prompt_version",
  "notes",
] as const;

/**
 * A release and the prod metrics of the period after it shipped. Columns
 * beyond the named ones are further prod metrics and must be numbers.
 *
 * @example
 * ```ts
 * import { Release } from "./schemas.ts";
 * const r = Release.parse({ release: "r09", date: "2026-08-01", eval_run: "runs/judge-0a1b2c",
 *   thumbs_down_rate: "0.21", tickets_per_1k: "4.2", csat: "4.1" });
 * if (r.thumbs_down_rate !== 0.21 || r.csat !== 4.1) throw new Error(JSON.stringify(r));
 * ```
 */
export const Release = z.object({
  release: z.string().trim().min(1),
  date: IsoDate,
  eval_run: z.string().trim().min(1),
  thumbs_down_rate: numberish.pipe(z.number().min(0).max(1)),
  tickets_per_1k: numberish.pipe(z.number().min(0)),
  model: z.string().nullish(),
  prompt_version: z.string().nullish(),
  notes: z.string().nullish(),
}).catchall(numberish);
/** A release and its prod metrics. */
export type Release = z.infer<typeof Release>;

/**
 * Every record kind `validate --kind` knows, with its schema and its key columns.
 *
 * @example
 * ```ts
 * import { KINDS } from "./schemas.ts";
 * if (KINDS.ratings.key.join() !== "item_id,rater") throw new Error();
 * ```
 */
export const KINDS = {
  logs: { schema: ProdLogRecord, key: ["id"], fileCheck: timestampCheck },
  evalset: { schema: EvalItem, key: ["id"] },
  responses: { schema: Response, key: ["item_id"] },
  judgments: { schema: Judgment, key: ["item_id"] },
  ratings: { schema: HumanRating, key: ["item_id", "rater"] },
  cases: { schema: RegressionCase, key: ["id"] },
  releases: { schema: Release, key: ["release"] },
} as const;
/** A record kind name. */
export type Kind = keyof typeof KINDS;
