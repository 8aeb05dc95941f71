/**
 * The zod schemas of every record that crosses a boundary (SPEC §4), and the
 * types inferred from them. A type shares its schema's name.
 *
 * @module
 */
import { z } from "zod";

/** The five judged dimensions, in report order. Never combined into one score. */
export const DIMENSIONS = ["correctness", "relevance", "clarity", "calibration", "length"] as const;
/** One of the five judged dimensions. */
export type Dimension = typeof DIMENSIONS[number];

/** A number, or a string that spells one (CSV cells arrive as strings). */
const numberish = z.preprocess(
  (v) => (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v),
  z.number(),
);

/** An integer score 1–5, from a number or a CSV cell. */
export const Score = z.preprocess(
  (v) => (typeof v === "string" && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v),
  z.number().int().min(1).max(5),
);
/** An integer score 1–5. */
export type Score = z.infer<typeof Score>;

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** ISO 8601 date or date-time, checked to be a real instant. */
export const IsoTimestamp = z.string().refine(
  (s) => ISO_TIMESTAMP.test(s) && !Number.isNaN(Date.parse(s.replace(" ", "T"))),
  "expected an ISO 8601 timestamp",
);

/** ISO 8601 calendar date `YYYY-MM-DD`. */
export const IsoDate = z.string().refine(
  (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)),
  "expected a date YYYY-MM-DD",
);

/** An identifier: a non-empty string (integers are accepted and turned into strings). */
export const Id = z.union([z.string().trim().min(1), z.number().int().transform(String)]);

/** One turn of a conversation. */
export const Message = z.object({
  role: z.enum(["system", "user", "assistant", "tool"]),
  content: z.string(),
});
/** One turn of a conversation. */
export type Message = z.infer<typeof Message>;

/** A non-empty conversation. */
export const Messages = z.array(Message).min(1);

/** Token usage as OpenAI-compatible endpoints report it. */
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

/** A production log record. Unknown columns are kept aside, not validated. */
export const ProdLogRecord = z.object({
  id: Id,
  ts: IsoTimestamp,
  query: z.string().optional(),
  messages: Messages.optional(),
  response: z.string().nullish(),
  topic: z.string().nullish(),
  conversation_id: z.string().nullish(),
  user_id: z.string().nullish(),
  model: z.string().nullish(),
  feedback: z.enum(["up", "down"]).nullish(),
}).superRefine(oneOfQueryOrMessages);
/** A production log record. */
export type ProdLogRecord = z.infer<typeof ProdLogRecord>;

/** An eval item: a sampled, anonymised production query. */
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
}).superRefine(oneOfQueryOrMessages);
/** An eval item. */
export type EvalItem = z.infer<typeof EvalItem>;

/** A model's response to one eval item. */
export const Response = z.object({
  item_id: Id,
  model: z.string().min(1),
  response: z.string(),
  latency_ms: z.number().nonnegative(),
  usage: Usage,
});
/** A model's response to one eval item. */
export type Response = z.infer<typeof Response>;

/** The five scores of one judgment. */
export const Scores = z.object({
  correctness: Score,
  relevance: Score,
  clarity: Score,
  calibration: Score,
  length: Score,
}).strict();
/** The five scores of one judgment. */
export type Scores = z.infer<typeof Scores>;

/** One judge verdict on one item: five scores, or a recorded failure (never a guessed score). */
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

/** One human rating of one item (a row of a rating sheet). */
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

/** Minimum scores per dimension that a regression case must reach. */
export const MinScores = z.object({
  correctness: Score.optional(),
  relevance: Score.optional(),
  clarity: Score.optional(),
  calibration: Score.optional(),
  length: Score.optional(),
}).strict();

/** A held-out regression case: a real past failure, never used for tuning. */
export const RegressionCase = z.object({
  id: Id,
  query: z.string().optional(),
  messages: Messages.optional(),
  expected_behavior: z.string().min(1),
  added_on: IsoDate,
  source: z.string().min(1),
  min_scores: MinScores.optional(),
  must_include: z.array(z.string().min(1)).optional(),
  must_not_include: z.array(z.string().min(1)).optional(),
}).superRefine(oneOfQueryOrMessages);
/** A held-out regression case. */
export type RegressionCase = z.infer<typeof RegressionCase>;

/** Columns of a release row that are not prod metrics. */
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

/** Every record kind `validate --kind` knows, with its schema and its key columns. */
export const KINDS = {
  logs: { schema: ProdLogRecord, key: ["id"] },
  evalset: { schema: EvalItem, key: ["id"] },
  responses: { schema: Response, key: ["item_id"] },
  judgments: { schema: Judgment, key: ["item_id"] },
  ratings: { schema: HumanRating, key: ["item_id", "rater"] },
  cases: { schema: RegressionCase, key: ["id"] },
  releases: { schema: Release, key: ["release"] },
} as const;
/** A record kind name. */
export type Kind = keyof typeof KINDS;
