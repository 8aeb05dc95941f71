/**
 * Sample real production queries into an eval set: read the logs through
 * DuckDB (the whole log never enters the JS heap), validate them, draw the
 * seeded stratified sample with the same SQL `--emit-sql duckdb` prints,
 * then anonymise what was drawn before anything is written.
 *
 * @module
 */
import { z } from "zod";
import { inputError, type InputIssue, usageError } from "../_errors.ts";
import { type ArtifactResult, writeArtifact } from "../artifacts.ts";
import { toJsonl } from "../io/write.ts";
import { openDuckDB, readFunction, sqlString } from "../io/duckdb.ts";
import { collectRecords, formatOf, readRecords } from "../io/read.ts";
import { timestampCheck } from "../io/log_fields.ts";
import { readLines } from "../io/_text.ts";
import {
  type EvalItem,
  type Message,
  Messages,
  ProdLogRecord,
  RegressionCase,
} from "../schemas.ts";
import { type HasQuery, queryText } from "../messages.ts";
import { anonymizeItem, type PiiType } from "./anonymize.ts";
import {
  duckFetchSql,
  type DuckSource,
  duckSourceSql,
  SAMPLE_FIELDS,
  sampleSql,
  type SampleSqlParams,
} from "./sql.ts";
import { type Allocation, type MixComparison, mixComparison } from "./mix.ts";
import {
  type CellRow,
  checkOversample,
  type Oversample,
  type OversampleSummary,
  summarizeCells,
} from "./oversample.ts";

/** Options for {@link sampleLogs}. */
export interface SampleOptions {
  /** Log files or glob patterns (`*`, `?` in the file name): JSONL, CSV or Parquet. */
  logs: readonly string[];
  /** How many items to draw. */
  n: number;
  /** The seed; the same seed and inputs give the same sample. */
  seed: string | number;
  /** The column that defines strata. @default "topic" */
  strata?: string;
  /** Stratum → share (sums to 1 ± 0.001); absent: the mix observed in the window. */
  mix?: Record<string, number>;
  /** Inclusive start of the window (ISO date or date-time). */
  since?: string;
  /** End of the window: a date is inclusive (the whole day), a date-time exclusive. */
  until?: string;
  /** Regression-case files whose queries are held out. @default [] */
  exclude?: readonly string[];
  /** Field → column renames for the logs. @default {} */
  map?: Record<string, string>;
  /** DuckDB's memory limit; it spills to disk beyond it. @default "512MB" */
  memoryLimit?: string;
  /**
   * Feedback group → its share of each stratum's draw (`--oversample down=0.3`); items
   * then carry an inclusion `weight`. @default none: no groups, no weights
   */
  oversample?: Oversample;
}

/** The sample, its summary, and what it was drawn with. */
export interface SampleResult {
  items: EvalItem[];
  /** The files read, after glob expansion. */
  files: string[];
  summary: SampleSummary;
  /** The DuckDB query that draws this sample from the files. */
  sql: string;
}

/** The `sample --json` summary (without the artifact folder). */
export interface SampleSummary {
  n: number;
  requested: number;
  seed: string;
  strata_column: string;
  strata: Record<string, { target: number; got: number; available: number }>;
  mix: MixComparison;
  pii: Record<string, number>;
  rows: number;
  in_window: number;
  excluded: number;
  duplicates_removed: number;
  population: number;
  warnings: string[];
  /** With `oversample` only: the cells drawn and their inclusion weights. */
  oversample?: OversampleSummary;
}

/**
 * Expand glob patterns (`*` and `?` in the last path segment) into sorted file paths.
 *
 * @example
 * ```ts
 * import { expandGlobs } from "./sample.ts";
 * const files = await expandGlobs(["data/demo/responses/r0*.jsonl"]);
 * if (files.length !== 9 || !files[0].endsWith("r01.jsonl")) throw new Error(files.join());
 * ```
 */
export async function expandGlobs(patterns: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const pattern of patterns) {
    const slash = pattern.lastIndexOf("/");
    const dir = slash >= 0 ? pattern.slice(0, slash) || "/" : ".";
    const name = pattern.slice(slash + 1);
    if (!/[*?]/.test(name)) {
      files.push(pattern);
      continue;
    }
    const re = new RegExp(
      "^" + name.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".") +
        "$",
    );
    const matched: string[] = [];
    try {
      for await (const e of Deno.readDir(dir)) {
        if (e.isFile && re.test(e.name)) matched.push(slash >= 0 ? `${dir}/${e.name}` : e.name);
      }
    } catch {
      // An unreadable folder matches nothing; reported below.
    }
    if (matched.length === 0) {
      throw inputError([{ file: pattern, line: 0, problem: "no file matches", kind: "type" }]);
    }
    files.push(...matched.sort());
  }
  return [...new Set(files)];
}

const MixFile = z.record(z.string().min(1), z.number().min(0).max(1));

/**
 * Read and check a mix file: JSON shares per stratum summing to 1 ± 0.001.
 *
 * @throws {SyntaxError} Not JSON. @throws {TypeError} Not an object of numbers.
 * @throws {RangeError} Shares that do not sum to 1 ± 0.001.
 *
 * @example
 * ```ts
 * import { readMix } from "./sample.ts";
 * const file = await Deno.makeTempFile({ suffix: ".json" });
 * await Deno.writeTextFile(file, '{"billing": 0.6, "other": 0.4}');
 * if ((await readMix(file)).billing !== 0.6) throw new Error();
 * await Deno.remove(file);
 * ```
 */
export async function readMix(file: string): Promise<Record<string, number>> {
  let raw: unknown;
  try {
    raw = JSON.parse(await Deno.readTextFile(file));
  } catch (e) {
    const problem = e instanceof Deno.errors.NotFound
      ? "no such file"
      : `malformed JSON: ${(e as Error).message}`;
    throw inputError([{ file, line: 0, problem, kind: "syntax" }]);
  }
  const parsed = MixFile.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw inputError([{
      file,
      line: 0,
      field: i.path.join(".") || undefined,
      problem:
        'expected a JSON object of shares between 0 and 1, e.g. {"billing":0.6,"technical":0.4}',
      kind: "type",
    }]);
  }
  const sum = Object.values(parsed.data).reduce((a, b) => a + b, 0);
  if (Object.keys(parsed.data).length === 0 || Math.abs(sum - 1) > 0.001) {
    throw inputError([{
      file,
      line: 0,
      problem: `shares sum to ${Number(sum.toFixed(6))}, expected 1 ± 0.001`,
      kind: "range",
    }]);
  }
  return parsed.data;
}

/**
 * The text of a query or conversation, as the sample's SQL sees it: lib/messages.ts queryText.
 *
 * @example
 * ```ts
 * import { recordText } from "./sample.ts";
 * if (recordText({ query: "Hi" }) !== "Hi") throw new Error();
 * ```
 */
export function recordText(r: HasQuery): string {
  return queryText(r);
}

/**
 * A `--since`/`--until` value as the instant the SQL compares with: a date
 * starts its day (`--until` a date includes that day), a date-time is itself.
 */
export function windowBound(
  value: string | undefined,
  flag: string,
  end: boolean,
): string | undefined {
  if (value === undefined) return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const t = Date.parse(dateOnly ? value + "T00:00:00Z" : value);
  if (Number.isNaN(t)) {
    throw usageError(`Invalid --${flag} "${value}": expected an ISO 8601 date or date-time`);
  }
  const ms = dateOnly && end ? t + 86_400_000 : t;
  return new Date(ms).toISOString();
}

async function describeColumns(
  conn: Awaited<ReturnType<typeof openDuckDB>>["conn"],
  source: DuckSource,
): Promise<string[]> {
  const from = source.format === "csv"
    ? `read_csv([${
      source.files.map(sqlString).join(", ")
    }], header = true, all_varchar = true, union_by_name = true)`
    : source.format === "parquet"
    ? `read_parquet([${source.files.map(sqlString).join(", ")}], union_by_name = true)`
    : `read_json([${
      source.files.map(sqlString).join(", ")
    }], format = 'newline_delimited', union_by_name = true)`;
  const rows = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`)).getRowObjectsJson();
  return rows.map((r) => String(r.column_name));
}

/** The line (JSONL, CSV) or row (Parquet) of the record with this id, for error messages. */
async function locate(
  file: string,
  idColumn: string,
  id: string,
): Promise<{ line: number; unit: "line" | "row" }> {
  const format = formatOf(file);
  if (format === "jsonl") {
    const dec = new TextDecoder();
    for await (const { line, bytes } of readLines(file)) {
      try {
        const v = JSON.parse(dec.decode(bytes));
        if (String(v?.[idColumn]) === id) return { line, unit: "line" };
      } catch {
        // Not this line.
      }
    }
    return { line: 0, unit: "line" };
  }
  const db = await openDuckDB();
  try {
    await db.conn.run("SET preserve_insertion_order = true");
    const rows = (await db.conn.runAndReadAll(
      `SELECT rn FROM (SELECT row_number() OVER () AS rn, CAST(${
        JSON.stringify(idColumn)
      } AS VARCHAR) AS id FROM ${readFunction(file, format)}) WHERE id = ${sqlString(id)} LIMIT 1`,
    )).getRowObjectsJson();
    const rn = rows.length ? Number(rows[0].rn) : 0;
    return format === "csv" ? { line: rn ? rn + 1 : 0, unit: "line" } : { line: rn, unit: "row" };
  } finally {
    db.close();
  }
}

/**
 * Draw a seeded, stratified, deduplicated and anonymised sample of prod logs.
 *
 * @param options What to sample and how.
 * @returns The eval items (anonymised), the files read, the summary and the SQL.
 * @throws {RangeError} Bad parameters (n, window, mix naming an absent stratum, n above the
 * population, an oversample {@link checkOversample} refuses).
 * @throws {TypeError} Bad logs (missing query or strata column, bad ids; with `oversample`, no
 * feedback column or a feedback value that does not read), naming file, line and field.
 *
 * @example
 * ```ts
 * import { sampleLogs } from "./sample.ts";
 * import { demoPaths } from "../demo_world.ts";
 * const s = await sampleLogs({ logs: [demoPaths().logs], n: 50, seed: "doc", mix: { billing: 0.6, technical: 0.2, account: 0.1, other: 0.1 } });
 * if (s.items.length !== 50 || s.summary.strata.billing.got !== 30) throw new Error(JSON.stringify(s.summary.strata));
 * ```
 */
export async function sampleLogs(options: SampleOptions): Promise<SampleResult> {
  const input = await resolveInput(options);
  const db = await openDuckDB();
  try {
    const conn = db.conn;
    await conn.run("SET TimeZone = 'UTC'");
    await conn.run("SET preserve_insertion_order = false");
    // Bounded memory: DuckDB spills to a temporary folder beyond this.
    await conn.run(`SET memory_limit = '${options.memoryLimit ?? "512MB"}'`);
    const sources = await readSources(conn, input);
    const params: SampleSqlParams = {
      n: input.n,
      seed: input.seed,
      strata: input.strata,
      mix: options.mix,
      since: input.since,
      until: input.until,
      exclude: input.exclude,
      map: input.map,
      sources,
      ...(input.oversample ? { oversample: input.oversample } : {}),
    };
    const decision = await decide(conn, params, input);
    checkAllocation(decision, options.mix, input.n);
    const rows = await drawRows(conn, params, decision.local);
    const cells = input.oversample ? summarizeCells(input.oversample, decision.cells) : null;
    const warnings = [
      ...decision.warnings,
      ...allocationWarnings(decision.allocation, input.strata, options.mix),
      ...(cells?.warnings ?? []),
    ];
    const { items, pii } = toEvalItems(rows);
    const summary = summarize(input, decision, { items, pii, warnings, mix: options.mix });
    if (cells) summary.oversample = cells.summary;
    return { items, files: input.files, summary, sql: sampleSql("duckdb", params, "sample") };
  } finally {
    db.close();
  }
}

type Conn = Awaited<ReturnType<typeof openDuckDB>>["conn"];

/** The checked options of {@link sampleLogs}, the files by format and the held-out texts. */
interface SampleInput {
  n: number;
  seed: string;
  strata: string;
  map: Record<string, string>;
  idColumn: string;
  since?: string;
  until?: string;
  files: string[];
  byFormat: Map<DuckSource["format"], string[]>;
  exclude: string[];
  oversample?: Oversample;
}

/** Check the parameters, expand and group the files, read the held-out cases. */
async function resolveInput(options: SampleOptions): Promise<SampleInput> {
  const n = options.n;
  if (!Number.isInteger(n) || n < 1) {
    throw usageError(`Invalid --n "${n}": expected a positive integer`);
  }
  const map = options.map ?? {};
  const oversample = options.oversample ? checkOversample(options.oversample) : undefined;
  const since = windowBound(options.since, "since", false);
  const until = windowBound(options.until, "until", true);
  if (since && until && since >= until) {
    throw usageError(
      `Empty window: --since ${options.since} is not before --until ${options.until}`,
    );
  }
  const files = await expandGlobs(options.logs);
  if (files.length === 0) throw usageError("No --logs files given");
  const byFormat = new Map<DuckSource["format"], string[]>();
  for (const f of files) {
    try {
      await Deno.stat(f);
    } catch {
      throw inputError([{ file: f, line: 0, problem: "no such file", kind: "type" }]);
    }
    const fmt = formatOf(f);
    byFormat.set(fmt, [...(byFormat.get(fmt) ?? []), f]);
  }
  const exclude: string[] = [];
  for (const file of options.exclude ?? []) {
    for (const c of await readRecords(file, RegressionCase, { key: ["id"] })) {
      exclude.push(recordText(c));
    }
  }
  return {
    n,
    seed: String(options.seed),
    strata: options.strata ?? "topic",
    map,
    idColumn: map.id ?? "id",
    since,
    until,
    files,
    byFormat,
    exclude,
    ...(oversample ? { oversample } : {}),
  };
}

/** Each format's files as a DuckDB source, after checking they hold the columns the sample needs. */
async function readSources(conn: Conn, input: SampleInput): Promise<DuckSource[]> {
  const { strata, map } = input;
  const sources: DuckSource[] = [];
  for (const [format, fs] of input.byFormat) {
    let columns: string[];
    try {
      columns = await describeColumns(conn, { format, files: fs });
    } catch (e) {
      throw inputError([{
        file: fs.join(", "),
        line: 0,
        problem: `cannot read as ${format}: ${(e as Error).message.split("\n")[0]}`,
        kind: "syntax",
      }]);
    }
    const has = (c: string) => columns.includes(c);
    const listed = columns.map((c) => `"${c}"`).join(", ");
    const missing = (field: string, column: string) =>
      inputError([{
        file: fs[0],
        line: 1,
        field: column,
        problem: `missing column${
          column !== field ? ` (mapped to "${field}")` : ""
        }; columns are ${listed}`,
        kind: "type",
      }]);
    if (!has(strata)) {
      throw inputError([{
        file: fs[0],
        line: 1,
        field: strata,
        problem: `unknown strata column; columns are ${listed}`,
        kind: "type",
      }]);
    }
    for (const f of ["id", "ts"]) if (!has(map[f] ?? f)) throw missing(f, map[f] ?? f);
    if (!has(map.query ?? "query") && !has(map.messages ?? "messages")) {
      throw missing("query", map.query ?? "query");
    }
    if (input.oversample && !has(map.feedback ?? "feedback")) {
      throw inputError([{
        file: fs[0],
        line: 1,
        field: map.feedback ?? "feedback",
        problem: `missing column: --oversample draws by the users' feedback; columns are ${listed}`,
        kind: "type",
      }]);
    }
    sources.push({ format, files: fs, columns });
  }
  return sources;
}

type Row = Record<string, unknown>;

/** What the narrow tables decide: counts, per-stratum allocation, and the SQL params over them. */
interface Decision {
  warnings: string[];
  counts: Row;
  allocation: (Omit<Allocation, "stratum"> & { stratum: string | null })[];
  population: number;
  local: SampleSqlParams;
  /** With oversampling: per stratum × feedback group, records, seats and draws. */
  cells: CellRow[];
}

/** Read the files once into narrow tables, validate them, and allocate the seats. */
async function decide(conn: Conn, params: SampleSqlParams, input: SampleInput): Promise<Decision> {
  const { files, idColumn } = input;
  const sources = params.sources ?? [];
  await conn.run(`CREATE TEMP TABLE logs_src AS ${duckSourceSql(params)}`);
  const warnings = await checkLogs(conn, files, input.map, input.oversample !== undefined);
  await validateLogs(conn, files.length === 1 ? files[0] : undefined, idColumn, sources);
  const q = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJson();
  await conn.run(
    `CREATE TEMP TABLE logs_dedup AS ${
      sampleSql("duckdb", { ...params, materialized: "logs_src" }, "dedup")
    }`,
  );
  const local = { ...params, materialized: "logs_src", dedupTable: "logs_dedup" };
  const [counts] = await q(sampleSql("duckdb", local, "counts"));
  const allocation = (await q(sampleSql("duckdb", local, "allocation"))).map((r) => ({
    stratum: r.stratum === null ? null : String(r.stratum),
    weight: Number(r.weight),
    available: Number(r.available),
    target: Number(r.target),
    got: Number(r.got),
  }));
  const cells = params.oversample
    ? (await q(sampleSql("duckdb", local, "cells"))).filter((r) => r.stratum !== null).map((r) => ({
      stratum: String(r.stratum),
      group: String(r.grp),
      available: Number(r.available),
      target: Number(r.target),
      took: Number(r.took),
    }))
    : [];
  return { warnings, counts, allocation, population: Number(counts.population), local, cells };
}

/** Refuse a mix naming strata absent from the window, and an n above the population. */
function checkAllocation(
  decision: Decision,
  mix: Record<string, number> | undefined,
  n: number,
): void {
  const { allocation, counts, population } = decision;
  if (mix) {
    const absent = Object.keys(mix).filter((s) =>
      !allocation.some((a) => a.stratum === s && a.available > 0)
    );
    if (absent.length) {
      throw usageError(
        `The mix names ${
          absent.length > 1 ? "strata" : "a stratum"
        } absent from the logs in the window: ${
          absent.map((s) => `"${s}"`).join(", ")
        }; strata present: ${
          allocation.filter((a) => a.available > 0).map((a) => `"${a.stratum}"`).join(", ")
        }`,
      );
    }
  }
  if (n > population) {
    throw usageError(
      `--n ${n} is above the ${population} distinct queries in the window (after ${counts.duplicates} duplicates and ${counts.excluded} held-out were removed)`,
    );
  }
}

/** Decide on the narrow table, then read the texts back for the drawn ids only. */
async function drawRows(conn: Conn, params: SampleSqlParams, local: SampleSqlParams) {
  const q = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJson();
  await conn.run(`CREATE TEMP TABLE picked AS ${sampleSql("duckdb", local, "picked")}`);
  const texts = new Map((await q(duckFetchSql(params, "picked"))).map((t) => [String(t.id), t]));
  return (await q("SELECT * FROM picked")).map((p): Row => ({ ...texts.get(String(p.id)), ...p }));
}

/** What the allocation leaves unsampled or short, in words. */
function allocationWarnings(
  allocation: Decision["allocation"],
  strata: string,
  mix: Record<string, number> | undefined,
): string[] {
  const warnings: string[] = [];
  for (const a of allocation) {
    if (a.stratum === null) {
      warnings.push(`${a.available} records have no "${strata}" value and cannot be sampled`);
    } else if (a.got < a.target) {
      warnings.push(
        `stratum "${a.stratum}" has ${a.available} rows for a target of ${a.target}: all taken, none filled from other strata`,
      );
    } else if (mix && a.weight === 0 && a.available > 0) {
      warnings.push(
        `stratum "${a.stratum}" (${a.available} rows) is not in the mix and is not sampled`,
      );
    }
  }
  return warnings;
}

/** The drawn rows as anonymised eval items, by stratum then rank, and the PII replaced. */
function toEvalItems(rows: readonly Row[]): { items: EvalItem[]; pii: Record<string, number> } {
  const pii: Record<string, number> = {};
  const items: EvalItem[] = rows
    .map((r) => ({ r, stratum: String(r.stratum), h: String(r.h), rank: Number(r.r) }))
    // By stratum, then hash: the rank order within a stratum, and within a cell when oversampling.
    .sort((a, b) =>
      a.stratum < b.stratum
        ? -1
        : a.stratum > b.stratum
        ? 1
        : a.h < b.h
        ? -1
        : a.h > b.h
        ? 1
        : a.rank - b.rank
    )
    .map(({ r }) => {
      const messages = r.messages === null ? undefined : parseMessages(r.messages, String(r.id));
      const anon = anonymizeItem({
        query: r.query === null ? undefined : String(r.query),
        messages,
        response: r.response === null ? undefined : String(r.response),
      });
      for (const [type, count] of Object.entries(anon.counts) as [PiiType, number][]) {
        if (count) pii[type] = (pii[type] ?? 0) + count;
      }
      const item: EvalItem = {
        id: `item-${String(r.h).slice(0, 12)}`,
        ...(anon.item.query !== undefined ? { query: anon.item.query } : {}),
        ...(anon.item.messages !== undefined ? { messages: anon.item.messages } : {}),
        stratum: String(r.stratum),
        source_id: String(r.id),
        ...(anon.item.response !== undefined ? { response: anon.item.response } : {}),
        ...(r.model !== null ? { model: String(r.model) } : {}),
        ...(r.weight !== undefined ? { weight: Number(r.weight) } : {}),
      };
      return item;
    });
  return { items, pii: Object.fromEntries(Object.entries(pii).sort()) };
}

/** The `sample --json` summary. */
function summarize(
  input: SampleInput,
  decision: Decision,
  drawn: {
    items: EvalItem[];
    pii: Record<string, number>;
    warnings: string[];
    mix?: Record<string, number>;
  },
): SampleSummary {
  const { counts } = decision;
  const sampled = decision.allocation.filter((a): a is Allocation => a.stratum !== null);
  return {
    n: drawn.items.length,
    requested: input.n,
    seed: input.seed,
    strata_column: input.strata,
    strata: Object.fromEntries(
      sampled.filter((a) => a.weight > 0 || a.got > 0).map((a) => [a.stratum, {
        target: a.target,
        got: a.got,
        available: a.available,
      }]),
    ),
    mix: mixComparison(sampled, drawn.mix),
    pii: drawn.pii,
    rows: Number(counts.total),
    in_window: Number(counts.in_window),
    excluded: Number(counts.excluded),
    duplicates_removed: Number(counts.duplicates),
    population: decision.population,
    warnings: drawn.warnings,
  };
}

function parseMessages(value: unknown, id: string): Message[] {
  const parsed = Messages.safeParse(typeof value === "string" ? JSON.parse(value) : value);
  if (parsed.success) return parsed.data;
  const i = parsed.error.issues[0];
  throw inputError([{
    file: "logs",
    line: 0,
    field: ["messages", ...i.path].join("."),
    problem: `${i.message} (record id ${JSON.stringify(id)})`,
    kind: "type",
  }]);
}

/**
 * What the whole files say about their records once read into `logs_src`: when
 * SQL finds a bad record or a file mixing epoch seconds and milliseconds, the
 * files are read by the same reader `validate` uses, whose issues name file,
 * line and field. Returns the warnings (timestamps without a zone, read as UTC).
 */
async function checkLogs(
  conn: Awaited<ReturnType<typeof openDuckDB>>["conn"],
  files: string[],
  map: Record<string, string>,
  feedback: boolean,
): Promise<string[]> {
  const [c] = (await conn.runAndReadAll(
    `SELECT count(*) FILTER (WHERE id IS NULL OR trim(id) = '' OR ts_parsed IS NULL OR no_text${
      feedback ? " OR feedback_bad" : ""
    }) AS bad,
       count(*) FILTER (WHERE ts_kind = 'epoch_s') AS s, count(*) FILTER (WHERE ts_kind = 'epoch_ms') AS ms,
       count(*) FILTER (WHERE ts_kind = 'naive') AS naive FROM logs_src`,
  )).getRowObjectsJson();
  if (Number(c.bad) > 0 || (Number(c.s) > 0 && Number(c.ms) > 0)) {
    const issues: InputIssue[] = [];
    for (const file of files) {
      const r = await collectRecords(file, ProdLogRecord, {
        map,
        key: ["id"],
        fileCheck: timestampCheck,
      });
      issues.push(...r.issues);
    }
    if (issues.length > 0) throw inputError(issues);
  }
  const naive = Number(c.naive);
  return naive > 0
    ? [`${naive} timestamp${naive === 1 ? "" : "s"} without a zone read as UTC`]
    : [];
}

async function validateLogs(
  conn: Awaited<ReturnType<typeof openDuckDB>>["conn"],
  onlyFile: string | undefined,
  idColumn: string,
  sources: DuckSource[],
): Promise<void> {
  const bad = (await conn.runAndReadAll(
    `SELECT id, ts, CASE
       WHEN id IS NULL OR trim(id) = '' THEN 'id'
       WHEN ts IS NULL THEN 'ts-missing'
       WHEN ts_parsed IS NULL THEN 'ts'
       WHEN no_text THEN 'query'
     END AS problem
     FROM logs_src
     WHERE id IS NULL OR trim(id) = '' OR ts IS NULL OR ts_parsed IS NULL OR no_text
     LIMIT 20`,
  )).getRowObjectsJson();
  if (bad.length === 0) {
    // Ids must be unique: an eval item names the log record it came from.
    bad.push(
      ...(await conn.runAndReadAll(
        `SELECT id, NULL AS ts, 'id-duplicate' AS problem, count(*) AS n FROM logs_src
         WHERE id IS NOT NULL GROUP BY id HAVING count(*) > 1 ORDER BY id LIMIT 20`,
      )).getRowObjectsJson(),
    );
  }
  if (bad.length === 0) return;
  const issues: InputIssue[] = [];
  const files = sources.flatMap((s) => s.files);
  for (const row of bad) {
    const id = row.id === null ? "" : String(row.id);
    let file = onlyFile ?? files.join(", ");
    let where = { line: 0, unit: "line" as "line" | "row" };
    if (id) {
      for (const f of files) {
        const found = await locate(f, idColumn, id);
        if (found.line) {
          file = f;
          where = found;
          break;
        }
      }
    }
    const problem = row.problem === "id"
      ? ["id", "missing"]
      : row.problem === "ts-missing"
      ? ["ts", "missing"]
      : row.problem === "ts"
      ? ["ts", `expected an ISO 8601 timestamp, received ${JSON.stringify(String(row.ts))}`]
      : row.problem === "id-duplicate"
      ? [
        "id",
        `duplicate value ${JSON.stringify(id)} (${row.n} records have it; ids must be unique)`,
      ]
      : ["query", "missing: needs query or messages"];
    issues.push({
      file,
      line: where.line,
      unit: where.unit,
      field: problem[0],
      problem: id && !where.line ? `${problem[1]} (record id ${JSON.stringify(id)})` : problem[1],
      kind: "type",
    });
  }
  throw inputError(issues);
}

export { SAMPLE_FIELDS };

/** Options for {@link writeEvalset}. */
export interface WriteEvalsetOptions {
  /** Where artifacts go. @default "runs" */
  out?: string;
  /** The mix file the shares came from, hashed as an input. */
  mixFile?: string;
}

/**
 * Write a sample as an `evalset` artifact: `evalset.jsonl` (the items),
 * `strata.json` (the prod mix it was drawn from, targets and counts, which
 * later comparisons re-weight with; with `oversample`, also the shares and each
 * stratum × feedback cell's records, draws and inclusion weight) and `sample.sql`
 * (the DuckDB query).
 *
 * @example
 * ```ts
 * import { sampleLogs, writeEvalset } from "./sample.ts";
 * import { demoPaths } from "../demo_world.ts";
 * const out = await Deno.makeTempDir();
 * const options = { logs: [demoPaths().logs], n: 20, seed: "doc" };
 * const written = await writeEvalset(await sampleLogs(options), { ...options, out });
 * if (!written.dir.includes("/evalset-")) throw new Error(written.dir);
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function writeEvalset(
  result: SampleResult,
  options: SampleOptions & WriteEvalsetOptions,
): Promise<ArtifactResult> {
  const s = result.summary;
  return await writeArtifact({
    kind: "evalset",
    out: options.out,
    command: "sample",
    params: {
      n: options.n,
      seed: String(options.seed),
      strata: s.strata_column,
      mix: options.mix ?? null,
      since: options.since ?? null,
      until: options.until ?? null,
      map: options.map ?? {},
      ...(s.oversample ? { oversample: s.oversample.shares } : {}),
      // sample.sql reads the logs by the paths as given: the same logs named another way
      // (absolute from a notebook, relative from the CLI) make another artifact, not a clash.
      logs: result.files,
    },
    seed: String(options.seed),
    inputs: [
      ...result.files,
      ...(options.mixFile ? [options.mixFile] : []),
      ...(options.exclude ?? []),
    ],
    files: {
      "evalset.jsonl": toJsonl(result.items),
      "strata.json": JSON.stringify(
        {
          column: s.strata_column,
          strata: s.strata,
          mix: s.mix,
          ...(s.oversample ? { oversample: s.oversample } : {}),
        },
        null,
        2,
      ) + "\n",
      "sample.sql": result.sql + "\n",
    },
    meta: { summary: s, logs: result.files },
  });
}
