/**
 * The content of `gate.json` as a zod schema: what `evalkit regress` writes, and what every
 * reader of a gate (the next gate's baseline, the report, the status) parses it back with.
 * The types are the schemas' (`z.infer`), so the writer and the readers cannot drift.
 *
 * @module
 */
import { z } from "zod";
import { DIMENSIONS, Scores } from "../schemas.ts";

const Dimension = z.enum(DIMENSIONS);

/**
 * One reason a regression case failed.
 *
 * @example
 * ```ts
 * import { CaseFailure } from "./gate_report.ts";
 * CaseFailure.parse({ kind: "must_include", phrase: "cannot be undone" });
 * if (CaseFailure.safeParse({ kind: "min_score", dimension: "tone", min: 4, got: 2 }).success) {
 *   throw new Error("an unknown dimension accepted");
 * }
 * ```
 */
export const CaseFailure = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("min_score"),
    dimension: Dimension,
    min: z.number(),
    got: z.number(),
  }),
  z.object({ kind: z.literal("must_include"), phrase: z.string() }),
  z.object({ kind: z.literal("must_not_include"), phrase: z.string() }),
  z.object({ kind: z.literal("no_response"), error: z.string() }),
  z.object({ kind: z.literal("not_judged"), error: z.string() }),
]);
/** One reason a regression case failed. */
export type CaseFailure = z.infer<typeof CaseFailure>;

/**
 * One case's result in `gate.json`.
 *
 * @example
 * ```ts
 * import { GateCaseResult } from "./gate_report.ts";
 * GateCaseResult.parse({ id: "case-1", source: "INC-1", passed: false, reason: 'missing "x"',
 *   failures: [{ kind: "must_include", phrase: "x" }], scores: null, min_scores: {},
 *   baseline: "passed", case_sha256: "0".repeat(64) });
 * ```
 */
export const GateCaseResult = z.object({
  id: z.string(),
  source: z.string(),
  passed: z.boolean(),
  /** The failures in words, `""` when it passed. */
  reason: z.string(),
  failures: z.array(CaseFailure),
  /** The judge's scores, null when not judged. */
  scores: Scores.nullable(),
  /** The case's minimum scores, for reading the scores against. */
  min_scores: z.partialRecord(Dimension, z.number()),
  /** On the baseline: `"passed"`, `"failed"`, or `null` when the baseline lacks the case. */
  baseline: z.enum(["passed", "failed"]).nullable(),
  /** sha256 of the case record, to tell an edited case from the baseline's. */
  case_sha256: z.string(),
});
/** One case's result in `gate.json`. */
export type GateCaseResult = z.infer<typeof GateCaseResult>;

/**
 * The content of `gate.json`.
 *
 * @example
 * ```ts
 * import { GateReport } from "./gate_report.ts";
 * const bad = GateReport.safeParse({ verdict: "maybe" });
 * if (bad.success) throw new Error("accepted");
 * ```
 */
export const GateReport = z.object({
  /** `"passed"` or `"failed"`, by `rule`. */
  verdict: z.enum(["passed", "failed"]),
  /** The rule the verdict applied. */
  rule: z.string(),
  cases: z.number().int().nonnegative(),
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** Cases that passed on the baseline and fail now (empty without a baseline). */
  regressions: z.array(z.object({ id: z.string(), reason: z.string() })),
  /** Cases that failed on the baseline and pass now. */
  fixed: z.array(z.string()),
  /** Cases that failed on the baseline and still fail. */
  still_failing: z.array(z.string()),
  /** Failing cases the baseline does not have (added since). */
  new_failing: z.array(z.string()),
  judge: z.object({
    model: z.string(),
    prompt_sha256: z.string(),
    judge_family: z.string().nullable(),
    self_judged: z.boolean(),
  }),
  /** The version under test: the models that answered and where the answers came from (file or folder name; the path is in the manifest). */
  version: z.object({
    models: z.array(z.string()),
    source: z.enum(["generate", "responses"]),
    responses: z.string().nullable(),
  }),
  baseline: z.object({
    artifact: z.string(),
    id: z.string(),
    verdict: z.string(),
    failed: z.number(),
    judge_model: z.string(),
    prompt_sha256: z.string(),
  }).nullable(),
  results: z.array(GateCaseResult),
  /** What a reader of the verdict must know (self-judging, a different baseline judge). */
  warnings: z.array(z.string()),
});
/** The content of `gate.json`. */
export type GateReport = z.infer<typeof GateReport>;
