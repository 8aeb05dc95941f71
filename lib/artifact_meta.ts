/**
 * The zod schema of each artifact kind's manifest `meta`, and {@link metaOf}, which checks
 * a manifest's meta by its kind's. Kept apart from `artifact_kinds.ts` (the main files'
 * schemas and `readArtifact`), so a command that only reads manifests — the judge, at
 * start-up — does not load every kind's main-file schema.
 *
 * The meta schemas are loose: a field that is present must have its type, a field that is
 * missing (an artifact of an older kit, or written by `import`) reads as absent, and fields
 * a newer kit adds pass through.
 *
 * @module
 */
import { z } from "zod";
import { type Manifest, parseArtifactJson } from "./artifacts.ts";
import { ValidityMeta } from "./validity/schema.ts";

const Sha = z.string();
const Counts = z.looseObject({
  items: z.number().optional(),
  ok: z.number().optional(),
  failed: z.number().optional(),
  flagged: z.number().optional(),
});
/** An input file a run names: as given (`path`), as read (`file`), where it was, its sha256. */
const RecordedFile = z.looseObject({
  path: z.string().optional(),
  file: z.string().optional(),
  abs: z.string().optional(),
  sha256: Sha.optional(),
});

/** The meta of a judge run (`judge-<id>`). */
export const JudgeMeta = z.looseObject({
  judge_model: z.string().optional(),
  judge_family: z.string().nullable().optional(),
  self_judged: z.boolean().optional(),
  prompt_sha256: Sha.optional(),
  prompt: z.union([
    z.string(),
    z.looseObject({ name: z.string().nullable().optional(), sha256: Sha.optional() }),
  ]).nullable().optional(),
  /** `"responses"`, `"prod"` (the eval set's own responses) or `"cases"` (regression cases). */
  source: z.string().optional(),
  evalset: RecordedFile.optional(),
  responses: RecordedFile.nullable().optional(),
  models: z.array(z.string()).optional(),
  counts: Counts.optional(),
  cost_usd: z.number().nullable().optional(),
});
/** The meta of a judge run. */
export type JudgeMeta = z.infer<typeof JudgeMeta>;

/** Per run of a prompt comparison (`mode: "compare"`): the old and the new run's value. */
const OldNew = z.looseObject({ old: z.string().nullable(), new: z.string().nullable() });

/**
 * The meta of an agreement artifact: a plain check, a prompt comparison (whose prompt
 * sha256 is `{old, new}`, its judge models `judge_models`) or a re-judge check.
 */
export const AgreementMeta = z.looseObject({
  mode: z.enum(["agreement", "compare", "rejudge"]).optional(),
  run: z.string().nullable().optional(),
  judge_run: z.string().optional(),
  judge_model: z.string().nullable().optional(),
  prompt_sha256: z.union([z.string(), OldNew]).nullable().optional(),
  ratings_date: z.string().nullable().optional(),
  verdict: z.string().optional(),
});
/** The meta of an agreement artifact. */
export type AgreementMeta = z.infer<typeof AgreementMeta>;

/** The meta of a comparison. */
export const ComparisonMeta = z.looseObject({
  baseline: z.string().optional(),
  run: z.string().optional(),
  judge_model: z.string().optional(),
  prompt_sha256: z.string().optional(),
  evalset_sha256: z.string().nullable().optional(),
  n: z.number().optional(),
});
/** The meta of a comparison. */
export type ComparisonMeta = z.infer<typeof ComparisonMeta>;

/** The meta of a regression gate. */
export const GateMeta = z.looseObject({
  judge_model: z.string().optional(),
  prompt_sha256: z.string().optional(),
  self_judged: z.boolean().optional(),
  cases: z.looseObject({ path: z.string().optional(), sha256: Sha.optional() }).optional(),
  responses: z.string().nullable().optional(),
  baseline: z.string().nullable().optional(),
  verdict: z.string().optional(),
});
/** The meta of a regression gate. */
export type GateMeta = z.infer<typeof GateMeta>;

/** The meta of a quarterly correlation. */
export const CorrelationMeta = z.looseObject({
  quarter: z.string().optional(),
  as_of: z.string().optional(),
  pairs: z.number().optional(),
  skipped: z.number().optional(),
  /** Per metric, the dimensions whose release-level interval lies above 0. */
  predicts_prod: z.record(z.string(), z.array(z.string())).optional(),
  /** The same list, as artifacts written before the honest verdicts called it. */
  watch: z.record(z.string(), z.array(z.string())).optional(),
});
/** The meta of a quarterly correlation. */
export type CorrelationMeta = z.infer<typeof CorrelationMeta>;

/** The meta of a release registry the demo writes: release → its judge run. */
export const ReleasesMeta = z.looseObject({
  judge: z.string().optional(),
  runs: z.record(z.string(), z.string()).optional(),
});
/** The meta of a release registry. */
export type ReleasesMeta = z.infer<typeof ReleasesMeta>;

/** The meta of a review export (blind sheets). */
export const ReviewMeta = z.looseObject({
  run: z.string().nullable().optional(),
  judge_run: z.string().optional(),
  judge_model: z.string().nullable().optional(),
  prompt_sha256: z.string().nullable().optional(),
  raters: z.array(z.string()),
  selection: z.looseObject({
    items: z.array(z.looseObject({ item_id: z.string(), stratum: z.string().optional() })),
  }),
});
/** The meta of a review export. */
export type ReviewMeta = z.infer<typeof ReviewMeta>;

/** The meta of a ratings artifact (`review import`). */
export const RatingsMeta = z.looseObject({
  rated_on: z.string().nullable().optional(),
  judge_run: z.string().nullable().optional(),
});
/** The meta of a ratings artifact. */
export type RatingsMeta = z.infer<typeof RatingsMeta>;

/** The meta of an eval set (`sample`): its summary and the log files it was drawn from. */
export const EvalsetMeta = z.looseObject({
  logs: z.array(z.string()).optional(),
});
/** The meta of an eval set. */
export type EvalsetMeta = z.infer<typeof EvalsetMeta>;

/** The meta of a responses artifact (`generate`). */
export const ResponsesMeta = z.looseObject({
  model: z.string().optional(),
  counts: Counts.optional(),
  cost_usd: z.number().nullable().optional(),
});
/** The meta of a responses artifact. */
export type ResponsesMeta = z.infer<typeof ResponsesMeta>;

/** The meta of any other kind (a report, the demo world). */
export const OtherMeta = z.looseObject({});

/** Per kind: the schema of its manifest's meta. */
export const META_SCHEMAS = {
  judge: JudgeMeta,
  agreement: AgreementMeta,
  comparison: ComparisonMeta,
  gate: GateMeta,
  correlation: CorrelationMeta,
  validity: ValidityMeta,
  releases: ReleasesMeta,
  review: ReviewMeta,
  ratings: RatingsMeta,
  evalset: EvalsetMeta,
  responses: ResponsesMeta,
  report: OtherMeta,
  world: OtherMeta,
} as const;

/** An artifact kind whose meta has a schema. */
export type MetaKind = keyof typeof META_SCHEMAS;
/** The meta of a kind, as its schema reads it. */
export type MetaOf<K extends MetaKind> = z.infer<typeof META_SCHEMAS[K]>;

/**
 * The meta of a manifest, checked by its kind's schema.
 *
 * @throws {TypeError} `Cannot read "dir/manifest.json": field "meta.x": ...` when a field is wrong.
 */
export function metaOf<K extends MetaKind>(
  manifest: Pick<Manifest, "meta"> & Partial<Pick<Manifest, "kind" | "id">>,
  kind: K,
  dir = `${manifest.kind ?? kind}-${manifest.id ?? "?"}`,
): MetaOf<K> {
  const schema: z.ZodType<{ meta: unknown }> = z.object({
    meta: META_SCHEMAS[kind] as z.ZodType<unknown>,
  });
  return parseArtifactJson(`${dir}/manifest.json`, JSON.stringify({ meta: manifest.meta }), schema)
    .meta as MetaOf<K>;
}
