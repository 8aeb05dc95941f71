/**
 * `regress add`: turn a real failure into a held-out regression case.
 *
 * The case is built from an item of a judged run (its query or conversation),
 * the expected behaviour and the incident or ticket it came from; it is
 * anonymised (query, every turn and the expected behaviour, one numbering:
 * see {@link anonymizeItem}), dated with the day `now` gives (UTC) and
 * validated against the RegressionCase schema. A case whose id or normalised
 * query (the sampler's normalisation, see {@link normalizeQuery}) is already
 * in the file is refused.
 *
 * The regression file is append-only through the CLI: the case is appended
 * as one JSONL line by a single write on a file opened with O_APPEND (and
 * created when absent); nothing else in it is ever rewritten. This is the one
 * sanctioned write outside the artifacts module: the cases file is the user's
 * own record of failures, not an artifact. Two `regress add` runs at the same
 * moment on one file are not serialised: each checks for duplicates before
 * its append, so both could append the same query; run them one at a time.
 *
 * @module
 */
import { metaOf } from "../artifact_kinds.ts";
import { inputError, usageError } from "../_errors.ts";
import { locateInput, type Manifest, readManifest, resolveRecorded } from "../artifacts.ts";
import { collectRecords, readRecords } from "../io/read.ts";
import { EvalItem, KINDS, type RegressionCase } from "../schemas.ts";
import {
  DEFAULT_DIMENSION_SET,
  type DimensionSet,
  dimensionSetOf,
  regressionCaseSchema,
  scaleLabel,
} from "../dimensions.ts";
import { anonymizeItem, type PiiCounts } from "../sample/anonymize.ts";
import { normalizeQuery } from "./checks.ts";

/** Options for {@link addCase}. */
export interface AddCaseOptions {
  /** The item's id in the run's eval set. */
  item: string;
  /** What a good answer does (and avoids), in words for the judge. */
  expected: string;
  /** The incident or ticket, e.g. `INC-123`. */
  source: string;
  /** The new case's id. @default the next `case-NNN` after the file's highest */
  id?: string;
  /**
   * Minimum scores per dimension of the run's rubric (a judge run's; the kit's five for an
   * eval set). @default { correctness: 3 } when the rubric has correctness, else none
   */
  minScores?: Record<string, number>;
  /** Phrases the answer must contain. @default none */
  mustInclude?: string[];
  /** Phrases the answer must not contain. @default none */
  mustNotInclude?: string[];
  /** The clock: its UTC date is the case's `added_on`. @default () => new Date() */
  now?: () => Date;
}

/** What {@link addCase} did. */
export interface AddCaseResult {
  /** The case as appended. */
  case: RegressionCase;
  /** The cases file. */
  file: string;
  /** The file did not exist and was created. */
  created: boolean;
  /** PII replaced, per type. */
  pii: PiiCounts;
  /** Cases in the file after the append. */
  cases: number;
  /** What the user should know (the item sits in an eval set). */
  warnings: string[];
}

/**
 * The eval-set file a run names (a judge run's eval set, an eval-set artifact, or an
 * eval-set JSONL file), and the dimension set the case's `min_scores` may name: a judge
 * run's rubric, else the kit's five.
 */
async function sourceOf(fromRun: string): Promise<{ file: string; set: DimensionSet }> {
  const { file, manifest } = await evalsetOf(fromRun);
  const set = manifest?.kind === "judge" ? dimensionSetOf(manifest) : DEFAULT_DIMENSION_SET;
  return { file, set };
}

/**
 * The eval-set file a run names: a judge run's eval set, an eval-set artifact, or an eval-set
 * JSONL file; with the folder's manifest (null for a file).
 */
async function evalsetOf(fromRun: string): Promise<{ file: string; manifest: Manifest | null }> {
  let stat: Deno.FileInfo;
  try {
    stat = await Deno.stat(fromRun);
  } catch {
    throw inputError([{ file: fromRun, line: 0, problem: "no such file or folder", kind: "type" }]);
  }
  if (!stat.isDirectory) return { file: fromRun, manifest: null };
  const dir = fromRun.replace(/\/+$/, "");
  const manifest = await readManifest(dir).catch(() => null);
  if (manifest?.kind === "evalset") return { file: `${dir}/evalset.jsonl`, manifest };
  if (manifest?.kind === "judge") {
    const meta = metaOf(manifest, "judge", dir);
    if (meta.evalset?.file && meta.evalset.sha256) {
      const found = await locateInput(dir, meta.evalset.file, meta.evalset.sha256, meta.evalset.abs)
        .catch(() => null);
      if (found) return { file: found, manifest };
    }
    for (const recorded of [meta.evalset?.file, meta.evalset?.path]) {
      if (!recorded) continue;
      const candidate = resolveRecorded(dir, recorded);
      const s = await Deno.stat(candidate).catch(() => null);
      if (s?.isFile) return { file: candidate, manifest };
      if (s?.isDirectory) {
        return { file: `${candidate.replace(/\/+$/, "")}/evalset.jsonl`, manifest };
      }
    }
    throw inputError([{
      file: dir,
      line: 0,
      problem: `the eval set this run judged ("${
        meta.evalset?.file ?? meta.evalset?.path ?? "?"
      }") cannot be found`,
      kind: "type",
    }]);
  }
  throw inputError([{
    file: dir,
    line: 0,
    problem: manifest
      ? `${
        article(manifest.kind)
      } ${manifest.kind} artifact: --from-run takes a judgment run or an eval set`
      : "not an artifact folder (no manifest.json): --from-run takes a judgment run or an eval set",
    kind: "type",
  }]);
}

/**
 * The next free `case-NNN` id after the highest numbered one.
 *
 * @example
 * ```ts
 * import { nextCaseId } from "./add.ts";
 * if (nextCaseId(["case-001", "case-009"]) !== "case-010" || nextCaseId([]) !== "case-001") throw new Error();
 * ```
 */
export function nextCaseId(ids: readonly string[]): string {
  let max = 0;
  let width = 3;
  for (const id of ids) {
    const m = /^case-(\d+)$/.exec(id);
    if (m) {
      max = Math.max(max, Number(m[1]));
      width = Math.max(width, m[1].length);
    }
  }
  return `case-${String(max + 1).padStart(width, "0")}`;
}

/**
 * Append a regression case made from one item of a run.
 *
 * @param cases The regression cases file (JSONL; created when absent).
 * @param fromRun A judgment run folder, an eval-set artifact folder, or an eval-set JSONL file.
 * @param options The item, the expected behaviour, the source, optional checks.
 * @returns The case appended, and what was replaced.
 * @throws {TypeError} or {SyntaxError} (exit 2) A bad cases file or run, an unknown item.
 * @throws {RangeError} (exit 2) A duplicate id or query, or options that make an invalid case.
 *
 * @example
 * ```ts
 * import { addCase } from "./add.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/evalset.jsonl`, JSON.stringify({ id: "item-1", stratum: "billing",
 *   source_id: "log-1", query: "Refund jane@example.com's invoice?" }) + "\n");
 * const r = await addCase(`${dir}/cases.jsonl`, `${dir}/evalset.jsonl`, { item: "item-1",
 *   expected: "Explains Payments > Refund.", source: "INC-7", now: () => new Date("2026-09-01T12:00:00Z") });
 * if (r.case.id !== "case-001" || r.case.query !== "Refund <EMAIL_1>'s invoice?") throw new Error();
 * if (r.case.added_on !== "2026-09-01" || r.pii.email !== 1) throw new Error();
 * ```
 */
export async function addCase(
  cases: string,
  fromRun: string,
  options: AddCaseOptions,
): Promise<AddCaseResult> {
  const { file: evalFile, set } = await sourceOf(fromRun);
  const item = await findItem(evalFile, options.item);
  const file = await readCasesFile(cases, set);
  const id = options.id ?? nextCaseId(file.existing.map((c) => String(c.id)));
  const { record, parsed, pii } = caseRecord(item, id, options, set);
  refuseDuplicate(file.existing, parsed, cases, options.item);
  const line = JSON.stringify(record) + "\n";
  const text = file.lastByte !== null && file.lastByte !== 0x0a ? "\n" + line : line;
  // One write on an O_APPEND descriptor: the existing lines are never touched.
  await Deno.writeTextFile(cases, text, { append: true, create: true });
  return {
    case: parsed,
    file: cases,
    created: file.created,
    pii,
    cases: file.existing.length + 1,
    warnings: [
      `item "${options.item}" is in the eval set "${evalFile}": sample the next eval set with ` +
      `--exclude ${cases} so the case stays held out`,
    ],
  };
}

/** The eval item with this id. @throws {TypeError} naming the eval set when there is none. */
async function findItem(evalFile: string, id: string): Promise<EvalItem> {
  const items = await readRecords(evalFile, EvalItem, { key: KINDS.evalset.key });
  const item = items.find((i) => String(i.id) === id);
  if (item) return item;
  throw inputError([{
    file: evalFile,
    line: 0,
    field: "id",
    problem: `no item has id ${JSON.stringify(id)}`,
    kind: "type",
  }]);
}

/** The cases already in the file (none when it is absent) and its last byte, for appending. */
async function readCasesFile(
  cases: string,
  set: DimensionSet,
): Promise<{ existing: RegressionCase[]; created: boolean; lastByte: number | null }> {
  const stat = await Deno.stat(cases).catch(() => null);
  if (stat === null) return { existing: [], created: true, lastByte: null };
  if (stat.isDirectory) {
    throw inputError([{
      file: cases,
      line: 0,
      problem: "is a directory, not a file",
      kind: "type",
    }]);
  }
  if (stat.size === 0) return { existing: [], created: false, lastByte: null };
  const read = await collectRecords(cases, regressionCaseSchema(set), {
    key: KINDS.cases.key,
    allowEmpty: true,
  });
  if (read.issues.length > 0) throw inputError(read.issues);
  using f = await Deno.open(cases, { read: true });
  await f.seek(-1, Deno.SeekMode.End);
  const one = new Uint8Array(1);
  await f.read(one);
  return { existing: read.records, created: false, lastByte: one[0] };
}

/**
 * The minimum scores of a new case: the options', each on a dimension of `set`; by default
 * correctness 3 when the set has it.
 *
 * @throws {RangeError} A usage error for a dimension the rubric lacks, or no check at all.
 */
function minScoresFor(options: AddCaseOptions, set: DimensionSet): Record<string, number> {
  const names = set.dimensions;
  const given = options.minScores ?? (names.includes("correctness") ? { correctness: 3 } : {});
  const unknown = Object.keys(given).find((d) => !names.includes(d));
  if (unknown !== undefined) {
    throw usageError(
      `Refusing to add the case: --min-score ${unknown}: the run's rubric scores ` +
        `${names.join(", ")} (on ${scaleLabel(set.scale)})`,
    );
  }
  if (
    Object.keys(given).length === 0 && !options.mustInclude?.length &&
    !options.mustNotInclude?.length
  ) {
    throw usageError(
      `Refusing to add a case with no check: pass --min-score DIM=N (the run's rubric scores ` +
        `${names.join(", ")}), --must-include or --must-not-include`,
    );
  }
  return Object.fromEntries(names.filter((d) => given[d] !== undefined).map((d) => [d, given[d]]));
}

/** The case record, its conversation and expected behaviour anonymised, checked by its schema. */
function caseRecord(item: EvalItem, id: string, options: AddCaseOptions, set: DimensionSet) {
  const anonymized = anonymizeItem({
    ...(item.query !== undefined ? { query: item.query } : {}),
    ...(item.messages !== undefined ? { messages: item.messages } : {}),
    response: options.expected,
  });
  const minScores = minScoresFor(options, set);
  const record = {
    id,
    ...(anonymized.item.query !== undefined ? { query: anonymized.item.query } : {}),
    ...(anonymized.item.messages !== undefined ? { messages: anonymized.item.messages } : {}),
    expected_behavior: anonymized.item.response ?? "",
    added_on: (options.now ?? (() => new Date()))().toISOString().slice(0, 10),
    source: options.source,
    ...(Object.keys(minScores).length > 0 ? { min_scores: minScores } : {}),
    ...(options.mustInclude?.length ? { must_include: options.mustInclude } : {}),
    ...(options.mustNotInclude?.length ? { must_not_include: options.mustNotInclude } : {}),
  };
  const parsed = regressionCaseSchema(set).safeParse(record);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw usageError(
      `Refusing to add the case: field "${i.path.join(".")}": ${
        i.message.replace(/^Invalid input: /, "")
      }`,
    );
  }
  return { record, parsed: parsed.data, pii: anonymized.counts };
}

/** Refuse a case whose id, or whose normalised query, the file already has. */
function refuseDuplicate(
  existing: readonly RegressionCase[],
  record: RegressionCase,
  cases: string,
  item: string,
): void {
  const sameId = existing.find((c) => String(c.id) === String(record.id));
  if (sameId) {
    throw usageError(
      `Refusing to add "${record.id}" to "${cases}": a case with this id exists (source ${sameId.source}); ` +
        `pass another --id`,
    );
  }
  const norm = normalizeQuery(record);
  const sameQuery = existing.find((c) => normalizeQuery(c) === norm);
  if (sameQuery) {
    throw usageError(
      `Refusing to add item "${item}" to "${cases}": its query is already case ` +
        `"${sameQuery.id}" (added ${sameQuery.added_on} from ${sameQuery.source})`,
    );
  }
}

/** "a" or "an" before a word. */
function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}
