import assert from "node:assert/strict";
import { relative as relativePath } from "node:path";
import { main } from "../lib/cli.ts";
import {
  EvalItem,
  jsonlToParquet,
  largestRemainder,
  readManifest,
  readRecords,
  sampleLogs,
  sampleSql,
  toCsv,
  toJsonl,
  withDuckDB,
} from "../lib/mod.ts";
import { duckSourceSql } from "../lib/sample/sql.ts";
import { startPostgres } from "../lib/testing/postgres.ts";

const DEMO = new URL("../data/demo/", import.meta.url).pathname;
const LOGS = `${DEMO}logs.jsonl`;
const CASES = `${DEMO}regression_cases.jsonl`;
const MIX = { billing: 0.6, technical: 0.2, account: 0.1, other: 0.1 };

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

async function tmp(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "evalkit-sample-" });
}

async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) names.push(e.name);
  } catch {
    // Missing: empty.
  }
  return names.sort();
}

/** Small synthetic logs with known duplicates, strata and timestamps. */
function syntheticLogs() {
  const logs: Record<string, unknown>[] = [];
  const topics = ["billing", "billing", "billing", "technical", "other"];
  for (let i = 0; i < 60; i++) {
    logs.push({
      id: `s${String(i).padStart(3, "0")}`,
      ts: `2026-06-${String(1 + (i % 20)).padStart(2, "0")}T10:00:00Z`,
      query: `question number ${i} about ${topics[i % 5]}`,
      topic: topics[i % 5],
    });
  }
  // Exact and normalised duplicates of s000 ("question number 0 about billing").
  logs.push({
    id: "d1",
    ts: "2026-06-02T10:00:00Z",
    query: "question number 0 about billing",
    topic: "billing",
  });
  logs.push({
    id: "d2",
    ts: "2026-06-03T10:00:00Z",
    query: "  Question  number 0, about BILLING!! ",
    topic: "billing",
  });
  // A multi-turn record.
  logs.push({
    id: "m1",
    ts: "2026-06-04T10:00:00Z",
    messages: [
      { role: "user", content: "my invoice is wrong" },
      { role: "assistant", content: "Which one?" },
      { role: "user", content: "the second one, from may" },
    ],
    topic: "technical",
  });
  return logs;
}

Deno.test("largestRemainder() gives exactly 120/40/20/20 for n=200 at 60/20/10/10", () => {
  assert.deepEqual(largestRemainder(200, MIX), {
    billing: 120,
    technical: 40,
    account: 20,
    other: 20,
  });
  const seats = largestRemainder(7, { a: 1 / 3, b: 1 / 3, c: 1 / 3 });
  assert.equal(Object.values(seats).reduce((x, y) => x + y, 0), 7);
  assert.deepEqual(Object.values(seats).sort(), [2, 2, 3]);
  assert.deepEqual(largestRemainder(10, { a: 0.55, b: 0.45 }), { a: 6, b: 4 });
});

Deno.test("sampleLogs() draws the demo logs to the 60/20/10/10 mix exactly and reproducibly", async () => {
  const a = await sampleLogs({ logs: [LOGS], n: 200, seed: 7, mix: MIX });
  assert.equal(a.items.length, 200);
  assert.deepEqual(
    Object.fromEntries(Object.entries(a.summary.strata).map(([k, v]) => [k, [v.target, v.got]])),
    { account: [20, 20], billing: [120, 120], other: [20, 20], technical: [40, 40] },
  );
  assert.equal(a.summary.mix.tvd, 0);
  assert.equal(a.summary.mix.chi_square.p_value, 1);
  const b = await sampleLogs({ logs: [LOGS], n: 200, seed: 7, mix: MIX });
  assert.equal(toJsonl(a.items), toJsonl(b.items), "same seed, same bytes");
  const c = await sampleLogs({ logs: [LOGS], n: 200, seed: 8, mix: MIX });
  const overlap = c.items.filter((i) => a.items.some((j) => j.source_id === i.source_id)).length;
  assert.ok(overlap < 40, `another seed draws another sample (overlap ${overlap})`);
  for (const item of a.items) EvalItem.parse(item);
});

Deno.test("sampleLogs() uses the mix observed in the window by default and reports it", async () => {
  const r = await sampleLogs({ logs: [LOGS], n: 100, seed: 1 });
  const prod = r.summary.mix.prod;
  assert.ok(Math.abs(prod.billing - 0.6) < 0.03, `billing share ${prod.billing}`);
  assert.equal(Object.values(r.summary.strata).reduce((s, v) => s + v.got, 0), 100);
  assert.ok(r.summary.mix.tvd < 0.02);
});

Deno.test("sampleLogs() keeps the mess: text unchanged but for PII, earlier turns kept", async () => {
  const dir = await tmp();
  const file = `${dir}/logs.jsonl`;
  const logs = syntheticLogs();
  logs.push({
    id: "p1",
    ts: "2026-06-05T10:00:00Z",
    query:
      "hlep!! my emial is ana.ruiz@example.com  and teh card 4111 1111 1111 1111 , ana.ruiz@example.com again",
    topic: "other",
  });
  await Deno.writeTextFile(file, toJsonl(logs));
  const r = await sampleLogs({ logs: [file], n: 59, seed: 3 });
  const p1 = r.items.find((i) => i.source_id === "p1")!;
  assert.equal(
    p1.query,
    "hlep!! my emial is <EMAIL_1>  and teh card <CARD_1> , <EMAIL_1> again",
  );
  const m1 = r.items.find((i) => i.source_id === "m1")!;
  assert.deepEqual(m1.messages?.map((m) => m.content), [
    "my invoice is wrong",
    "Which one?",
    "the second one, from may",
  ]);
  assert.equal(r.summary.pii.email, 2);
  assert.equal(r.summary.pii.card, 1);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("sampleLogs() removes exact and normalised duplicates and counts them", async () => {
  const dir = await tmp();
  const file = `${dir}/logs.jsonl`;
  await Deno.writeTextFile(file, toJsonl(syntheticLogs()));
  const r = await sampleLogs({ logs: [file], n: 61, seed: 3 });
  assert.equal(r.summary.duplicates_removed, 2);
  assert.equal(r.summary.population, 61);
  const zeroes = r.items.filter((i) => /question number 0 about billing/i.test(i.query ?? ""));
  assert.equal(zeroes.length, 1);
  await assert.rejects(
    sampleLogs({ logs: [file], n: 62, seed: 3 }),
    /--n 62 is above the 61 distinct queries in the window \(after 2 duplicates and 0 held-out were removed\)/,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("sampleLogs() never samples a held-out regression case and counts them", async () => {
  const cases = await readRecords(CASES, (await import("../lib/schemas.ts")).RegressionCase);
  const r = await sampleLogs({ logs: [LOGS], n: 2000, seed: 11, exclude: [CASES] });
  assert.ok(r.summary.excluded > 0, "the demo logs contain the cases' queries");
  const norm = (s: string) =>
    s.toLowerCase().replace(/[!-/:-@[-`{-~]/g, "").replace(/[ \t\r\n]+/g, " ").trim();
  const held = new Set(
    cases.map((c) => norm(c.query ?? c.messages!.map((m) => m.content).join(" "))),
  );
  const texts = await readRecords(LOGS, (await import("../lib/schemas.ts")).ProdLogRecord);
  const byId = new Map(texts.map((l) => [l.id, l]));
  for (const item of r.items) {
    const log = byId.get(item.source_id)!;
    const text = log.query ?? log.messages!.map((m) => m.content).join(" ");
    assert.ok(!held.has(norm(text)), `sampled held-out query ${item.source_id}`);
  }
});

Deno.test("sampleLogs() gives a short stratum all it has, warns, and never fills from others", async () => {
  const dir = await tmp();
  const file = `${dir}/logs.jsonl`;
  await Deno.writeTextFile(file, toJsonl(syntheticLogs()));
  // 12 "other" rows exist; a 50% share of 40 asks for 20.
  const r = await sampleLogs({
    logs: [file],
    n: 40,
    seed: 5,
    mix: { other: 0.5, billing: 0.3, technical: 0.2 },
  });
  assert.deepEqual(r.summary.strata.other, { target: 20, got: 12, available: 12 });
  assert.deepEqual(r.summary.strata.billing, { target: 12, got: 12, available: 36 });
  assert.equal(r.items.length, 12 + 12 + 8);
  assert.match(r.summary.warnings.join("\n"), /stratum "other" has 12 rows for a target of 20/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("sampleLogs() reads the same logs from JSONL, CSV and Parquet into the same sample", async () => {
  const dir = await tmp();
  const logs = syntheticLogs();
  await Deno.writeTextFile(`${dir}/logs.jsonl`, toJsonl(logs));
  await Deno.writeTextFile(
    `${dir}/logs.csv`,
    toCsv(logs, ["id", "ts", "query", "messages", "topic"]),
  );
  await jsonlToParquet(`${dir}/logs.jsonl`, `${dir}/logs.parquet`);
  const j = await sampleLogs({ logs: [`${dir}/logs.jsonl`], n: 30, seed: 9 });
  const c = await sampleLogs({ logs: [`${dir}/logs.csv`], n: 30, seed: 9 });
  const p = await sampleLogs({ logs: [`${dir}/logs.parquet`], n: 30, seed: 9 });
  assert.equal(toJsonl(c.items), toJsonl(j.items));
  assert.equal(toJsonl(p.items), toJsonl(j.items));
  // Two files, one glob: the union is sampled.
  await Deno.writeTextFile(`${dir}/part-1.jsonl`, toJsonl(logs.slice(0, 30)));
  await Deno.writeTextFile(`${dir}/part-2.jsonl`, toJsonl(logs.slice(30)));
  const g = await sampleLogs({ logs: [`${dir}/part-*.jsonl`], n: 30, seed: 9 });
  assert.deepEqual(g.files, [`${dir}/part-1.jsonl`, `${dir}/part-2.jsonl`]);
  assert.equal(toJsonl(g.items), toJsonl(j.items));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("sampleLogs() samples only the --since/--until window", async () => {
  const r = await sampleLogs({
    logs: [LOGS],
    n: 50,
    seed: 2,
    since: "2026-07-01",
    until: "2026-07-10",
  });
  const logs = await readRecords(LOGS, (await import("../lib/schemas.ts")).ProdLogRecord);
  const byId = new Map(logs.map((l) => [l.id, l]));
  for (const item of r.items) {
    const ts = byId.get(item.source_id)!.ts;
    assert.ok(ts >= "2026-07-01" && ts < "2026-07-11", `${item.source_id} at ${ts}`);
  }
  assert.ok(r.summary.in_window < r.summary.rows);
});

Deno.test("--emit-sql duckdb selects exactly the ids the CLI sample selects", async () => {
  const dir = await tmp();
  await Deno.writeTextFile(`${dir}/mix.json`, JSON.stringify(MIX));
  const emitted = await cli([
    "sample",
    "--logs",
    LOGS,
    "--n",
    "200",
    "--seed",
    "42",
    "--mix",
    `${dir}/mix.json`,
    "--exclude",
    CASES,
    "--emit-sql",
    "duckdb",
  ]);
  assert.equal(emitted.code, 0, emitted.stderr);
  const sampled = await cli([
    "sample",
    "--logs",
    LOGS,
    "--n",
    "200",
    "--seed",
    "42",
    "--mix",
    `${dir}/mix.json`,
    "--exclude",
    CASES,
    "--out",
    `${dir}/runs`,
    "--json",
  ]);
  assert.equal(sampled.code, 0, sampled.stderr);
  const artifact = JSON.parse(sampled.stdout).artifact;
  const items = await readRecords(`${artifact}/evalset.jsonl`, EvalItem);
  const cliIds = items.map((i) => i.source_id).sort();
  const sqlIds = await withDuckDB(async (conn) => {
    await conn.run("SET TimeZone = 'UTC'");
    return (await conn.runAndReadAll(emitted.stdout)).getRowObjectsJson().map((r) => String(r.id));
  });
  assert.equal(sqlIds.length, 200);
  assert.deepEqual(sqlIds.sort(), cliIds);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("--emit-sql postgres selects the same ids on a real PostgreSQL server, with --oversample the same weights", async () => {
  const dir = await tmp();
  await Deno.chmod(dir, 0o755);
  const pg = await startPostgres();
  try {
    // The demo logs as a table, messages as jsonb, exactly as a warehouse would hold them.
    const csv = `${dir}/logs.csv`;
    await withDuckDB(async (conn) => {
      await conn.run(
        `COPY (SELECT id, ts, query, CAST(messages AS VARCHAR) AS messages, response, model, topic, feedback
               FROM read_json('${LOGS}', format = 'newline_delimited',
                 columns = {id: 'VARCHAR', ts: 'VARCHAR', query: 'VARCHAR', messages: 'JSON',
                            response: 'VARCHAR', model: 'VARCHAR', topic: 'VARCHAR', feedback: 'VARCHAR'}))
         TO '${csv}' (HEADER, DELIMITER ',')`,
      );
    });
    await pg.psql(
      "CREATE TABLE prod_logs (id text, ts text, query text, messages jsonb, response text, model text, topic text, feedback text)",
    );
    await pg.psql(`\\copy prod_logs FROM '${csv}' WITH (FORMAT csv, HEADER true)`);
    assert.equal((await pg.psql("SELECT count(*) FROM prod_logs")).trim(), "6024");
    await Deno.writeTextFile(`${dir}/mix.json`, JSON.stringify(MIX));
    const common = [
      "sample",
      "--n",
      "200",
      "--seed",
      "42",
      "--mix",
      `${dir}/mix.json`,
      "--exclude",
      CASES,
    ];
    // Only the ids and weights: responses hold line breaks that would split psql's rows.
    const pgRows = async (args: string[]) => {
      const emitted = await cli([...common, ...args, "--emit-sql", "postgres"]);
      assert.equal(emitted.code, 0, emitted.stderr);
      const weight = args.length ? "weight" : "NULL";
      await Deno.writeTextFile(
        `${dir}/sample.sql`,
        `SELECT id, ${weight} FROM (\n${emitted.stdout}) AS q;\n`,
      );
      const out = await pg.psqlFile(`${dir}/sample.sql`);
      return out.trim().split("\n").map((l) => l.split("|")).sort(([a], [b]) => a < b ? -1 : 1);
    };
    const local = await sampleLogs({
      logs: [LOGS],
      n: 200,
      seed: "42",
      mix: MIX,
      exclude: [CASES],
    });
    const plain = await pgRows([]);
    assert.equal(plain.length, 200);
    assert.deepEqual(plain.map(([id]) => id), local.items.map((i) => i.source_id).sort());

    const oversampled = await sampleLogs({
      logs: [LOGS],
      n: 200,
      seed: "42",
      mix: MIX,
      exclude: [CASES],
      oversample: { down: 0.3, up: 0.1 },
    });
    const rows = await pgRows(["--oversample", "down=0.3", "--oversample", "up=0.1"]);
    assert.equal(rows.length, 200);
    const weights = new Map(oversampled.items.map((i) => [i.source_id, i.weight!]));
    assert.deepEqual(rows.map(([id]) => id), [...weights.keys()].sort());
    for (const [id, w] of rows) {
      assert.ok(
        Math.abs(Number(w) - weights.get(id)!) < 1e-12,
        `${id}: ${w} vs ${weights.get(id)}`,
      );
    }
    assert.ok(new Set(weights.values()).size > 4, "weights differ between cells");
  } finally {
    await pg.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--emit-sql for BigQuery, Snowflake and Spark uses each engine's functions and quoting", () => {
  const params = {
    n: 200,
    seed: "42",
    strata: "topic",
    mix: MIX,
    exclude: ["it's broken"],
    since: "2026-06-01T00:00:00.000Z",
    table: "analytics.prod_logs",
  };
  const bq = sampleSql("bigquery", params);
  assert.match(bq, /TO_HEX\(MD5\('42:' \|\| CAST\(id AS STRING\)\)\)/);
  assert.match(bq, /REGEXP_REPLACE\(LOWER\(.*\), r'\[!-\/:-@\\\[-`\{-~\]\+', ''\)/);
  assert.match(bq, /DIV\(200 \* CAST\(m\.weight AS BIGINT\)/);
  assert.match(bq, /FROM `analytics`\.`prod_logs`/);
  assert.match(bq, /JSON_QUERY_ARRAY\(messages\)/);
  assert.match(bq, /TIMESTAMP\('2026-06-01T00:00:00.000Z'\)/);
  assert.match(bq, /'it''s broken'/);
  const sf = sampleSql("snowflake", params);
  assert.match(sf, /MD5\('42:' \|\| CAST\(id AS VARCHAR\)\)/);
  assert.match(sf, /\$\$\[!-\/:-@\\\[-`\{-~\]\+\$\$/);
  assert.match(sf, /FROM "analytics"\."prod_logs"/);
  assert.match(sf, /TO_TIMESTAMP_TZ\(ts\)/);
  assert.match(sf, /FLOOR\(\(200 \* CAST\(m\.weight AS BIGINT\)\)/);
  const spark = sampleSql("spark", params);
  assert.match(spark, /md5\('42:' \|\| CAST\(id AS STRING\)\)/);
  assert.match(
    spark,
    /'\[!-\/:-@\\\\\[-`\{-~\]\+'/,
    "backslashes doubled in Spark string literals",
  );
  assert.match(spark, /array_join\(transform\(messages, m -> m\.content\), ' '\)/);
  assert.match(spark, /'it\\'s broken'/);
  assert.match(spark, /\(200 \* CAST\(m\.weight AS BIGINT\)\) div/);
  for (const sql of [bq, sf, spark]) {
    assert.match(sql, /\n-- text: \w+ joins messages' string contents only; content parts/);
    assert.match(sql, /ROW_NUMBER\(\) OVER \(PARTITION BY d\.stratum ORDER BY d\.h, d\.id\)/);
    assert.match(sql, /WHERE k\.r <= LEAST\(s\.target, s\.available\)/);
  }
});

Deno.test("duckSourceSql() and the self-contained query agree on every derived column", async () => {
  const params = {
    n: 10,
    seed: "s",
    strata: "topic",
    sources: [{ format: "jsonl" as const, files: [LOGS] }],
  };
  const [a, b] = await withDuckDB(async (conn) => {
    await conn.run("SET TimeZone = 'UTC'");
    const x = (await conn.runAndReadAll(
      `SELECT id, norm, h FROM (${duckSourceSql(params)}) ORDER BY id LIMIT 500`,
    )).getRowObjectsJson();
    const y = (await conn.runAndReadAll(
      sampleSql("duckdb", params).replace(
        /\nSELECT k\.id[\s\S]*$/,
        "\nSELECT id, norm, h FROM win ORDER BY id LIMIT 500",
      ),
    )).getRowObjectsJson();
    return [x, y];
  });
  assert.deepEqual(a, b);
});

Deno.test("evalkit sample writes an evalset artifact with the prod mix, reproducibly, PII-free", async () => {
  const dir = await tmp();
  await Deno.writeTextFile(`${dir}/mix.json`, JSON.stringify(MIX));
  const args = [
    "sample",
    "--logs",
    LOGS,
    "--n",
    "300",
    "--seed",
    "1",
    "--mix",
    `${dir}/mix.json`,
    "--exclude",
    CASES,
    "--out",
    `${dir}/runs`,
    "--json",
  ];
  const first = await cli(args);
  assert.equal(first.code, 0, first.stderr);
  const summary = JSON.parse(first.stdout);
  for (const key of ["artifact", "n", "strata", "pii", "duplicates_removed", "excluded"]) {
    assert.ok(key in summary, `summary has ${key}`);
  }
  assert.deepEqual(summary.strata.billing, { target: 180, got: 180 });
  assert.deepEqual(await listDir(summary.artifact), [
    "evalset.jsonl",
    "manifest.json",
    "sample.sql",
    "strata.json",
  ]);
  const strata = JSON.parse(await Deno.readTextFile(`${summary.artifact}/strata.json`));
  assert.deepEqual(strata.mix.prod, MIX);
  const manifest = await readManifest(summary.artifact);
  assert.equal(manifest.command, "sample");
  assert.equal(manifest.seed, "1");
  assert.deepEqual(manifest.inputs.map((i) => i.path), [LOGS, `${dir}/mix.json`, CASES]);
  const bytes = await Deno.readFile(`${summary.artifact}/evalset.jsonl`);
  const again = await cli(args);
  assert.equal(JSON.parse(again.stdout).artifact, summary.artifact);
  assert.deepEqual(await Deno.readFile(`${summary.artifact}/evalset.jsonl`), bytes);
  // No planted PII value survives into anything written.
  const text = new TextDecoder().decode(bytes);
  const truth = (await Deno.readTextFile(`${DEMO}pii_truth.jsonl`)).trim().split("\n").map((l) =>
    JSON.parse(l)
  );
  const sampled = new Set(
    (await readRecords(`${summary.artifact}/evalset.jsonl`, EvalItem)).map((i) => i.source_id),
  );
  let planted = 0;
  for (const t of truth) {
    if (!sampled.has(t.log_id)) continue;
    planted++;
    assert.ok(!text.includes(t.value), `${t.type} "${t.value}" of ${t.log_id} was written`);
  }
  assert.ok(planted > 10, `the sample holds planted PII (${planted})`);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("evalkit sample refuses bad input with exit 2 and writes nothing", async () => {
  const dir = await tmp();
  const out = `${dir}/runs`;
  const logs = `${dir}/logs.jsonl`;
  await Deno.writeTextFile(logs, toJsonl(syntheticLogs()));
  const noQuery = `${dir}/noquery.csv`;
  await Deno.writeTextFile(noQuery, "id,ts,question,topic\n1,2026-06-01,hi,billing\n");
  const badTs = `${dir}/badts.jsonl`;
  await Deno.writeTextFile(
    badTs,
    toJsonl([...syntheticLogs().slice(0, 5), {
      id: "bad",
      ts: "last tuesday",
      query: "q",
      topic: "billing",
    }]),
  );
  const dupIds = `${dir}/dupids.jsonl`;
  await Deno.writeTextFile(
    dupIds,
    toJsonl([...syntheticLogs().slice(0, 5), {
      id: "s001",
      ts: "2026-06-09",
      query: "other",
      topic: "other",
    }]),
  );
  const write = async (
    name: string,
    body: string,
  ) => (await Deno.writeTextFile(`${dir}/${name}`, body), `${dir}/${name}`);
  const badSum = await write("sum.json", '{"billing":0.6,"other":0.3}');
  const absent = await write("absent.json", '{"billing":0.5,"legal":0.5}');
  const cases: [string[], RegExp][] = [
    [
      ["--logs", noQuery, "--n", "1", "--seed", "1"],
      /noquery\.csv": line 1: field "query": missing column/,
    ],
    [
      ["--logs", logs, "--n", "1", "--seed", "1", "--strata", "team"],
      /field "team": unknown strata column; columns are "id", "ts", /,
    ],
    [
      ["--logs", logs, "--n", "5", "--seed", "1", "--mix", badSum],
      /sum\.json": shares sum to 0\.9, expected 1 ± 0\.001/,
    ],
    [["--logs", logs, "--n", "-3", "--seed", "1"], /Invalid --n "-3": expected a positive integer/],
    [
      ["--logs", logs, "--n", "2.5", "--seed", "1"],
      /Invalid --n "2\.5": expected a positive integer/,
    ],
    [["--logs", logs, "--n", "500", "--seed", "1"], /--n 500 is above the 61 distinct queries/],
    [
      ["--logs", badTs, "--n", "2", "--seed", "1"],
      /badts\.jsonl": line 6: field "ts": expected an ISO 8601 timestamp or epoch seconds or milliseconds, received "last tuesday"\n/,
    ],
    [
      ["--logs", logs, "--n", "5", "--seed", "1", "--mix", absent],
      /The mix names a stratum absent from the logs in the window: "legal"/,
    ],
    [
      ["--logs", `${dir}/nope-*.jsonl`, "--n", "5", "--seed", "1"],
      /nope-\*\.jsonl": no file matches/,
    ],
    [["--logs", logs, "--n", "5"], /Missing required flag --seed/],
    [
      ["--logs", dupIds, "--n", "2", "--seed", "1"],
      /dupids\.jsonl": line 2: field "id": duplicate value "s001" \(2 records have it; ids must be unique\)/,
    ],
  ];
  for (const [args, message] of cases) {
    const r = await cli(["sample", ...args, "--out", out]);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  assert.deepEqual(await listDir(out), [], "nothing written");
  await Deno.remove(dir, { recursive: true });
});

const SHAPES = new URL("./fixtures/formats/messages.jsonl", import.meta.url).pathname;

/** The synthetic logs plus the OpenAI-shaped fixture records (epoch, SQL-style and zone-less ts). */
async function mixedShapeLogs(dir: string): Promise<string> {
  const file = `${dir}/mixed.jsonl`;
  const shaped = (await Deno.readTextFile(SHAPES)).trim().split("\n").map((l) => JSON.parse(l));
  await Deno.writeTextFile(file, toJsonl([...syntheticLogs(), ...shaped]));
  return file;
}

Deno.test("sampleLogs() reads OpenAI-shaped messages: one text for dedupe, shapes kept, no-zone warned", async () => {
  const r = await sampleLogs({ logs: [SHAPES], n: 7, seed: "s", mix: undefined });
  assert.equal(r.summary.rows, 8);
  assert.equal(
    r.summary.duplicates_removed,
    1,
    "oa-8 repeats oa-1's query under another system prompt",
  );
  assert.equal(r.items.length, 7);
  assert.ok(r.summary.warnings.includes("2 timestamps without a zone read as UTC"));
  const ids = r.items.map((i) => i.source_id);
  assert.equal(ids.filter((id) => id === "oa-1" || id === "oa-8").length, 1);
  const oa3 = r.items.find((i) => i.source_id === "oa-3")!;
  assert.equal(oa3.messages?.[1].content, null);
  assert.equal(oa3.messages?.[1].tool_calls?.[0].function.name, "resend_invoice");
  const oa2 = r.items.find((i) => i.source_id === "oa-2")!;
  assert.deepEqual((oa2.messages?.[1].content as { type: string }[]).map((p) => p.type), [
    "text",
    "image_url",
  ]);
});

Deno.test("--emit-sql duckdb and postgres pick the CLI's ids on OpenAI-shaped, epoch-stamped logs", async () => {
  const dir = await tmp();
  await Deno.chmod(dir, 0o755);
  const logs = await mixedShapeLogs(dir);
  const common = [
    "sample",
    "--n",
    "12",
    "--seed",
    "7",
    "--since",
    "2026-06-02",
    "--until",
    "2026-06-19",
  ];
  const local = await sampleLogs({
    logs: [logs],
    n: 12,
    seed: "7",
    since: "2026-06-02",
    until: "2026-06-19",
  });
  const cliIds = local.items.map((i) => i.source_id).sort();
  assert.ok(cliIds.some((id) => id.startsWith("oa-")), "the shaped records are in the sample");
  assert.ok(local.summary.in_window > 0 && local.summary.in_window < local.summary.rows);
  const duck = await cli([...common, "--logs", logs, "--emit-sql", "duckdb"]);
  assert.equal(duck.code, 0, duck.stderr);
  const duckIds = await withDuckDB(async (conn) => {
    await conn.run("SET TimeZone = 'UTC'");
    return (await conn.runAndReadAll(duck.stdout)).getRowObjectsJson().map((r) => String(r.id));
  });
  assert.deepEqual(duckIds.sort(), cliIds);
  const pg = await startPostgres();
  try {
    const csv = `${dir}/mixed.csv`;
    await withDuckDB(async (conn) => {
      await conn.run(
        `COPY (SELECT id, ts, query, CAST(messages AS VARCHAR) AS messages, response, model, topic
               FROM read_json('${logs}', format = 'newline_delimited',
                 columns = {id: 'VARCHAR', ts: 'VARCHAR', query: 'VARCHAR', messages: 'JSON',
                            response: 'VARCHAR', model: 'VARCHAR', topic: 'VARCHAR'}))
         TO '${csv}' (HEADER, DELIMITER ',')`,
      );
    });
    await pg.psql(
      "CREATE TABLE prod_logs (id text, ts text, query text, messages jsonb, response text, model text, topic text)",
    );
    await pg.psql(`\\copy prod_logs FROM '${csv}' WITH (FORMAT csv, HEADER true)`);
    const emitted = await cli([...common, "--emit-sql", "postgres"]);
    assert.equal(emitted.code, 0, emitted.stderr);
    await Deno.writeTextFile(`${dir}/sample.sql`, `SELECT id FROM (\n${emitted.stdout}) AS q;\n`);
    const out = await pg.psqlFile(`${dir}/sample.sql`);
    assert.deepEqual(out.trim().split("\n").sort(), cliIds);
  } finally {
    await pg.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("evalkit sample refuses a log file that mixes epoch seconds and milliseconds", async () => {
  const dir = await tmp();
  const file = `${dir}/mixed-epoch.jsonl`;
  await Deno.writeTextFile(
    file,
    toJsonl([
      { id: "a", ts: 1780308000, query: "one", topic: "x" },
      { id: "b", ts: 1780308060000, query: "two", topic: "x" },
    ]),
  );
  const r = await cli([
    "sample",
    "--logs",
    file,
    "--n",
    "1",
    "--seed",
    "1",
    "--out",
    `${dir}/runs`,
  ]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /mixed-epoch\.jsonl": line 2: field "ts": epoch milliseconds/);
  assert.deepEqual(await listDir(`${dir}/runs`), []);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the same logs named by an absolute and a relative path sample into two artifacts side by side, not a refusal", async () => {
  // A notebook passes the demo logs by absolute path, the CLI demo by a relative one; both
  // write into the same runs/. sample.sql reads the logs by the path as given, so the two
  // differ in it and must not share a folder (they did: "Refusing to overwrite").
  const out = await tmp();
  const dir = await tmp();
  const absolute = `${dir}/logs.jsonl`;
  await Deno.writeTextFile(absolute, toJsonl(syntheticLogs()));
  const relative = relativePath(Deno.cwd(), absolute);
  assert.ok(!relative.startsWith("/"), relative);
  const dirs: string[] = [];
  for (const logs of [absolute, relative]) {
    const r = await cli([
      "sample",
      "--logs",
      logs,
      "--n",
      "20",
      "--seed",
      "1",
      "--json",
      "--out",
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    dirs.push(JSON.parse(r.stdout).artifact);
  }
  assert.notEqual(dirs[0], dirs[1]);
  const [a, b] = await Promise.all(dirs.map((d) => Deno.readTextFile(`${d}/evalset.jsonl`)));
  assert.equal(a, b, "the same items");
  const sqls = await Promise.all(dirs.map((d) => Deno.readTextFile(`${d}/sample.sql`)));
  assert.ok(sqls[0].includes(`'${absolute}'`) && sqls[1].includes(`'${relative}'`));
  await Deno.remove(out, { recursive: true });
  await Deno.remove(dir, { recursive: true });
});
