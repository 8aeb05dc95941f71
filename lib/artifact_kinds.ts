/**
 * Every artifact kind read back, typed: the zod schema of each kind's manifest `meta`, the
 * schema of its main file, and the one function that opens an artifact,
 * {@link readArtifact}. The report, the status, the investigation and every history read
 * artifacts through it, so a hand-edited or truncated artifact gets the same message
 * everywhere: `Cannot read "…/manifest.json": field "…": …` (exit 2).
 *
 * The meta schemas (in `artifact_meta.ts`) are loose: a field that is present must have its
 * type, a field that is missing reads as absent, and fields a newer kit adds pass through.
 *
 * @module
 */
import { z } from "zod";
import { inputError } from "./_errors.ts";
import { type Manifest, parseArtifactJson, readManifest } from "./artifacts.ts";
import { type AgreementMeta, type MetaKind, type MetaOf, metaOf } from "./artifact_meta.ts";
import type { AgreementReport } from "./agreement/compute.ts";
import type { JudgeDrift } from "./agreement/rejudge.ts";
import type { Comparison } from "./compare/run.ts";
import type { CorrelationResult } from "./correlate/correlate.ts";
import { rankDimensions, verdictLists } from "./correlate/rank.ts";
import { ValidityFile } from "./validity/schema.ts";

export {
  AgreementMeta,
  ComparisonMeta,
  CorrelationMeta,
  EvalsetMeta,
  GateMeta,
  JudgeMeta,
  metaOf,
  OtherMeta,
  RatingsMeta,
  ReleasesMeta,
  ResponsesMeta,
  ReviewMeta,
} from "./artifact_meta.ts";
import { GateReport } from "./regress/gate_report.ts";

const DimensionAgreementFile = z.looseObject({
  verdict: z.string(),
  value: z.number().nullable(),
  ci: z.tuple([z.number().nullable(), z.number().nullable()]),
  judge_vs_humans: z.looseObject({ n: z.number() }).catchall(z.unknown()),
  means: z.looseObject({ diff: z.number().nullable() }),
});

/** `agreement.json` of a plain agreement check: the fields its readers use, checked. */
export const AgreementFile = z.looseObject({
  metric: z.string(),
  threshold: z.number(),
  verdict: z.string(),
  recalibrate: z.array(z.string()),
  raters: z.array(z.string()),
  items: z.looseObject({ compared: z.number(), overlap: z.number() }),
  dimensions: z.record(z.string(), DimensionAgreementFile),
  disagreements: z.array(z.looseObject({
    item_id: z.union([z.string(), z.number()]),
    dimension: z.string(),
    judge: z.number(),
    human_mean: z.number(),
  })),
}).transform((v) => v as unknown as AgreementReport);

/** `agreement.json` of a re-judge check. */
export const RejudgeFile = z.looseObject({ verdict: z.string() }).transform((v) =>
  v as unknown as JudgeDrift
);

/** `agreement.json` of a prompt comparison. */
export const PromptComparisonFile = z.looseObject({});

const RunInfoFile = z.looseObject({
  artifact: z.string(),
  judge_model: z.string(),
  models: z.array(z.string()),
  self_judged: z.boolean(),
});

/** `comparison.json`: the fields its readers use, checked. */
export const ComparisonFile = z.looseObject({
  n: z.number(),
  baseline: RunInfoFile,
  candidate: RunInfoFile,
  dimensions: z.record(
    z.string(),
    z.looseObject({
      diff: z.number(),
      ci: z.tuple([z.number(), z.number()]),
      mdd: z.number().nullable().optional(),
    }),
  ),
  left_out: z.looseObject({ total: z.number() }),
  warnings: z.array(z.string()),
}).transform((v) => v as unknown as Comparison);

/** `gate.json`, the whole report: its type is the schema's (`lib/regress/gate_report.ts`). */
export const GateFile = GateReport;

/** `correlation.json`: the fields its readers use, checked. */
export const CorrelationFile = z.looseObject({
  quarter: z.string(),
  as_of: z.string(),
  releases: z.array(z.looseObject({
    release: z.string(),
    date: z.string(),
    runs: z.array(z.string()),
  })),
  pairs: z.array(z.unknown()),
  skipped: z.array(z.looseObject({ from: z.string(), to: z.string(), reason: z.string() })),
  dimensions: z.record(
    z.string(),
    z.record(
      z.string(),
      z.looseObject({
        n: z.number(),
        oriented: z.number().nullable(),
        oriented_ci: z.tuple([z.number(), z.number()]).nullable(),
      }),
    ),
  ),
  ranking: z.record(z.string(), z.array(z.looseObject({ verdict: z.string() }))),
  /** Absent from artifacts written before the honest verdicts: then re-derived from `dimensions`. */
  predicts_prod: z.record(z.string(), z.array(z.string())).optional(),
  moves_against_prod: z.record(z.string(), z.array(z.string())).optional(),
  not_enough_evidence: z.record(z.string(), z.array(z.string())).optional(),
  warnings: z.array(z.string()),
}).transform((v) => {
  if (v.predicts_prod && v.moves_against_prod && v.not_enough_evidence) {
    return v as unknown as CorrelationResult;
  }
  // An artifact from before the honest verdicts ("watch", "stop celebrating"): its cells
  // are the same statistics, so the verdicts are re-derived from them.
  const { watch: _w, stop_celebrating: _s, ...rest } = v as Record<string, unknown>;
  const ranking = rankDimensions(v.dimensions as unknown as CorrelationResult["dimensions"]);
  return { ...rest, ranking, ...verdictLists(ranking) } as unknown as CorrelationResult;
});

/** `strata.json` beside an eval set: the mix it was drawn from (its readers use `mix.prod`). */
export const StrataFile = z.looseObject({
  column: z.string().nullable().optional(),
  mix: z.looseObject({
    prod: z.record(z.string(), z.number()).optional(),
    eval: z.record(z.string(), z.number()).optional(),
  }).optional(),
});

/**
 * The prod mix an eval set was drawn from: `mix.prod` of the `strata.json` beside the
 * eval-set file, or null when there is none (an eval set that is not an artifact).
 *
 * @param evalFile The eval-set file (`…/evalset-<id>/evalset.jsonl`).
 * @returns The mix and the file it came from, or null.
 * @throws {TypeError} or {SyntaxError} when the `strata.json` there is broken.
 *
 * @example
 * ```ts
 * import { readProdMix } from "./artifact_kinds.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/strata.json`, '{"mix": {"prod": {"billing": 0.6, "other": 0.4}}}');
 * if ((await readProdMix(`${dir}/evalset.jsonl`))?.mix.billing !== 0.6) throw new Error();
 * if (await readProdMix("nowhere/evalset.jsonl") !== null) throw new Error();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readProdMix(
  evalFile: string,
): Promise<{ mix: Record<string, number>; file: string } | null> {
  const file = `${evalFile.slice(0, evalFile.lastIndexOf("/") + 1)}strata.json`;
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch {
    return null;
  }
  const mix = parseArtifactJson(file, text, StrataFile).mix?.prod;
  return mix && Object.keys(mix).length > 0 ? { mix, file } : null;
}

/**
 * Per kind (each kind whose meta `artifact_meta.ts` checks): for kinds with a JSON main file,
 * the file and its schema.
 */
const KINDS = {
  judge: { file: null, main: null },
  agreement: { file: "agreement.json", main: null },
  comparison: { file: "comparison.json", main: ComparisonFile },
  gate: { file: "gate.json", main: GateFile },
  correlation: { file: "correlation.json", main: CorrelationFile },
  validity: { file: "validity.json", main: ValidityFile },
  releases: { file: null, main: null },
  review: { file: null, main: null },
  ratings: { file: null, main: null },
  evalset: { file: null, main: null },
  responses: { file: null, main: null },
  report: { file: null, main: null },
  world: { file: null, main: null },
} as const satisfies Record<MetaKind, { file: string | null; main: z.ZodType | null }>;

/** An artifact kind {@link readArtifact} knows. */
export type ArtifactKind = keyof typeof KINDS;
/** The artifact kinds {@link readArtifact} knows. */
export const ARTIFACT_KINDS = Object.keys(KINDS) as ArtifactKind[];

type MainOf<K extends ArtifactKind> = K extends "agreement" ? AgreementReport | JudgeDrift
  : typeof KINDS[K]["main"] extends z.ZodType ? z.infer<NonNullable<typeof KINDS[K]["main"]>>
  : null;

/** An artifact read back: its folder, manifest, typed meta and (for JSON kinds) main file. */
export interface Artifact<K extends ArtifactKind> {
  /** The folder as given, without a trailing slash. */
  dir: string;
  /** The folder's name, `<kind>-<id>`. */
  name: string;
  manifest: Manifest;
  meta: MetaOf<K>;
  /** The main file parsed by its schema; null for kinds whose main file is JSONL, CSV or HTML. */
  data: MainOf<K>;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}

/** How messages name an artifact of a kind: "a judgment run", "a gate artifact". */
function named(kind: string): string {
  return kind === "judge" ? "a judgment run" : `${article(kind)} ${kind} artifact`;
}

/**
 * Open an artifact of a given kind: the manifest checked by its schema, the meta by the
 * kind's, the main file (for kinds with a JSON one) by its own.
 *
 * @param dir The artifact folder.
 * @param kind The kind it must be.
 * @param flag The flag the folder came from, named in messages (e.g. `"--gate"`). @default none
 * @returns The folder, manifest, meta and main file.
 * @throws {TypeError} `Cannot read "dir": ...` when it is not an artifact folder or of another
 *   kind, or a field of its manifest or main file is wrong.
 * @throws {SyntaxError} When the manifest or main file is not JSON (truncated, hand-edited).
 *
 * @example
 * ```ts
 * import { writeArtifact } from "./artifacts.ts";
 * import { readArtifact } from "./artifact_kinds.ts";
 * const out = await Deno.makeTempDir();
 * const { dir } = await writeArtifact({ kind: "releases", out, command: "example", params: {},
 *   files: { "releases.csv": "release,date\n" }, meta: { runs: { r1: "runs/judge-0a1b2c" } } });
 * const read = await readArtifact(dir, "releases");
 * if (read.meta.runs?.r1 !== "runs/judge-0a1b2c") throw new Error();
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function readArtifact<K extends ArtifactKind>(
  dir: string,
  kind: K,
  flag?: string,
): Promise<Artifact<K>> {
  const base = dir.replace(/\/+$/, "") || "/";
  const takes = flag ? `; ${flag} takes ${named(kind)}` : "";
  let manifest: Manifest;
  try {
    manifest = await readManifest(base);
  } catch (e) {
    if (e instanceof TypeError && /not an artifact folder/.test(e.message)) {
      const exists = await Deno.stat(base).then(() => true, () => false);
      throw inputError([{
        file: base,
        line: 0,
        problem: (exists ? "not an artifact folder (no manifest.json)" : "no such folder") + takes,
        kind: "type",
      }]);
    }
    throw e;
  }
  if (manifest.kind !== kind) {
    throw inputError([{
      file: base,
      line: 0,
      problem: `${named(manifest.kind)}, not ${named(kind)}${flag ? ` (${flag})` : ""}`,
      kind: "type",
    }]);
  }
  const meta = metaOf(manifest, kind, base);
  const name = base.split("/").pop() ?? base;
  return { dir: base, name, manifest, meta, data: await readMain(base, kind, meta) as MainOf<K> };
}

async function readMain(dir: string, kind: ArtifactKind, meta: unknown): Promise<unknown> {
  const spec = KINDS[kind];
  if (spec.file === null) return null;
  const path = `${dir}/${spec.file}`;
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    throw inputError([{ file: path, line: 0, problem: "missing", kind: "type" }]);
  }
  if (kind === "agreement") {
    const mode = (meta as AgreementMeta).mode ?? "agreement";
    const schema = mode === "rejudge"
      ? RejudgeFile
      : mode === "compare"
      ? PromptComparisonFile
      : AgreementFile;
    return parseArtifactJson(path, text, schema);
  }
  return parseArtifactJson(path, text, spec.main!);
}
