import assert from "node:assert/strict";
import { formatIssueTail, type InputIssue } from "../_errors.ts";
import { KINDS } from "../schemas.ts";
import { readExportLogs } from "./formats/mod.ts";
import { timestampCheck } from "./log_fields.ts";
import { collectRecords, csvValue } from "./read.ts";
import { recordChecks, schemaIssueReporter } from "./_record_checks.ts";

Deno.test("recordChecks() names every key value of a repeat, and the row of the first in Parquet", () => {
  const checks = recordChecks("r.parquet", { key: ["item_id", "rater"], unit: "row" });
  assert.equal(checks.repeat({ item_id: "q1", rater: "ana" }, 1), undefined);
  assert.equal(checks.repeat({ item_id: "q1", rater: "ben" }, 2), undefined);
  assert.deepEqual(checks.repeat({ item_id: "q1", rater: "ana" }, 3), {
    field: "item_id,rater",
    problem: 'duplicate values "q1", "ana" (first on row 1)',
    kind: "type",
  });
  // a repeat is not remembered in place of the first
  assert.match(checks.repeat({ item_id: "q1", rater: "ana" }, 4)!.problem, /first on row 1/);
});

Deno.test("recordChecks() without a key or file check passes every record and warns of nothing", () => {
  const checks = recordChecks("x.jsonl");
  assert.equal(checks.repeat({ id: "a" }, 1), undefined);
  assert.equal(checks.repeat({ id: "a" }, 2), undefined);
  assert.equal(checks.raw({ ts: 1 }, 1), undefined);
  assert.deepEqual(checks.end(), []);
});

Deno.test("recordChecks() runs the whole-file check: a mix of epoch units is refused, naive times warned", () => {
  const checks = recordChecks("logs.jsonl", { key: ["id"], fileCheck: timestampCheck });
  assert.equal(checks.raw({ id: "a", ts: 1_750_000_000 }, 1), undefined);
  const mixed = checks.raw({ id: "b", ts: 1_750_000_000_000 }, 2);
  assert.equal(mixed?.field, "ts");
  assert.match(mixed!.problem, /but line 1 is in .*seconds/);
  assert.equal(checks.raw({ id: "c", ts: "2026-06-01 10:00:00" }, 3), undefined);
  assert.deepEqual(checks.end(), ["logs.jsonl: 1 timestamp without a zone read as UTC"]);
});

Deno.test("schemaIssueReporter() says a missing column once, by the column --map reads, and names renamed columns", () => {
  const seen: InputIssue[] = [];
  const reporter = schemaIssueReporter({ query: "question", ts: "time" }, (i) => seen.push(i));
  const issue = (line: number, field: string, problem = "missing"): InputIssue => ({
    file: "f.csv",
    line,
    field,
    problem,
    kind: "type",
  });
  reporter.columns(["id", "question"]);
  reporter.columns(["other"]); // the first row's columns stand
  const given = issue(2, "query.text", "expected string");
  reporter.report([issue(2, "ts"), given, issue(2, "id", "expected string")]);
  reporter.report([issue(3, "ts"), issue(3, "model.name")]);
  assert.deepEqual(seen, [
    { ...issue(1, "time"), problem: "missing column" },
    issue(2, 'query.text (column "question")', "expected string"),
    issue(2, "id", "expected string"),
    issue(3, "model.name"),
  ]);
  assert.equal(given.field, "query.text", "the issue given is not changed");
});

Deno.test("schemaIssueReporter() without the file's columns reports a missing field on every row", () => {
  const seen: InputIssue[] = [];
  const reporter = schemaIssueReporter({}, (i) => seen.push(i));
  reporter.columns(undefined);
  for (const line of [1, 2]) {
    reporter.report([{ file: "f.jsonl", line, field: "ts", problem: "missing", kind: "type" }]);
  }
  assert.deepEqual(seen.map((i) => [i.line, i.problem]), [[1, "missing"], [2, "missing"]]);
});

Deno.test("csvValue() leaves empty cells out, parses structured JSON cells, keeps bad JSON as text", () => {
  assert.deepEqual(
    csvValue(
      ["id", "usage", "reference", "query", "flags", "note"],
      ["7", '{"prompt_tokens":3}', "[oops", '["not", "parsed"]', " []", ""],
    ),
    {
      id: "7",
      usage: { prompt_tokens: 3 },
      reference: "[oops",
      query: '["not", "parsed"]',
      flags: [],
    },
  );
  assert.deepEqual(csvValue(["a", "a"], ["1", "2"]), { a: "2" });
});

Deno.test("an export file and evalkit's own logs get the same repeated-id and epoch-unit problems", async () => {
  const dir = await Deno.makeTempDir();
  const times = [1780308000, 1780308000000, 1780308060];
  const ids = ["r1", "r2", "r1"];
  const own = `${dir}/logs.jsonl`;
  await Deno.writeTextFile(
    own,
    ids.map((id, i) => JSON.stringify({ id, ts: times[i], query: "How?" }) + "\n").join(""),
  );
  const exported = `${dir}/runs.jsonl`;
  await Deno.writeTextFile(
    exported,
    ids.map((id, i) =>
      JSON.stringify({
        id,
        run_type: "chain",
        start_time: times[i],
        inputs: { question: "How?" },
        outputs: { answer: "So." },
      }) + "\n"
    ).join(""),
  );
  const tails = (issues: InputIssue[]) => issues.map(formatIssueTail);
  const expected = [
    `line 2: field "ts": epoch milliseconds (1780308000000) but line 1 is in epoch seconds: ` +
    `a file's epoch timestamps must all be seconds or all milliseconds`,
    'line 3: field "id": duplicate value "r1" (first on line 1)',
  ];
  const read = await collectRecords(own, KINDS.logs.schema, KINDS.logs);
  assert.deepEqual(tails(read.issues), expected);
  const fromExport = await readExportLogs(exported, { format: "langsmith" });
  assert.deepEqual(tails(fromExport.issues), expected);
  await Deno.remove(dir, { recursive: true });
});
