/**
 * The zod schemas of a `validity-<id>/` artifact read back: its manifest meta and the
 * fields of `validity.json` its readers (the report, the notebook, status) use.
 *
 * @module
 */
import { z } from "zod";
import type { Validity } from "./run.ts";

const Ci = z.tuple([z.number(), z.number()]).nullable();

/** An AUC with its interval as `validity.json` holds it (`null` with a reason when not estimable). */
const AucFile = z.looseObject({
  auc: z.number().nullable(),
  ci: Ci,
  n_positive: z.number(),
  n_negative: z.number(),
  reason: z.string().optional(),
});

/** One dimension's entry of `validity.json`. */
const DimensionFile = AucFile.extend({
  n: z.number(),
  n_down: z.number(),
  n_up: z.number(),
  n_none: z.number(),
  primary: z.enum(["up_vs_down", "down_vs_rest"]),
  auc_ci: Ci,
  auc_down_vs_rest: AucFile,
  down_rate_by_score: z.array(z.looseObject({
    score: z.number(),
    n: z.number(),
    n_feedback: z.number(),
    down: z.number(),
    rate: z.number().nullable(),
    ci: Ci,
  })),
  weighted_auc: z.number().nullable(),
  weighted_auc_ci: Ci,
  power: z.looseObject({
    half_width: z.number().nullable(),
    n_for_half_width_0_05: z.number().nullable(),
  }),
});

/**
 * `validity.json`: the fields its readers use, checked.
 *
 * @example
 * ```ts
 * import { ValidityFile } from "./schema.ts";
 * if (ValidityFile.safeParse({ run: "judge-1" }).success) throw new Error("should fail");
 * ```
 */
export const ValidityFile = z.looseObject({
  run: z.string(),
  judge_model: z.string(),
  n_items: z.number(),
  n_down: z.number(),
  n_up: z.number(),
  n_none: z.number(),
  primary: z.enum(["up_vs_down", "down_vs_rest"]),
  dimensions: z.record(z.string(), DimensionFile),
  notes: z.array(z.string()),
  warnings: z.array(z.string()),
}).transform((v) => v as unknown as Validity);

/**
 * The meta of a validity artifact: the judge run of prod answers it read, its eval set,
 * logs, judge and dimensions.
 *
 * @example
 * ```ts
 * import { ValidityMeta } from "./schema.ts";
 * if (!ValidityMeta.safeParse({ run: "runs/judge-1", judge_model: "j" }).success) throw new Error();
 * ```
 */
export const ValidityMeta = z.looseObject({
  run: z.string().optional(),
  evalset: z.string().optional(),
  logs: z.array(z.string()).optional(),
  judge_model: z.string().optional(),
  dimensions: z.array(z.string()).optional(),
});
/** The meta of a validity artifact. */
export type ValidityMeta = z.infer<typeof ValidityMeta>;
