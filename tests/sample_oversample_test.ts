/**
 * `sample --oversample FEEDBACK=SHARE`: thumbed-down (or up) records drawn at their own
 * share of each stratum, every item weighted by its cell's records over its cell's draws.
 * Expected counts below are worked out by hand from the synthetic logs.
 */
import assert from "node:assert/strict";
import { main } from "../lib/cli.ts";
import {
  EvalItem,
  readManifest,
  readRecords,
  sampleLogs,
  sampleSql,
  toJsonl,
  withDuckDB,
} from "../lib/mod.ts";
import { parseOversample } from "../lib/sample/oversample.ts";

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** Down spellings parseFeedback reads; the SQL must read them alike. */
const DOWN = ["down", "thumbs_down", -1, false, "👎", " Negative "];
const UP = ["up", "thumbs_up", 1, true, "👍"];

/**
 * Stratum "a": 100 records, 20 thumbed down, 30 up, 50 without feedback.
 * Stratum "b": 50 records, `bDown` thumbed down, 10 up, the rest without feedback.
 */
function feedbackLogs(bDown = 10): Record<string, unknown>[] {
  const logs: Record<string, unknown>[] = [];
  const add = (topic: string, i: number, feedback: unknown) =>
    logs.push({
      id: `${topic}${String(i).padStart(3, "0")}`,
      ts: `2026-06-${String(1 + (i % 28)).padStart(2, "0")}T10:00:00Z`,
      query: `distinct question ${i} in ${topic}`,
      topic,
      ...(feedback === undefined ? {} : { feedback }),
    });
  for (let i = 0; i < 100; i++) {
    add("a", i, i < 20 ? DOWN[i % DOWN.length] : i < 50 ? UP[i % UP.length] : i % 2 ? null : "");
  }
  for (let i = 0; i < 50; i++) {
    add("b", i, i < bDown ? DOWN[i % DOWN.length] : i < bDown + 10 ? "up" : undefined);
  }
  return logs;
}

const isDown = (f: unknown) => DOWN.includes(f as never);
const isUp = (f: unknown) => UP.includes(f as never);

async function logsFile(records: Record<string, unknown>[]): Promise<string> {
  const file = await Deno.makeTempFile({ prefix: "evalkit-oversample-", suffix: ".jsonl" });
  await Deno.writeTextFile(file, toJsonl(records));
  return file;
}

const MIX = { a: 0.6, b: 0.4 };

Deno.test("sampleLogs() with oversample down=0.3 draws 30% thumbed-down within each stratum, weighted by cell", async () => {
  const records = feedbackLogs();
  const byId = new Map(records.map((r) => [String(r.id), r]));
  const file = await logsFile(records);
  const r = await sampleLogs({ logs: [file], n: 30, seed: 1, mix: MIX, oversample: { down: 0.3 } });
  // a: 18 seats, 0.3 · 18 = 5.4 → 5 down (remainder .4), 12.6 → 13 rest (remainder .6).
  // b: 12 seats, 3.6 → 4 down (remainder .6), 8.4 → 8 rest.
  assert.deepEqual(r.summary.strata.a, { target: 18, got: 18, available: 100 });
  assert.deepEqual(r.summary.strata.b, { target: 12, got: 12, available: 50 });
  assert.deepEqual(r.summary.oversample!.cells, {
    a: {
      down: { available: 20, target: 5, got: 5, weight: 4 },
      rest: { available: 80, target: 13, got: 13, weight: 80 / 13 },
    },
    b: {
      down: { available: 10, target: 4, got: 4, weight: 2.5 },
      rest: { available: 40, target: 8, got: 8, weight: 5 },
    },
  });
  assert.deepEqual(r.summary.oversample!.shares, { down: 0.3 });
  assert.deepEqual(r.summary.oversample!.short, []);
  for (const item of r.items) {
    EvalItem.parse(item);
    const feedback = byId.get(item.source_id)!.feedback;
    const down = isDown(feedback);
    const expected = item.stratum === "a" ? (down ? 4 : 80 / 13) : (down ? 2.5 : 5);
    assert.equal(item.weight, expected, `${item.source_id} (${feedback})`);
  }
  // The weights count each stratum back to its records.
  for (const [s, population] of [["a", 100], ["b", 50]] as const) {
    const sum = r.items.filter((i) => i.stratum === s).reduce((a, i) => a + i.weight!, 0);
    assert.ok(Math.abs(sum - population) < 1e-9, `${s}: ${sum}`);
  }
  // Records without feedback are drawn as "rest", never as thumbed-down.
  const rest = r.items.filter((i) => !isDown(byId.get(i.source_id)!.feedback));
  assert.ok(rest.some((i) => byId.get(i.source_id)!.feedback == null), "no-feedback items drawn");
  assert.ok(rest.some((i) => isUp(byId.get(i.source_id)!.feedback)), "thumbs-up in the rest");
  await Deno.remove(file);
});

Deno.test("sampleLogs() oversampling down and up together gives each its share and the rest the remainder", async () => {
  const records = feedbackLogs();
  const byId = new Map(records.map((r) => [String(r.id), r]));
  const file = await logsFile(records);
  const r = await sampleLogs({
    logs: [file],
    n: 40,
    seed: "both",
    mix: { a: 1 },
    oversample: { up: 0.25, down: 0.25 },
  });
  // 40 seats in a: 10 down, 10 up, 20 from the 50 without feedback.
  assert.deepEqual(r.summary.oversample!.cells.a, {
    down: { available: 20, target: 10, got: 10, weight: 2 },
    rest: { available: 50, target: 20, got: 20, weight: 2.5 },
    up: { available: 30, target: 10, got: 10, weight: 3 },
  });
  const counts = { down: 0, up: 0, none: 0 };
  for (const i of r.items) {
    const f = byId.get(i.source_id)!.feedback;
    counts[isDown(f) ? "down" : isUp(f) ? "up" : "none"]++;
  }
  assert.deepEqual(counts, { down: 10, up: 10, none: 20 });
  await Deno.remove(file);
});

Deno.test("sampleLogs() gives a stratum short of thumbed-down records all it has, fills from the rest, and says so", async () => {
  const file = await logsFile(feedbackLogs(2));
  const r = await sampleLogs({ logs: [file], n: 30, seed: 1, mix: MIX, oversample: { down: 0.3 } });
  // b's 12 seats ask 4 thumbed-down records but it holds 2: both taken, 10 from the rest.
  assert.deepEqual(r.summary.oversample!.cells.b, {
    down: { available: 2, target: 4, got: 2, weight: 1 },
    rest: { available: 48, target: 8, got: 10, weight: 4.8 },
  });
  assert.deepEqual(r.summary.oversample!.short, [
    { stratum: "b", group: "down", available: 2, target: 4 },
  ]);
  assert.equal(r.summary.strata.b.got, 12, "the stratum keeps its prod share of the sample");
  assert.ok(
    r.summary.warnings.some((w) =>
      w.includes('stratum "b" has 2 thumbed-down records for 4 seats (--oversample down=0.3)') &&
      w.includes("the other 2 seats drawn from its other records")
    ),
    r.summary.warnings.join("\n"),
  );
  await Deno.remove(file);
});

Deno.test("sampleLogs() without oversample writes no weight field", async () => {
  const file = await logsFile(feedbackLogs());
  const r = await sampleLogs({ logs: [file], n: 30, seed: 1, mix: MIX });
  assert.ok(r.items.every((i) => !("weight" in i)));
  assert.equal(r.summary.oversample, undefined);
  const same = await sampleLogs({ logs: [file], n: 30, seed: 1, mix: MIX, oversample: undefined });
  assert.equal(toJsonl(same.items), toJsonl(r.items));
  assert.equal(same.sql, r.sql);
  await Deno.remove(file);
});

Deno.test("--emit-sql duckdb with --oversample selects the CLI sample's ids with the same weights", async () => {
  const dir = await Deno.makeTempDir({ prefix: "evalkit-oversample-" });
  const logs = `${dir}/logs.jsonl`;
  await Deno.writeTextFile(logs, toJsonl(feedbackLogs(2)));
  await Deno.writeTextFile(`${dir}/mix.json`, JSON.stringify(MIX));
  const common = ["sample", "--logs", logs, "--n", "30", "--seed", "e", "--mix", `${dir}/mix.json`];
  const flags = ["--oversample", "down=0.3", "--oversample", "up=0.1"];
  const emitted = await cli([...common, ...flags, "--emit-sql", "duckdb"]);
  assert.equal(emitted.code, 0, emitted.stderr);
  const sampled = await cli([...common, ...flags, "--out", `${dir}/runs`, "--json"]);
  assert.equal(sampled.code, 0, sampled.stderr);
  const summary = JSON.parse(sampled.stdout);
  const items = await readRecords(`${summary.artifact}/evalset.jsonl`, EvalItem);
  const rows = await withDuckDB(async (conn) => {
    await conn.run("SET TimeZone = 'UTC'");
    return (await conn.runAndReadAll(emitted.stdout)).getRowObjectsJson();
  });
  const fromSql = Object.fromEntries(rows.map((x) => [String(x.id), Number(x.weight)]));
  assert.deepEqual(fromSql, Object.fromEntries(items.map((i) => [i.source_id, i.weight])));
  assert.equal(rows.length, 30);
  // The artifact records the setting and the cells.
  const strata = JSON.parse(await Deno.readTextFile(`${summary.artifact}/strata.json`));
  assert.deepEqual(strata.oversample.shares, { down: 0.3, up: 0.1 });
  assert.equal(strata.oversample.cells.b.down.got, 2);
  assert.deepEqual(strata.oversample, summary.oversample);
  const manifest = await readManifest(summary.artifact);
  assert.deepEqual(manifest.params.oversample, { down: 0.3, up: 0.1 });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("sampleSql() with oversample: every dialect groups feedback and weights the rows", () => {
  const params = { n: 100, seed: "s", strata: "topic", oversample: { down: 0.3 } };
  for (const dialect of ["postgres", "bigquery", "snowflake", "spark"] as const) {
    const sql = sampleSql(dialect, params);
    assert.match(sql, /THEN 'down' ELSE 'rest' END AS grp/, dialect);
    assert.match(sql, /PARTITION BY d\.stratum, d\.grp ORDER BY d\.h, d\.id/, dialect);
    assert.match(sql, / AS weight\n/, dialect);
    assert.ok(!sql.includes("'up'"), `${dialect}: up is not oversampled`);
  }
  assert.match(sampleSql("bigquery", params), /CAST\(c\.available AS FLOAT64\)/);
  assert.match(sampleSql("postgres", params), /CAST\(c\.available AS DOUBLE PRECISION\)/);
  assert.throws(() => sampleSql("postgres", { ...params, oversample: undefined }, "cells"));
});

Deno.test("parseOversample() reads FEEDBACK=SHARE values and refuses bad ones naming the flag", () => {
  assert.deepEqual(parseOversample(["up=0.1", "down=0.3"]), { down: 0.3, up: 0.1 });
  assert.equal(parseOversample(undefined), undefined);
  const bad: [string[], RegExp][] = [
    [["down"], /^Invalid --oversample "down": expected FEEDBACK=SHARE, e\.g\. down=0\.3$/],
    [["meh=0.3"], /^Invalid --oversample "meh=0\.3": FEEDBACK must be down or up$/],
    [
      ["down=1.2"],
      /^Invalid --oversample "down=1\.2": SHARE must be a number above 0 and below 1$/,
    ],
    [["down=0"], /SHARE must be a number above 0 and below 1/],
    [["down=-0.2"], /SHARE must be a number above 0 and below 1/],
    [["down=abc"], /SHARE must be a number above 0 and below 1/],
    [["down=0.3", "down=0.2"], /^Invalid --oversample: "down" is given twice$/],
    [["down=0.6", "up=0.4"], /^Invalid --oversample: the shares sum to 1, expected below 1/],
  ];
  for (const [values, message] of bad) {
    assert.throws(() => parseOversample(values), (e: Error) => {
      assert.ok(e instanceof RangeError, values.join(" "));
      assert.match(e.message, message);
      return true;
    });
  }
});

Deno.test("evalkit sample --oversample refuses bad values and logs without feedback with exit 2, writing nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "evalkit-oversample-" });
  const out = `${dir}/runs`;
  const logs = `${dir}/logs.jsonl`;
  await Deno.writeTextFile(logs, toJsonl(feedbackLogs()));
  const noFeedback = `${dir}/nofeedback.jsonl`;
  await Deno.writeTextFile(
    noFeedback,
    toJsonl(feedbackLogs().map(({ feedback: _, ...r }) => r)),
  );
  const badFeedback = `${dir}/badfeedback.jsonl`;
  const records = feedbackLogs();
  records[7] = { ...records[7], feedback: "meh" };
  await Deno.writeTextFile(badFeedback, toJsonl(records));
  const base = ["sample", "--n", "10", "--seed", "1", "--out", out];
  const cases: [string[], RegExp][] = [
    [["--logs", logs, "--oversample", "down=1.5"], /Invalid --oversample "down=1\.5"/],
    [["--logs", logs, "--oversample", "sideways=0.2"], /FEEDBACK must be down or up/],
    [
      ["--logs", logs, "--oversample", "down=0.5", "--oversample", "up=0.5"],
      /Invalid --oversample: the shares sum to 1, expected below 1/,
    ],
    [
      ["--logs", noFeedback, "--oversample", "down=0.3"],
      /nofeedback\.jsonl": line 1: field "feedback": missing column: --oversample draws by the users' feedback/,
    ],
    [
      ["--logs", badFeedback, "--oversample", "down=0.3"],
      /badfeedback\.jsonl": line 8: field "feedback": expected up\/down/,
    ],
  ];
  for (const [args, message] of cases) {
    const r = await cli([...base, ...args]);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  const emitted = await cli([...base, "--oversample", "up=2", "--emit-sql", "postgres"]);
  assert.equal(emitted.code, 2);
  assert.match(emitted.stderr, /Invalid --oversample "up=2"/);
  assert.equal(await Deno.stat(out).then(() => true).catch(() => false), false, "nothing written");
  await Deno.remove(dir, { recursive: true });
});
