/**
 * The whole stratified sample as one SQL query, for DuckDB (which evalkit runs
 * itself) and for the warehouses where prod logs live: PostgreSQL, BigQuery,
 * Snowflake and Spark SQL.
 *
 * The sample is engine-independent by construction:
 * - a record's text is its `query`, or its messages' contents joined by one space;
 * - its normalised text is the text lower-cased, with ASCII punctuation removed,
 *   runs of spaces, tabs and line breaks folded to one space, and trimmed;
 * - records whose normalised text matches a held-out regression case are dropped;
 * - of records sharing a normalised text, the one with the lowest
 *   `md5(seed || ':' || id)` is kept (the others are duplicates);
 * - seats are allocated to strata by largest remainder in exact integer
 *   arithmetic (shares are weights in millionths), ties going to the larger
 *   stratum, then to the lower md5 of the stratum name; a stratum never gets
 *   more rows than it has;
 * - within a stratum, rows are ranked by `md5(seed || ':' || id)` (hex), then id,
 *   and the first k are taken.
 *
 * With `oversample` (`sample --oversample down=0.3`), each stratum's seats are split
 * further between feedback groups: a record is `down` or `up` by its feedback (the
 * spellings lib/io/log_fields.ts parseFeedback reads) when that group is oversampled,
 * else `rest` (records without feedback are always `rest`, never "not down"). Each
 * group gets its share of the stratum's seats by largest remainder (ties to the larger
 * share, then rest, down, up); a group with fewer records than seats gives all it has
 * and its spare seats go to the rest, then down, then up. Rows are ranked within
 * stratum × group, and each drawn row carries its inclusion weight: its cell's records
 * over its cell's draws.
 *
 * @module
 */
import { FEEDBACK_WORDS } from "../io/log_fields.ts";

/** A SQL engine `--emit-sql` can target. */
export type Dialect = "duckdb" | "postgres" | "bigquery" | "snowflake" | "spark";

/**
 * Every dialect, for validation and help.
 *
 * @example
 * ```ts
 * import { DIALECTS } from "./sql.ts";
 * if (!DIALECTS.includes("postgres")) throw new Error();
 * ```
 */
export const DIALECTS: readonly Dialect[] = [
  "duckdb",
  "postgres",
  "bigquery",
  "snowflake",
  "spark",
];

/** The log fields the sample reads, by their evalkit names. */
export const SAMPLE_FIELDS = ["id", "ts", "query", "messages", "response", "model"] as const;

/** A feedback group `--oversample` can draw at its own rate. */
export type FeedbackGroup = "down" | "up";

/** Feedback group → its share of each stratum's seats; the other records get the rest. */
export type Oversample = Partial<Record<FeedbackGroup, number>>;

/** The groups in their fixed order, and the order spare seats are filled in (rest first). */
export const FEEDBACK_GROUPS: readonly FeedbackGroup[] = ["down", "up"];
const GROUP_ORDER: Record<string, number> = { rest: 0, down: 1, up: 2 };

/** A DuckDB source: files of one format, and which optional columns they have. */
export interface DuckSource {
  format: "jsonl" | "csv" | "parquet";
  files: string[];
  /** Column names present in these files (for CSV and Parquet). */
  columns?: string[];
}

/** What to sample. Pure data: no files are opened here. */
export interface SampleSqlParams {
  /** Sample size. */
  n: number;
  /** The seed hashed with each id. */
  seed: string;
  /** The column that defines strata (its name in the logs). */
  strata: string;
  /** Stratum → share; absent: the mix observed in the window. */
  mix?: Record<string, number>;
  /** Inclusive lower bound on `ts` (ISO 8601). */
  since?: string;
  /** Exclusive upper bound on `ts` (ISO 8601). */
  until?: string;
  /** Raw texts of held-out cases; their normalised forms are never sampled. */
  exclude?: string[];
  /** Field → column renames (`--map`). */
  map?: Record<string, string>;
  /** For DuckDB: the files to read. */
  sources?: DuckSource[];
  /** For other engines: the table holding the logs. @default "prod_logs" */
  table?: string;
  /**
   * For DuckDB: a table already holding the columns of {@link duckSourceSql}
   * (`id`, `ts`, `stratum`, `ts_parsed`, `no_text`, `norm`, `h`), so the files
   * are scanned once to decide; only the `picked` query runs on it.
   */
  materialized?: string;
  /** For DuckDB, with `materialized`: a table already holding the `dedup` stage. */
  dedupTable?: string;
  /** Feedback groups drawn at their own share of each stratum. @default none: no groups, no weights */
  oversample?: Oversample;
}

/** Which final SELECT to emit over the shared CTEs. */
export type SampleQuery = "sample" | "picked" | "allocation" | "counts" | "dedup" | "cells";

/**
 * The groups of an oversample with their integer shares (millionths): the oversampled
 * groups in {@link FEEDBACK_GROUPS} order, then `rest` with what is left.
 *
 * @example
 * ```ts
 * import { oversampleShares } from "./sql.ts";
 * const s = oversampleShares({ down: 0.3 });
 * if (JSON.stringify(s) !== '[["down",300000],["rest",700000]]') throw new Error(JSON.stringify(s));
 * ```
 */
export function oversampleShares(oversample: Oversample): [string, number][] {
  const groups = FEEDBACK_GROUPS.filter((g) => oversample[g] !== undefined)
    .map((g) => [g, Math.round(oversample[g]! * 1_000_000)] as [string, number]);
  const used = groups.reduce((a, [, w]) => a + w, 0);
  return [...groups, ["rest", 1_000_000 - used]];
}

/** Integer weights (millionths) for a mix's shares, ordered by stratum name. */
export function mixWeights(mix: Record<string, number>): [string, number][] {
  return Object.entries(mix)
    .map(([s, share]) => [s, Math.round(share * 1_000_000)] as [string, number])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

interface DialectRules {
  ident(name: string): string;
  str(value: string): string;
  /** A regex literal (its characters as the engine's regex engine should see them). */
  regex(pattern: string): string;
  md5hex(expr: string): string;
  replaceAll(expr: string, regex: string, by: string): string;
  idiv(a: string, b: string): string;
  imod(a: string, b: string): string;
  timestamp(expr: string): string;
  timestampLiteral(iso: string): string;
  messagesText(col: string): string;
  /** The engine's text type and its double-precision type. */
  text: string;
  double: string;
}

const PUNCT = "[!-/:-@\\[-`{-~]+";
/** Whitespace runs other than one plain space (replacing those is a no-op, and slow). */
const SPACES = "[\\t\\r\\n][ \\t\\r\\n]*| [ \\t\\r\\n]+";

function quoteWith(q: string) {
  return (name: string) => `${q}${name.replaceAll(q, q + q)}${q}`;
}
const sqlStr = (v: string) => `'${v.replaceAll("'", "''")}'`;

/** A content part's text (lib/messages.ts partText) over a JSON part `p`; `get` reads a key as text. */
function partSql(p: string, get: (j: string, key: string) => string): string {
  const file = `COALESCE(${get(`${p}->'file'`, "filename")}, ${get(p, "filename")}, '')`;
  return `CASE ${get(p, "type")}
      WHEN 'text' THEN COALESCE(${get(p, "text")}, '') WHEN 'input_text' THEN COALESCE(${
    get(p, "text")
  }, '') WHEN 'output_text' THEN COALESCE(${get(p, "text")}, '')
      WHEN 'refusal' THEN '[refusal] ' || COALESCE(${get(p, "refusal")}, '')
      WHEN 'image_url' THEN '[image]' WHEN 'input_image' THEN '[image]'
      WHEN 'file' THEN CASE WHEN ${file} <> '' THEN '[file: ' || ${file} || ']' ELSE '[file]' END
      WHEN 'input_file' THEN CASE WHEN ${file} <> '' THEN '[file: ' || ${file} || ']' ELSE '[file]' END
      WHEN 'input_audio' THEN '[audio]' ELSE '' END`;
}

/** A turn's text (lib/messages.ts messageText) over a JSON message `m`, given its content and tool-call texts. */
function turnSql(
  m: string,
  get: (j: string, key: string) => string,
  content: string,
  calls: string,
  isObject: (j: string) => string,
): string {
  const call = (f: string) =>
    `'[tool call: ' || COALESCE(${get(f, "name")}, '') || '(' || COALESCE(${
      get(f, "arguments")
    }, '') || ')]'`;
  return `concat_ws(' ',
    CASE ${
    get(m, "role")
  } WHEN 'tool' THEN '[tool result]' WHEN 'function' THEN '[function result: ' || COALESCE(${
    get(m, "name")
  }, '') || ']' END,
    NULLIF(${content}, ''),
    CASE WHEN COALESCE(${get(m, "refusal")}, '') <> '' THEN '[refusal] ' || ${
    get(m, "refusal")
  } END,
    NULLIF(${calls}, ''),
    CASE WHEN ${isObject(`${m}->'function_call'`)} THEN ${call(`${m}->'function_call'`)} END)`;
}

const NUMERIC_TS = "'-?[0-9]+(\\.[0-9]+)?'";
const NAIVE_TS = "'[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?)?'";

/**
 * DuckDB: a timestamp column as lib/io/log_fields.ts parseTimestamp reads it:
 * epoch seconds or milliseconds (by magnitude, numbers or numeric strings),
 * else ISO 8601 or SQL-style text (no zone: the session's zone, UTC in evalkit).
 */
function duckTimestamp(e: string, cast: "CAST" | "TRY_CAST"): string {
  const t = `trim(CAST(${e} AS VARCHAR))`;
  const n = `CAST(${t} AS DOUBLE)`;
  return `CASE WHEN regexp_full_match(${t}, ${NUMERIC_TS}) THEN to_timestamp(CASE WHEN abs(${n}) >= 1e11 THEN ${n} / 1000 ELSE ${n} END) ELSE ${cast}(${e} AS TIMESTAMPTZ) END`;
}

/** PostgreSQL: a timestamp column (text or timestamptz) as parseTimestamp reads it, epochs included. */
function postgresTimestamp(e: string): string {
  const t = `trim(CAST(${e} AS TEXT))`;
  const n = `CAST(${t} AS DOUBLE PRECISION)`;
  return `CASE WHEN ${t} ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN to_timestamp(CASE WHEN abs(${n}) >= 1e11 THEN ${n} / 1000 ELSE ${n} END) ELSE CAST(${t} AS TIMESTAMPTZ) END`;
}

/** DuckDB: how a timestamp was written — 'epoch_s', 'epoch_ms', 'naive' (no zone) or NULL (zoned). */
function duckTimestampKind(e: string): string {
  const t = `trim(CAST(${e} AS VARCHAR))`;
  return `CASE WHEN regexp_full_match(${t}, ${NUMERIC_TS}) THEN CASE WHEN abs(CAST(${t} AS DOUBLE)) >= 1e11 THEN 'epoch_ms' ELSE 'epoch_s' END WHEN regexp_full_match(${t}, ${NAIVE_TS}) THEN 'naive' END`;
}

/** DuckDB: the query text of a JSON messages column, as lib/messages.ts queryText. */
function duckMessagesText(c: string): string {
  const get = (j: string, key: string) => `(${j}->>'${key}')`;
  const isObject = (j: string) => `json_type(${j}) = 'OBJECT'`;
  const msgs = `json_extract(CAST(${c} AS JSON), '$[*]')`;
  const content = `CASE json_type(m, '$.content') WHEN 'VARCHAR' THEN (m->>'content')
      WHEN 'ARRAY' THEN array_to_string(list_transform(json_extract(m, '$.content[*]'), lambda p: ${
    partSql("p", get)
  }), ' ') ELSE '' END`;
  const calls =
    `array_to_string(list_transform(json_extract(m, '$.tool_calls[*]'), lambda c: '[tool call: ' || COALESCE(c->'function'->>'name', '') || '(' || COALESCE(c->'function'->>'arguments', '') || ')]'), ' ')`;
  const roles = `list_transform(${msgs}, lambda r: r->>'role')`;
  const fromEnd = `list_position(list_reverse(${roles}), 'user')`;
  const last =
    `CASE WHEN ${fromEnd} IS NULL THEN len(${msgs}) ELSE len(${msgs}) - ${fromEnd} + 1 END`;
  const turns =
    `list_filter(list_slice(${msgs}, 1, ${last}), lambda t: COALESCE(t->>'role', '') NOT IN ('system', 'developer'))`;
  return `array_to_string(list_transform(${turns}, lambda m: ${
    turnSql("m", get, content, calls, isObject)
  }), chr(10))`;
}

/** PostgreSQL: the query text of a JSON/JSONB messages column, as lib/messages.ts queryText. */
function postgresMessagesText(c: string): string {
  const get = (j: string, key: string) => `(${j} ->> '${key}')`;
  const isObject = (j: string) => `jsonb_typeof(${j}) = 'object'`;
  const arr = `CAST(${c} AS JSONB)`;
  const content = `CASE jsonb_typeof(e -> 'content') WHEN 'string' THEN (e ->> 'content')
      WHEN 'array' THEN (SELECT string_agg(${
    partSql("p", get)
  }, ' ' ORDER BY po) FROM jsonb_array_elements(e -> 'content') WITH ORDINALITY AS q(p, po)) ELSE '' END`;
  const calls =
    `(SELECT string_agg('[tool call: ' || COALESCE(tc -> 'function' ->> 'name', '') || '(' || COALESCE(tc -> 'function' ->> 'arguments', '') || ')]', ' ' ORDER BY tco) FROM jsonb_array_elements(CASE WHEN jsonb_typeof(e -> 'tool_calls') = 'array' THEN e -> 'tool_calls' ELSE '[]'::jsonb END) WITH ORDINALITY AS t(tc, tco))`;
  const last =
    `COALESCE((SELECT max(uo) FROM jsonb_array_elements(${arr}) WITH ORDINALITY AS u(ue, uo) WHERE ue ->> 'role' = 'user'), jsonb_array_length(${arr}))`;
  return `(SELECT string_agg(${
    turnSql("e", get, content, calls, isObject)
  }, chr(10) ORDER BY o) FROM jsonb_array_elements(${arr}) WITH ORDINALITY AS m(e, o)
    WHERE o <= ${last} AND COALESCE(e ->> 'role', '') NOT IN ('system', 'developer'))`;
}

const RULES: Record<Dialect, DialectRules> = {
  duckdb: {
    ident: quoteWith('"'),
    str: sqlStr,
    regex: sqlStr,
    md5hex: (e) => `md5(${e})`,
    replaceAll: (e, r, by) => `regexp_replace(${e}, ${r}, ${by}, 'g')`,
    idiv: (a, b) => `(${a}) // (${b})`,
    imod: (a, b) => `(${a}) % (${b})`,
    timestamp: (e) => duckTimestamp(e, "CAST"),
    timestampLiteral: (iso) => `CAST(${sqlStr(iso)} AS TIMESTAMPTZ)`,
    messagesText: duckMessagesText,
    text: "VARCHAR",
    double: "DOUBLE",
  },
  postgres: {
    ident: quoteWith('"'),
    str: sqlStr,
    regex: sqlStr,
    md5hex: (e) => `md5(${e})`,
    replaceAll: (e, r, by) => `regexp_replace(${e}, ${r}, ${by}, 'g')`,
    idiv: (a, b) => `(${a}) / (${b})`,
    imod: (a, b) => `(${a}) % (${b})`,
    timestamp: postgresTimestamp,
    timestampLiteral: (iso) => `CAST(${sqlStr(iso)} AS TIMESTAMPTZ)`,
    messagesText: postgresMessagesText,
    text: "TEXT",
    double: "DOUBLE PRECISION",
  },
  bigquery: {
    ident: quoteWith("`"),
    str: sqlStr,
    regex: (p) => `r'${p}'`,
    md5hex: (e) => `TO_HEX(MD5(${e}))`,
    replaceAll: (e, r, by) => `REGEXP_REPLACE(${e}, ${r}, ${by})`,
    idiv: (a, b) => `DIV(${a}, ${b})`,
    imod: (a, b) => `MOD(${a}, ${b})`,
    timestamp: (e) => `TIMESTAMP(${e})`,
    timestampLiteral: (iso) => `TIMESTAMP(${sqlStr(iso)})`,
    messagesText: (c) =>
      `ARRAY_TO_STRING(ARRAY(SELECT JSON_VALUE(m, '$.content') FROM UNNEST(JSON_QUERY_ARRAY(${c})) AS m WITH OFFSET AS o ORDER BY o), ' ')`,
    text: "STRING",
    double: "FLOAT64",
  },
  snowflake: {
    ident: quoteWith('"'),
    str: sqlStr,
    regex: (p) => `$$${p}$$`,
    md5hex: (e) => `MD5(${e})`,
    replaceAll: (e, r, by) => `REGEXP_REPLACE(${e}, ${r}, ${by})`,
    idiv: (a, b) => `FLOOR((${a}) / (${b}))`,
    imod: (a, b) => `MOD(${a}, ${b})`,
    timestamp: (e) => `TO_TIMESTAMP_TZ(${e})`,
    timestampLiteral: (iso) => `TO_TIMESTAMP_TZ(${sqlStr(iso)})`,
    messagesText: (c) => `ARRAY_TO_STRING(TRANSFORM(${c}, m -> m:content::STRING), ' ')`,
    text: "VARCHAR",
    double: "DOUBLE",
  },
  spark: {
    ident: quoteWith("`"),
    str: (v) => `'${v.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`,
    regex: (p) => `'${p.replaceAll("\\", "\\\\")}'`,
    md5hex: (e) => `md5(${e})`,
    replaceAll: (e, r, by) => `regexp_replace(${e}, ${r}, ${by})`,
    idiv: (a, b) => `(${a}) div (${b})`,
    imod: (a, b) => `(${a}) % (${b})`,
    timestamp: (e) => `to_timestamp(${e})`,
    timestampLiteral: (iso) => `to_timestamp(${sqlStr(iso)})`,
    messagesText: (c) => `array_join(transform(${c}, m -> m.content), ' ')`,
    text: "STRING",
    double: "DOUBLE",
  },
};

/** The normalised-text expression for a text expression, in a dialect. */
function normExpr(r: DialectRules, text: string): string {
  const noPunct = r.replaceAll(`LOWER(${text})`, r.regex(PUNCT), r.str(""));
  return `TRIM(${r.replaceAll(noPunct, r.regex(SPACES), r.str(" "))})`;
}

/** The log fields a sample reads: {@link SAMPLE_FIELDS}, and `feedback` when oversampling. */
function fieldsOf(params: SampleSqlParams): readonly string[] {
  return params.oversample ? [...SAMPLE_FIELDS, "feedback"] : SAMPLE_FIELDS;
}

/** Field → its column in the logs (`--map`). */
function columnsOf(params: SampleSqlParams): Record<string, string> {
  const cols: Record<string, string> = {};
  for (const f of fieldsOf(params)) cols[f] = params.map?.[f] ?? f;
  return cols;
}

function duckSource(
  source: DuckSource,
  cols: Record<string, string>,
  strata: string,
  fields: readonly string[],
): string {
  const r = RULES.duckdb;
  const files = `[${source.files.map(sqlStr).join(", ")}]`;
  const want = [...fields.map((f) => cols[f]), strata];
  if (source.format === "jsonl") {
    const types = want.map((c) => `${sqlStr(c)}: '${c === cols.messages ? "JSON" : "VARCHAR"}'`);
    const select = fields.map((f) => `${r.ident(cols[f])} AS ${f}`);
    return `SELECT ${select.join(", ")}, ${
      r.ident(strata)
    } AS stratum FROM read_json(${files}, format = 'newline_delimited', maximum_object_size = 33554432, columns = {${
      [...new Set(types)].join(", ")
    }})`;
  }
  const present = new Set(source.columns ?? []);
  const pick = (f: string, c: string) => {
    if (!present.has(c)) return `NULL AS ${f}`;
    if (f === "messages") return `CAST(${r.ident(c)} AS JSON) AS messages`;
    return `CAST(${r.ident(c)} AS VARCHAR) AS ${f}`;
  };
  const select = fields.map((f) => pick(f, cols[f]));
  const from = source.format === "csv"
    ? `read_csv(${files}, header = true, all_varchar = true, union_by_name = true)`
    : `read_parquet(${files}, union_by_name = true)`;
  const stratum = present.has(strata) ? `CAST(${r.ident(strata)} AS VARCHAR)` : "NULL";
  return `SELECT ${select.join(", ")}, ${stratum} AS stratum FROM ${from}`;
}

/**
 * The SQL expression of a record's query text (lib/messages.ts queryText) over
 * a `query` column and a JSON `messages` column. DuckDB and PostgreSQL compute
 * exactly queryText; BigQuery, Snowflake and Spark join string contents only.
 */
export function queryTextSql(dialect: Dialect, query = "query", messages = "messages"): string {
  return `COALESCE(${query}, ${RULES[dialect].messagesText(messages)})`;
}

/** The dialects whose emitted SQL computes the full message text (content parts, tool calls). */
export const FULL_TEXT_DIALECTS: readonly Dialect[] = ["duckdb", "postgres"];

/** The derived columns every engine computes per record: `norm` and `h` (and `grp` when oversampling). */
function derived(dialect: Dialect, seed: string, oversample?: Oversample): string {
  const r = RULES[dialect];
  const text = queryTextSql(dialect);
  const idText = `CAST(id AS ${
    dialect === "bigquery" || dialect === "spark" ? "STRING" : "VARCHAR"
  })`;
  return `${normExpr(r, text)} AS norm, ${r.md5hex(`${r.str(`${seed}:`)} || ${idText}`)} AS h` +
    (oversample ? `, ${feedbackGroupSql(dialect, oversample)} AS grp` : "");
}

/** A record's feedback as the words of {@link FEEDBACK_WORDS} compare with it. */
function feedbackText(dialect: Dialect): string {
  return `LOWER(TRIM(CAST(feedback AS ${RULES[dialect].text})))`;
}

/**
 * The feedback group of a record over a `feedback` column: `down` or `up` when its
 * feedback is that and the group is oversampled, else `rest` (no feedback included).
 *
 * @example
 * ```ts
 * import { feedbackGroupSql } from "./sql.ts";
 * const sql = feedbackGroupSql("postgres", { down: 0.3 });
 * if (!sql.includes("'thumbs_down'") || sql.includes("'thumbs_up'")) throw new Error(sql);
 * ```
 */
export function feedbackGroupSql(dialect: Dialect, oversample: Oversample): string {
  const r = RULES[dialect];
  const t = feedbackText(dialect);
  const when = FEEDBACK_GROUPS.filter((g) => oversample[g] !== undefined)
    .map((g) => `WHEN ${t} IN (${FEEDBACK_WORDS[g].map(r.str).join(", ")}) THEN '${g}'`);
  return `CASE ${when.join(" ")} ELSE 'rest' END`;
}

/** DuckDB: whether a record's feedback is a value parseFeedback cannot read. */
function duckFeedbackBad(): string {
  const t = feedbackText("duckdb");
  const words = [...FEEDBACK_WORDS.up, ...FEEDBACK_WORDS.down].map(sqlStr).join(", ");
  return `(feedback IS NOT NULL AND ${t} <> '' AND ${t} NOT IN (${words}))`;
}

/**
 * DuckDB: the logs files read once into the few columns the sample decides
 * on — `id`, `ts`, `stratum`, `ts_parsed` (NULL where `ts` does not parse),
 * `no_text` (neither query nor messages), `norm` and `h` — for materialising
 * before validation and sampling. The texts stay in the files; {@link duckFetchSql}
 * reads them back for the drawn ids only, so memory does not grow with them.
 */
export function duckSourceSql(params: SampleSqlParams): string {
  return `SELECT id, ts, stratum, ${duckTimestamp("ts", "TRY_CAST")} AS ts_parsed,\n  ${
    duckTimestampKind("ts")
  } AS ts_kind, (query IS NULL AND messages IS NULL) AS no_text, ${
    derived("duckdb", params.seed, params.oversample)
  }${params.oversample ? `, ${duckFeedbackBad()} AS feedback_bad` : ""}\nFROM (\n  ${
    duckUnion(params)
  }\n) src`;
}

/** DuckDB: every sample field of the records whose id is in `table` (a table with an `id` column). */
export function duckFetchSql(params: SampleSqlParams, table: string): string {
  return `SELECT src.id, src.query, src.messages, src.response, src.model\nFROM (\n  ${
    duckUnion(params)
  }\n) src\nJOIN ${RULES.duckdb.ident(table)} p ON p.id = src.id`;
}

function duckUnion(params: SampleSqlParams): string {
  const cols = columnsOf(params);
  const sources = params.sources ?? [];
  if (sources.length === 0) throw new RangeError("DuckDB sampling needs sources");
  return sources.map((s) => duckSource(s, cols, params.strata, fieldsOf(params)))
    .join("\n  UNION ALL\n  ");
}

/**
 * The sampling SQL for one engine.
 *
 * @param dialect The engine.
 * @param params What to sample.
 * @param query `sample` (the rows), `picked` (their ids, strata and ranks only),
 *   `allocation` (per-stratum population, target, got), `counts` (rows in the window,
 *   excluded, duplicates) or `dedup` (the deduplicated rows). @default "sample"
 * @returns One SQL statement.
 *
 * @example
 * ```ts
 * import { sampleSql } from "./sql.ts";
 * const sql = sampleSql("postgres", { n: 200, seed: "2026-q4", strata: "topic", mix: { billing: 0.6, other: 0.4 } });
 * if (!/select/i.test(sql) || !sql.includes("prod_logs")) throw new Error(sql);
 * ```
 */
export function sampleSql(
  dialect: Dialect,
  params: SampleSqlParams,
  query: SampleQuery = "sample",
): string {
  const r = RULES[dialect];
  const ctes = [
    ...windowCtes(dialect, params),
    ...keptCtes(r, params.exclude ?? []),
    ...allocationCtes(dialect, params),
  ];
  const head =
    `-- evalkit sample: n=${params.n}, seed=${params.seed}, strata=${params.strata}, dialect=${dialect}` +
    (FULL_TEXT_DIALECTS.includes(dialect)
      ? ""
      : `\n-- text: ${dialect} joins messages' string contents only; content parts, tool calls and the` +
        `\n-- last-user-turn rule are computed (and tested) on duckdb and postgres`);
  return `${head}\nWITH\n${ctes.join(",\n")}\n${finalSelect(dialect, params, query)}`;
}

/** The `src` and `win` CTEs: the logs (or the materialised table) within the window. */
function windowCtes(dialect: Dialect, params: SampleSqlParams): string[] {
  const r = RULES[dialect];
  const where: string[] = [];
  const whereSql = () => (where.length ? `\n  WHERE ${where.join(" AND ")}` : "");
  if (dialect === "duckdb" && params.materialized) {
    if (params.since) where.push(`ts_parsed >= ${r.timestampLiteral(params.since)}`);
    if (params.until) where.push(`ts_parsed < ${r.timestampLiteral(params.until)}`);
    return [`win AS (\n  SELECT * FROM ${r.ident(params.materialized)}${whereSql()}\n)`];
  }
  const cols = columnsOf(params);
  let src: string;
  if (dialect === "duckdb") {
    if ((params.sources ?? []).length === 0) {
      throw new RangeError("sampleSql() needs sources for duckdb");
    }
    src = `src AS (\n  ${duckUnion(params)}\n)`;
  } else {
    const table = (params.table ?? "prod_logs").split(".").map(r.ident).join(".");
    const select = fieldsOf(params).map((f) => `${r.ident(cols[f])} AS ${f}`);
    src = `src AS (\n  SELECT ${select.join(", ")}, ${
      r.ident(params.strata)
    } AS stratum FROM ${table}\n)`;
  }
  if (params.since) where.push(`${r.timestamp("ts")} >= ${r.timestampLiteral(params.since)}`);
  if (params.until) where.push(`${r.timestamp("ts")} < ${r.timestampLiteral(params.until)}`);
  const columns = derived(dialect, params.seed, params.oversample);
  return [src, `win AS (\n  SELECT *, ${columns}\n  FROM src${whereSql()}\n)`];
}

/** The `kept` CTE (and `held_out`): the window without the held-out regression cases. */
function keptCtes(r: DialectRules, exclude: readonly string[]): string[] {
  if (exclude.length === 0) return [`kept AS (\n  SELECT * FROM win\n)`];
  return [
    `held_out AS (\n  ${
      exclude.map((t) => `SELECT ${normExpr(r, r.str(t))} AS norm`).join("\n  UNION ALL ")
    }\n)`,
    `kept AS (\n  SELECT * FROM win w WHERE NOT EXISTS (SELECT 1 FROM held_out x WHERE x.norm = w.norm)\n)`,
  ];
}

/** `dedup`, `pop`, `mix`, `alloc`, `seats` and `ranked`: who is kept, how many seats, in what order. */
function allocationCtes(dialect: Dialect, params: SampleSqlParams): string[] {
  const r = RULES[dialect];
  const ctes: string[] = [];
  ctes.push(
    dialect === "duckdb" && params.materialized && params.dedupTable
      ? `dedup AS (\n  SELECT * FROM ${r.ident(params.dedupTable)}\n)`
      : `dedup AS (\n  SELECT * FROM (\n    SELECT *, ROW_NUMBER() OVER (PARTITION BY norm ORDER BY h, id) AS dup_rank FROM kept\n  ) d WHERE dup_rank = 1\n)`,
  );
  ctes.push(`pop AS (\n  SELECT stratum, COUNT(*) AS available FROM dedup GROUP BY stratum\n)`);
  if (params.mix) {
    const rows = mixWeights(params.mix).map(([s, w]) =>
      `SELECT ${r.str(s)} AS stratum, ${w} AS weight`
    );
    ctes.push(`mix AS (\n  ${rows.join("\n  UNION ALL ")}\n)`);
  } else {
    ctes.push(`mix AS (\n  SELECT stratum, available AS weight FROM pop\n)`);
  }
  const n = String(params.n);
  const total = "CAST(SUM(m.weight) OVER () AS BIGINT)";
  const weight = "CAST(m.weight AS BIGINT)";
  ctes.push(
    `alloc AS (\n  SELECT m.stratum, m.weight, COALESCE(p.available, 0) AS available,\n    ${
      r.idiv(`${n} * ${weight}`, total)
    } AS base,\n    ${
      r.imod(`${n} * ${weight}`, total)
    } AS rem\n  FROM mix m LEFT JOIN pop p ON p.stratum = m.stratum\n)`,
  );
  ctes.push(
    `seats AS (\n  SELECT stratum, weight, available, base + CASE WHEN ROW_NUMBER() OVER (ORDER BY rem DESC, weight DESC, ${
      r.md5hex("stratum")
    }) <= ${n} - SUM(base) OVER () THEN 1 ELSE 0 END AS target\n  FROM alloc\n)`,
  );
  if (params.oversample) return [...ctes, ...cellCtes(dialect, params.oversample)];
  ctes.push(
    `ranked AS (\n  SELECT d.*, ROW_NUMBER() OVER (PARTITION BY d.stratum ORDER BY d.h, d.id) AS r FROM dedup d\n)`,
  );
  return ctes;
}

/**
 * With oversampling: `gpop` (records per stratum × group), `groups` (their shares),
 * `cell_alloc`, `cell_target`, `cell_got` and `cells` (seats per cell by largest
 * remainder, spare seats of short cells refilled: `took`), and `ranked` within cells.
 */
function cellCtes(dialect: Dialect, oversample: Oversample): string[] {
  const r = RULES[dialect];
  const groups = oversampleShares(oversample).map(([g, w]) =>
    `SELECT ${r.str(g)} AS grp, ${w} AS share, ${GROUP_ORDER[g]} AS gorder`
  );
  const k = "LEAST(s.target, s.available)";
  const byStratum = "OVER (PARTITION BY stratum)";
  const before =
    "OVER (PARTITION BY stratum ORDER BY gorder ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)";
  return [
    `gpop AS (\n  SELECT stratum, grp, COUNT(*) AS available FROM dedup GROUP BY stratum, grp\n)`,
    `groups AS (\n  ${groups.join("\n  UNION ALL ")}\n)`,
    `cell_alloc AS (\n  SELECT s.stratum, g.grp, g.share, g.gorder, ${k} AS k,\n    ${
      r.idiv(`${k} * g.share`, "1000000")
    } AS base,\n    ${
      r.imod(`${k} * g.share`, "1000000")
    } AS rem\n  FROM seats s CROSS JOIN groups g\n)`,
    `cell_target AS (\n  SELECT stratum, grp, gorder, k, base + CASE WHEN ROW_NUMBER() OVER (PARTITION BY stratum ORDER BY rem DESC, share DESC, gorder) <= k - SUM(base) ${byStratum} THEN 1 ELSE 0 END AS target\n  FROM cell_alloc\n)`,
    `cell_got AS (\n  SELECT t.stratum, t.grp, t.gorder, t.k, t.target, COALESCE(p.available, 0) AS available,\n    LEAST(t.target, COALESCE(p.available, 0)) AS got\n  FROM cell_target t LEFT JOIN gpop p ON p.stratum = t.stratum AND p.grp = t.grp\n)`,
    `cells AS (\n  SELECT stratum, grp, available, target, got + LEAST(available - got, GREATEST(0, k - SUM(got) ${byStratum} - COALESCE(SUM(available - got) ${before}, 0))) AS took\n  FROM cell_got\n)`,
    `ranked AS (\n  SELECT d.*, ROW_NUMBER() OVER (PARTITION BY d.stratum, d.grp ORDER BY d.h, d.id) AS r FROM dedup d\n)`,
  ];
}

/** The final SELECT over the CTEs for one {@link SampleQuery}. */
function finalSelect(dialect: Dialect, params: SampleSqlParams, query: SampleQuery): string {
  const r = RULES[dialect];
  if (query === "dedup") return "SELECT * FROM dedup";
  if (query === "sample" || query === "picked" || query === "cells") {
    if (params.oversample) return cellSelect(dialect, query);
    if (query === "cells") throw new RangeError('sampleSql(): the "cells" query needs oversample');
  }
  if (query === "picked") {
    return `SELECT k.id, k.stratum, k.h, k.r\nFROM ranked k JOIN seats s ON s.stratum = k.stratum\nWHERE k.r <= LEAST(s.target, s.available)\nORDER BY k.stratum, k.r`;
  }
  if (query === "sample") {
    return `SELECT k.id, k.ts, k.query, k.messages, k.response, k.model, k.stratum, k.h, k.r\nFROM ranked k JOIN seats s ON s.stratum = k.stratum\nWHERE k.r <= LEAST(s.target, s.available)\nORDER BY k.stratum, k.r`;
  }
  if (query === "allocation") {
    return `SELECT COALESCE(s.stratum, p.stratum) AS stratum, COALESCE(s.weight, 0) AS weight,\n  COALESCE(p.available, 0) AS available, COALESCE(s.target, 0) AS target,\n  LEAST(COALESCE(s.target, 0), COALESCE(p.available, 0)) AS got\nFROM seats s FULL OUTER JOIN pop p ON p.stratum = s.stratum\nORDER BY 1`;
  }
  return `SELECT (SELECT COUNT(*) FROM ${
    dialect === "duckdb" && params.materialized ? r.ident(params.materialized) : "src"
  }) AS total, (SELECT COUNT(*) FROM win) AS in_window,\n  (SELECT COUNT(*) FROM win) - (SELECT COUNT(*) FROM kept) AS excluded,\n  (SELECT COUNT(*) FROM kept) - (SELECT COUNT(*) FROM dedup) AS duplicates,\n  (SELECT COUNT(*) FROM dedup) AS population`;
}

/** The final SELECT of an oversampled sample: rows carry their group and inclusion weight. */
function cellSelect(dialect: Dialect, query: "sample" | "picked" | "cells"): string {
  const r = RULES[dialect];
  if (query === "cells") {
    return `SELECT stratum, grp, available, target, took\nFROM cells\nORDER BY stratum, grp`;
  }
  const columns = query === "sample"
    ? "k.id, k.ts, k.query, k.messages, k.response, k.model, k.feedback, k.stratum, k.h, k.r"
    : "k.id, k.stratum, k.h, k.r";
  return `SELECT ${columns}, k.grp AS feedback_group,\n  CAST(c.available AS ${r.double}) / c.took AS weight\nFROM ranked k JOIN cells c ON c.stratum = k.stratum AND c.grp = k.grp\nWHERE k.r <= c.took\nORDER BY k.stratum, k.h, k.id`;
}
