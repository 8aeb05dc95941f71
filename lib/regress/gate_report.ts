/**
 * The content of `gate.json` as a zod schema: what `evalkit regress` writes, and what every
 * reader of a gate (the next gate's baseline, the report, the status) parses it back with.
 * The types are the schemas' (`z.infer`), so the writer and the readers cannot drift.
 *
 * @module
 */
import { z } from "zod";
import { DIMENSIONS } from "../schemas.ts";

/** A dimension name of the judge's rubric (the report's `dimensions` says which). */
const Dimension = z.string().regex(/^[a-z][a-z0-9_]*$/, "expected a snake_case dimension name");
/** Scores by dimension. */
const ScoreMap = z.record(Dimension, z.number());

/**
 * One reason a regression case failed.
 *
 * @example
 * ```ts
 * import { CaseFailure } from "./gate_report.ts";
 * CaseFailure.parse({ kind: "must_include", phrase: "cannot be undone" });
 * if (CaseFailure.safeParse({ kind: "min_score", dimension: "Tone!", min: 4, got: 2 }).success) {
 *   throw new Error("a name that is no dimension accepted");
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
  scores: ScoreMap.nullable(),
  /** The case's minimum scores, for reading the scores against. */
  min_scores: ScoreMap,
  /** On the baseline: `"passed"`, `"failed"`, or `null` when the baseline lacks the case. */
  baseline: z.enum(["passed", "failed"]).nullable(),
  /** sha256 of the case record, to tell an edited case from the baseline's. */
  case_sha256: z.string(),
});
/** One case's result in `gate.json`. */
export type GateCaseResult = z.infer<typeof GateCaseResult>;

/**
 * The content of `gate.json`. Every dimension a result names is one of `dimensions`
 * (the judge's rubric; the kit's five on 1–5 in a gate written before rubrics had their own).
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
  /** The judge rubric's dimensions, in report order. */
  dimensions: z.array(Dimension).min(1).default([...DIMENSIONS]),
  /** The rubric's scale. */
  scale: z.object({ min: z.number().int(), max: z.number().int() }).default({ min: 1, max: 5 }),
  results: z.array(GateCaseResult),
  /** What a reader of the verdict must know (self-judging, a different baseline judge). */
  warnings: z.array(z.string()),
}).superRefine((report, ctx) => {
  const known = new Set(report.dimensions);
  report.results.forEach((r, i) => {
    const named = [
      ...Object.keys(r.scores ?? {}),
      ...Object.keys(r.min_scores),
      ...r.failures.flatMap((f) => f.kind === "min_score" ? [f.dimension] : []),
    ];
    const unknown = named.find((d) => !known.has(d));
    if (unknown !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["results", i],
        message: `"${unknown}" is not one of the gate's dimensions (${
          report.dimensions.join(", ")
        })`,
      });
    }
  });
});
/** The content of `gate.json`. */
export type GateReport = z.infer<typeof GateReport>;
