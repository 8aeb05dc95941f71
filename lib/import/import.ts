/**
 * `evalkit import ratings|judgments`: scores made elsewhere (another tool, a
 * spreadsheet, a published data set) into the kit's artifacts, on their own
 * dimensions and scale.
 *
 * - `import ratings F` writes a `ratings-<id>/ratings.jsonl` artifact that
 *   `agreement --ratings` reads, with the inter-rater alpha of each dimension in
 *   its summary.
 * - `import judgments F --judge-model M` writes a `judge-<id>/judgments.jsonl` run
 *   that `agreement --run`, `compare` and `report` read.
 *
 * Both record the dimension set and scale in the manifest (`meta.dimensions`,
 * `meta.scale`). Bad input is refused whole: every problem is listed as
 * `file:line: field: problem`, the exit code is 2 and nothing is written.
 *
 * @module
 */
import { inputError, usageError } from "../_errors.ts";
import { canonicalJson, sha256, sha256File } from "../_hash.ts";
import { type ArtifactResult, writeArtifact } from "../artifacts.ts";
import { alphaLevel, dimensionMeta, type DimensionSet, scaleLabel } from "../dimensions.ts";
import { iterateRecords } from "../io/read.ts";
import { toJsonl } from "../io/write.ts";
import type { InputIssue } from "../_errors.ts";
import { krippendorffAlpha } from "../stats/mod.ts";
import { IsoDate } from "../schemas.ts";
import { readScores, type ReadScoresOptions, type ScoreRow } from "./read.ts";
import { z } from "zod";

/** Options shared by both imports. */
export interface ImportOptions extends Omit<ReadScoresOptions, "items"> {
  /** A file of the known items (JSONL or CSV with `id` or `item_id`, or one id a line). */
  items?: string;
  /** The rubric file the dimensions came from (hashed into a judgment run's prompt sha). */
  rubric?: string;
  /** Where the artifact goes. @default "runs" */
  out?: string;
  /** The clock. @default () => new Date() */
  now?: () => Date;
}

/** Options of {@link importRatingsFile}. */
export interface ImportRatingsFileOptions extends ImportOptions {
  /** The day the ratings were made, `YYYY-MM-DD`. @default the import's day */
  date?: string;
  /** The Krippendorff level of the summary's alpha. @default from the scale */
  alphaLevel?: "nominal" | "ordinal" | "interval";
}

/** Options of {@link importJudgmentsFile}. */
export interface ImportJudgmentsFileOptions extends ImportOptions {
  /** The judge that made the scores. */
  judgeModel: string;
}

/** What an import wrote. */
export interface ImportResult {
  artifact: string;
  created: boolean;
  result: ArtifactResult;
  rows: ScoreRow[];
  /** The `--json` summary. */
  summary: Record<string, unknown>;
}

const AnyRecord = z.record(z.string(), z.unknown());

async function knownItems(path: string): Promise<Set<string>> {
  const issues: InputIssue[] = [];
  const ids = new Set<string>();
  if (/\.(jsonl|csv|parquet)$/i.test(path)) {
    for await (
      const { line, record } of iterateRecords(path, AnyRecord, { onIssue: (i) => issues.push(i) })
    ) {
      const id = record.id ?? record.item_id;
      if (id === undefined || id === null || String(id).trim() === "") {
        issues.push({ file: path, line, field: "id", problem: "missing", kind: "type" });
      } else ids.add(String(id).trim());
    }
  } else {
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch {
      throw inputError([{ file: path, line: 0, problem: "no such file", kind: "type" }]);
    }
    for (const line of text.split("\n")) if (line.trim() !== "") ids.add(line.trim());
  }
  if (issues.length > 0) throw inputError(issues);
  return ids;
}

async function readAll(file: string, options: ImportOptions): Promise<ScoreRow[]> {
  const items = options.items ? await knownItems(options.items) : undefined;
  const read = await readScores(file, { ...options, items });
  if (read.issues.length > 0) throw inputError(read.issues);
  if (read.rows.length === 0) throw usageError(`No scores in "${file}": every row is empty`);
  return read.rows;
}

function sourceParams(file: string, options: ImportOptions, set: DimensionSet) {
  return {
    file,
    layout: options.layout ?? "long",
    ...dimensionMeta(set),
    ...(options.map && Object.keys(options.map).length ? { map: options.map } : {}),
    ...(options.itemColumns ? { item_columns: options.itemColumns } : {}),
    ...(options.onlyRaters ? { only_raters: options.onlyRaters } : {}),
    ...(options.raters ? { raters: options.raters } : {}),
    ...(options.raterColumn ? { rater_column: options.raterColumn } : {}),
  };
}

/** Per dimension: Krippendorff's alpha over the raters, with the level and the items it used. */
export function raterAlpha(
  rows: readonly ScoreRow[],
  set: DimensionSet,
  level: "nominal" | "ordinal" | "interval" = alphaLevel(set.scale),
): Record<string, { alpha: number | null; level: string; items: number; raters: number }> {
  const raters = [...new Set(rows.map((r) => r.rater))].sort();
  const items = [...new Set(rows.map((r) => r.item_id))];
  const index = new Map(items.map((id, i) => [id, i]));
  const out: Record<
    string,
    { alpha: number | null; level: string; items: number; raters: number }
  > = {};
  for (const d of set.dimensions) {
    const data = raters.map(() => new Array<number | null>(items.length).fill(null));
    for (const r of rows) data[raters.indexOf(r.rater)][index.get(r.item_id)!] = r.scores[d];
    const pairable = items.filter((_, u) => data.filter((row) => row[u] !== null).length >= 2);
    const a = raters.length >= 2 && pairable.length > 0 ? krippendorffAlpha(data, { level }) : NaN;
    out[d] = {
      alpha: Number.isFinite(a) ? a : null,
      level,
      items: pairable.length,
      raters: raters.length,
    };
  }
  return out;
}

/**
 * Import per-rater ratings into a `ratings-<id>/` artifact.
 *
 * @param file A CSV or JSONL file of ratings (long or wide).
 * @param options The dimension set and how to read the file.
 * @throws {TypeError} Bad input: every problem as `file:line: field: problem`; nothing is written.
 *
 * @example Two raters on one own dimension, 1–10
 * ```ts
 * import { importRatingsFile } from "./import.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/r.csv`, "item_id,rater,helpful\nq1,ana,9\nq1,ben,8\n");
 * const r = await importRatingsFile(`${dir}/r.csv`, {
 *   set: { dimensions: ["helpful"], scale: { min: 1, max: 10 } },
 *   out: `${dir}/runs`,
 * });
 * if (r.summary.ratings !== 2) throw new Error("expected two ratings");
 * ```
 */
export async function importRatingsFile(
  file: string,
  options: ImportRatingsFileOptions,
): Promise<ImportResult> {
  if (options.date !== undefined && !IsoDate.safeParse(options.date).success) {
    throw usageError(`Invalid --date "${options.date}": expected YYYY-MM-DD`);
  }
  const rows = await readAll(file, { ...options, raterColumn: options.raterColumn ?? "rater" });
  const set = options.set;
  const ratings = rows.map((r) => ({
    item_id: r.item_id,
    rater: r.rater,
    ...r.scores,
    ...(r.notes !== undefined ? { notes: r.notes } : {}),
  }));
  const raters: Record<string, number> = {};
  for (const r of rows) raters[r.rater] = (raters[r.rater] ?? 0) + 1;
  const perItem = new Map<string, number>();
  for (const r of rows) perItem.set(r.item_id, (perItem.get(r.item_id) ?? 0) + 1);
  const overlap = [...perItem.values()].filter((c) => c >= 2).length;
  const alpha = raterAlpha(rows, set, options.alphaLevel);
  const now = options.now ?? (() => new Date());
  const result = await writeArtifact({
    kind: "ratings",
    out: options.out,
    command: "import ratings",
    params: {
      ...sourceParams(file, options, set),
      ...(options.date ? { date: options.date } : {}),
    },
    inputs: [file, ...(options.items ? [options.items] : [])],
    files: { "ratings.jsonl": toJsonl(ratings) },
    now,
    meta: {
      ...dimensionMeta(set),
      imported: { file, layout: options.layout ?? "long" },
      rated_on: options.date ?? now().toISOString().slice(0, 10),
      raters: Object.fromEntries(
        Object.entries(raters).map(([r, n]) => [r, { rated: n, missing: perItem.size - n }]),
      ),
      items: perItem.size,
      overlap,
      alpha,
    },
  });
  return {
    artifact: result.dir,
    created: result.created,
    result,
    rows,
    summary: {
      artifact: result.dir,
      ratings: rows.length,
      items: perItem.size,
      overlap,
      raters,
      dimensions: [...set.dimensions],
      scale: scaleLabel(set.scale),
      alpha,
    },
  };
}

/**
 * Refuse a judgments import without a judge, or a wide file without the one rater
 * whose scores are the judge's.
 *
 * @returns Whether the file is wide.
 */
function checkJudgmentsUsage(options: ImportJudgmentsFileOptions): boolean {
  if (!options.judgeModel || options.judgeModel.trim() === "") {
    throw usageError("Missing required flag --judge-model: the judge that made the scores");
  }
  const wide = options.layout === "wide";
  if (wide && options.onlyRaters?.length !== 1) {
    throw usageError(
      "--layout wide needs --only-raters NAME: the one rater of the file whose scores are the judge's",
    );
  }
  return wide;
}

/**
 * Imported scores as judgments (SPEC §4): judged ok by `judgeModel` under the
 * prompt `promptSha`, the notes as the rationale, no usage, and the row's model
 * when it names one.
 *
 * @example
 * ```ts
 * import { importedJudgments } from "./import.ts";
 * const [j] = importedJudgments([{ item_id: "q1", rater: "", scores: { helpful: 9 }, line: 2 }], "vendor", "ab");
 * if (j.status !== "ok" || j.rationale !== "" || j.judge_model !== "vendor" || "model" in j) throw new Error();
 * ```
 */
export function importedJudgments(
  rows: readonly ScoreRow[],
  judgeModel: string,
  promptSha: string,
): Record<string, unknown>[] {
  return rows.map((r) => ({
    item_id: r.item_id,
    judge_model: judgeModel,
    prompt_sha256: promptSha,
    scores: r.scores,
    rationale: r.notes ?? "",
    usage: { prompt_tokens: 0, completion_tokens: 0 },
    status: "ok",
    ...(r.model ? { model: r.model } : {}),
  }));
}

/** The manifest's record of the items file an import was checked against. */
async function evalsetMeta(
  items: string,
): Promise<{ path: string; file: string; abs: string; sha256: string }> {
  return {
    path: items,
    file: items,
    abs: await Deno.realPath(items),
    sha256: await sha256File(items),
  };
}

/**
 * Import a judge's scores into a `judge-<id>/` run.
 *
 * @param file A CSV or JSONL file, one row per item (and `model`, when it names one).
 * @param options The judge's name, the dimension set and how to read the file.
 * @throws {TypeError} Bad input: every problem as `file:line: field: problem`; nothing is written.
 *
 * @example A vendor judge's scores
 * ```ts
 * import { importJudgmentsFile } from "./import.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/j.csv`, "item_id,helpful\nq1,9\nq2,3\n");
 * const r = await importJudgmentsFile(`${dir}/j.csv`, {
 *   judgeModel: "vendor-judge",
 *   set: { dimensions: ["helpful"], scale: { min: 1, max: 10 } },
 *   out: `${dir}/runs`,
 * });
 * if (r.summary.judgments !== 2) throw new Error("expected two judgments");
 * ```
 */
export async function importJudgmentsFile(
  file: string,
  options: ImportJudgmentsFileOptions,
): Promise<ImportResult> {
  const wide = checkJudgmentsUsage(options);
  const rows = await readAll(file, { ...options, raterColumn: wide ? undefined : null });
  const set = options.set;
  const promptSha = options.rubric
    ? await sha256File(options.rubric)
    : sha256(canonicalJson({ imported: dimensionMeta(set) }));
  const judgments = importedJudgments(rows, options.judgeModel, promptSha);
  const models = [...new Set(rows.map((r) => r.model).filter((m) => m !== undefined))];
  const result = await writeArtifact({
    kind: "judge",
    out: options.out,
    command: "import judgments",
    params: { ...sourceParams(file, options, set), judge_model: options.judgeModel },
    inputs: [
      file,
      ...(options.items ? [options.items] : []),
      ...(options.rubric ? [options.rubric] : []),
    ],
    files: { "judgments.jsonl": toJsonl(judgments) },
    now: options.now,
    meta: {
      ...dimensionMeta(set),
      imported: { file },
      judge_model: options.judgeModel,
      judge_family: null,
      self_judged: false,
      prompt: { name: "imported", path: options.rubric ?? null, sha256: promptSha },
      prompt_sha256: promptSha,
      source: "imported",
      ...(options.items ? { evalset: await evalsetMeta(options.items) } : {}),
      responses: null,
      models,
      counts: { items: rows.length, ok: rows.length, failed: 0 },
      cost_usd: 0,
    },
  });
  return {
    artifact: result.dir,
    created: result.created,
    result,
    rows,
    summary: {
      artifact: result.dir,
      judgments: rows.length,
      judge_model: options.judgeModel,
      dimensions: [...set.dimensions],
      scale: scaleLabel(set.scale),
      prompt_sha256: promptSha,
    },
  };
}
