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
 * @module
 */

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
}

/** Which final SELECT to emit over the shared CTEs. */
export type SampleQuery = "sample" | "picked" | "allocation" | "counts" | "dedup";

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
}

const PUNCT = "[!-/:-@\\[-`{-~]+";
/** Whitespace runs other than one plain space (replacing those is a no-op, and slow). */
const SPACES = "[\\t\\r\\n][ \\t\\r\\n]*| [ \\t\\r\\n]+";

function quoteWith(q: string) {
  return (name: string) => `${q}${name.replaceAll(q, q + q)}${q}`;
}
const sqlStr = (v: string) => `'${v.replaceAll("'", "''")}'`;

const RULES: Record<Dialect, DialectRules> = {
  duckdb: {
    ident: quoteWith('"'),
    str: sqlStr,
    regex: sqlStr,
    md5hex: (e) => `md5(${e})`,
    replaceAll: (e, r, by) => `regexp_replace(${e}, ${r}, ${by}, 'g')`,
    idiv: (a, b) => `(${a}) // (${b})`,
    imod: (a, b) => `(${a}) % (${b})`,
    timestamp: (e) => `CAST(${e} AS TIMESTAMPTZ)`,
    timestampLiteral: (iso) => `CAST(${sqlStr(iso)} AS TIMESTAMPTZ)`,
    messagesText: (c) => `array_to_string(json_extract_string(${c}, '$[*].content'), ' ')`,
  },
  postgres: {
    ident: quoteWith('"'),
    str: sqlStr,
    regex: sqlStr,
    md5hex: (e) => `md5(${e})`,
    replaceAll: (e, r, by) => `regexp_replace(${e}, ${r}, ${by}, 'g')`,
    idiv: (a, b) => `(${a}) / (${b})`,
    imod: (a, b) => `(${a}) % (${b})`,
    timestamp: (e) => `CAST(${e} AS TIMESTAMPTZ)`,
    timestampLiteral: (iso) => `CAST(${sqlStr(iso)} AS TIMESTAMPTZ)`,
    messagesText: (c) =>
      `(SELECT string_agg(m.e ->> 'content', ' ' ORDER BY m.o) FROM jsonb_array_elements(CAST(${c} AS JSONB)) WITH ORDINALITY AS m(e, o))`,
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
  },
};

/** The normalised-text expression for a text expression, in a dialect. */
function normExpr(r: DialectRules, text: string): string {
  const noPunct = r.replaceAll(`LOWER(${text})`, r.regex(PUNCT), r.str(""));
  return `TRIM(${r.replaceAll(noPunct, r.regex(SPACES), r.str(" "))})`;
}

function duckSource(source: DuckSource, cols: Record<string, string>, strata: string): string {
  const r = RULES.duckdb;
  const files = `[${source.files.map(sqlStr).join(", ")}]`;
  const want = [...SAMPLE_FIELDS.map((f) => cols[f]), strata];
  if (source.format === "jsonl") {
    const types = want.map((c) => `${sqlStr(c)}: '${c === cols.messages ? "JSON" : "VARCHAR"}'`);
    const select = SAMPLE_FIELDS.map((f) => `${r.ident(cols[f])} AS ${f}`);
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
  const select = SAMPLE_FIELDS.map((f) => pick(f, cols[f]));
  const from = source.format === "csv"
    ? `read_csv(${files}, header = true, all_varchar = true, union_by_name = true)`
    : `read_parquet(${files}, union_by_name = true)`;
  const stratum = present.has(strata) ? `CAST(${r.ident(strata)} AS VARCHAR)` : "NULL";
  return `SELECT ${select.join(", ")}, ${stratum} AS stratum FROM ${from}`;
}

/** The derived columns every engine computes per record: `norm` and `h`. */
function derived(dialect: Dialect, seed: string): string {
  const r = RULES[dialect];
  const text = `COALESCE(query, ${r.messagesText("messages")})`;
  const idText = `CAST(id AS ${
    dialect === "bigquery" || dialect === "spark" ? "STRING" : "VARCHAR"
  })`;
  return `${normExpr(r, text)} AS norm, ${r.md5hex(`${r.str(`${seed}:`)} || ${idText}`)} AS h`;
}

/**
 * DuckDB: the logs files read once into the few columns the sample decides
 * on — `id`, `ts`, `stratum`, `ts_parsed` (NULL where `ts` does not parse),
 * `no_text` (neither query nor messages), `norm` and `h` — for materialising
 * before validation and sampling. The texts stay in the files; {@link duckFetchSql}
 * reads them back for the drawn ids only, so memory does not grow with them.
 */
export function duckSourceSql(params: SampleSqlParams): string {
  return `SELECT id, ts, stratum, TRY_CAST(ts AS TIMESTAMPTZ) AS ts_parsed,\n  (query IS NULL AND messages IS NULL) AS no_text, ${
    derived("duckdb", params.seed)
  }\nFROM (\n  ${duckUnion(params)}\n) src`;
}

/** DuckDB: every sample field of the records whose id is in `table` (a table with an `id` column). */
export function duckFetchSql(params: SampleSqlParams, table: string): string {
  return `SELECT src.id, src.query, src.messages, src.response, src.model\nFROM (\n  ${
    duckUnion(params)
  }\n) src\nJOIN ${RULES.duckdb.ident(table)} p ON p.id = src.id`;
}

function duckUnion(params: SampleSqlParams): string {
  const cols: Record<string, string> = {};
  for (const f of SAMPLE_FIELDS) cols[f] = params.map?.[f] ?? f;
  const sources = params.sources ?? [];
  if (sources.length === 0) throw new RangeError("DuckDB sampling needs sources");
  return sources.map((s) => duckSource(s, cols, params.strata)).join("\n  UNION ALL\n  ");
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
  const cols: Record<string, string> = {};
  for (const f of SAMPLE_FIELDS) cols[f] = params.map?.[f] ?? f;
  const ctes: string[] = [];
  const derivedColumns = (d: Dialect) => derived(d, params.seed);

  const where: string[] = [];
  if (dialect === "duckdb" && params.materialized) {
    if (params.since) where.push(`ts_parsed >= ${r.timestampLiteral(params.since)}`);
    if (params.until) where.push(`ts_parsed < ${r.timestampLiteral(params.until)}`);
    ctes.push(
      `win AS (\n  SELECT * FROM ${r.ident(params.materialized)}${
        where.length ? `\n  WHERE ${where.join(" AND ")}` : ""
      }\n)`,
    );
  } else {
    if (dialect === "duckdb") {
      const sources = params.sources ?? [];
      if (sources.length === 0) throw new RangeError("sampleSql() needs sources for duckdb");
      ctes.push(
        `src AS (\n  ${
          sources.map((s) => duckSource(s, cols, params.strata)).join("\n  UNION ALL\n  ")
        }\n)`,
      );
    } else {
      const table = (params.table ?? "prod_logs").split(".").map(r.ident).join(".");
      const select = SAMPLE_FIELDS.map((f) => `${r.ident(cols[f])} AS ${f}`);
      ctes.push(
        `src AS (\n  SELECT ${select.join(", ")}, ${
          r.ident(params.strata)
        } AS stratum FROM ${table}\n)`,
      );
    }
    if (params.since) where.push(`${r.timestamp("ts")} >= ${r.timestampLiteral(params.since)}`);
    if (params.until) where.push(`${r.timestamp("ts")} < ${r.timestampLiteral(params.until)}`);
    ctes.push(
      `win AS (\n  SELECT *, ${derivedColumns(dialect)}\n  FROM src${
        where.length ? `\n  WHERE ${where.join(" AND ")}` : ""
      }\n)`,
    );
  }

  const exclude = params.exclude ?? [];
  if (exclude.length > 0) {
    ctes.push(
      `held_out AS (\n  ${
        exclude.map((t) => `SELECT ${normExpr(r, r.str(t))} AS norm`).join("\n  UNION ALL ")
      }\n)`,
    );
    ctes.push(
      `kept AS (\n  SELECT * FROM win w WHERE NOT EXISTS (SELECT 1 FROM held_out x WHERE x.norm = w.norm)\n)`,
    );
  } else {
    ctes.push(`kept AS (\n  SELECT * FROM win\n)`);
  }
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
  ctes.push(
    `ranked AS (\n  SELECT d.*, ROW_NUMBER() OVER (PARTITION BY d.stratum ORDER BY d.h, d.id) AS r FROM dedup d\n)`,
  );

  let final: string;
  if (query === "dedup") {
    final = "SELECT * FROM dedup";
  } else if (query === "picked") {
    final =
      `SELECT k.id, k.stratum, k.h, k.r\nFROM ranked k JOIN seats s ON s.stratum = k.stratum\nWHERE k.r <= LEAST(s.target, s.available)\nORDER BY k.stratum, k.r`;
  } else if (query === "sample") {
    final =
      `SELECT k.id, k.ts, k.query, k.messages, k.response, k.model, k.stratum, k.h, k.r\nFROM ranked k JOIN seats s ON s.stratum = k.stratum\nWHERE k.r <= LEAST(s.target, s.available)\nORDER BY k.stratum, k.r`;
  } else if (query === "allocation") {
    final =
      `SELECT COALESCE(s.stratum, p.stratum) AS stratum, COALESCE(s.weight, 0) AS weight,\n  COALESCE(p.available, 0) AS available, COALESCE(s.target, 0) AS target,\n  LEAST(COALESCE(s.target, 0), COALESCE(p.available, 0)) AS got\nFROM seats s FULL OUTER JOIN pop p ON p.stratum = s.stratum\nORDER BY 1`;
  } else {
    final = `SELECT (SELECT COUNT(*) FROM ${
      dialect === "duckdb" && params.materialized ? r.ident(params.materialized) : "src"
    }) AS total, (SELECT COUNT(*) FROM win) AS in_window,\n  (SELECT COUNT(*) FROM win) - (SELECT COUNT(*) FROM kept) AS excluded,\n  (SELECT COUNT(*) FROM kept) - (SELECT COUNT(*) FROM dedup) AS duplicates,\n  (SELECT COUNT(*) FROM dedup) AS population`;
  }
  const head =
    `-- evalkit sample: n=${params.n}, seed=${params.seed}, strata=${params.strata}, dialect=${dialect}`;
  return `${head}\nWITH\n${ctes.join(",\n")}\n${final}`;
}
