import assert from "node:assert/strict";
import {
  collectRecords,
  HumanRating,
  jsonlToParquet,
  ProdLogRecord,
  readRecords,
  toCsv,
  toJsonl,
  validateFiles,
} from "../lib/mod.ts";

const BAD = new URL("./fixtures/bad/", import.meta.url).pathname;
const bad = (name: string) => BAD + name;

async function rejects(
  promise: Promise<unknown>,
  errorClass: typeof Error,
  message: RegExp,
): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    assert.ok(
      e instanceof errorClass,
      `expected ${errorClass.name}, got ${(e as Error).name}: ${e}`,
    );
    assert.match((e as Error).message, message);
    return e as Error;
  }
  throw new assert.AssertionError({ message: "expected a rejection" });
}

Deno.test("readRecords() names file, line and cause of a malformed JSON line", async () => {
  const file = bad("malformed_json.jsonl");
  const e = await rejects(readRecords(file, ProdLogRecord), SyntaxError, /line 3: malformed JSON/);
  assert.ok(e.message.startsWith(`Cannot read "${file}": line 3: `), e.message);
  const all = await collectRecords(file, ProdLogRecord);
  assert.deepEqual(all.records.map((r) => r.id), ["l1", "l2", "l4"]);
  assert.equal(all.issueCount, 1);
});

Deno.test("readRecords() reports a missing CSV column once, on the header line", async () => {
  const file = bad("missing_column.csv");
  await rejects(
    readRecords(file, HumanRating),
    TypeError,
    /^Cannot read ".*missing_column\.csv": line 1: field "clarity": missing column$/,
  );
  const all = await collectRecords(file, HumanRating);
  assert.equal(all.issueCount, 1);
});

Deno.test("readRecords() names the field of a wrong type as the SPEC example does", async () => {
  const file = bad("wrong_type.jsonl");
  await rejects(
    readRecords(file, ProdLogRecord),
    TypeError,
    new RegExp(`^Cannot read "${file}": line 2: field "query": expected string, received number$`),
  );
});

Deno.test("readRecords() refuses an empty file unless allowed", async () => {
  const file = bad("empty.jsonl");
  await rejects(readRecords(file, ProdLogRecord), SyntaxError, /: file is empty$/);
  assert.deepEqual(await readRecords(file, ProdLogRecord, { allowEmpty: true }), []);
});

Deno.test("readRecords() skips a UTF-8 byte-order mark in JSONL and CSV", async () => {
  const logs = await readRecords(bad("bom.jsonl"), ProdLogRecord);
  assert.deepEqual(logs.map((l) => l.id), ["l1", "l2"]);
  const ratings = await readRecords(bad("bom.csv"), HumanRating);
  assert.equal(ratings[0].item_id, "q1");
  assert.equal(ratings[0].correctness, 4);
});

Deno.test("readRecords() reads CRLF line ends without keeping carriage returns", async () => {
  const logs = await readRecords(bad("crlf.jsonl"), ProdLogRecord);
  assert.deepEqual(logs.map((l) => l.query), ["crlf one", "crlf two"]);
  const ratings = await readRecords(bad("crlf.csv"), HumanRating);
  assert.equal(ratings[0].notes, "fine");
  assert.equal(ratings[1].length, 3);
  assert.equal(ratings[1].notes, "two\r\nlines", "a quoted cell keeps its own line break");
});

Deno.test("readRecords() reads a 10 MB field in JSONL and CSV intact", async () => {
  const dir = await Deno.makeTempDir();
  const big = "x".repeat(10 * 1024 * 1024 - 7) + "é end";
  const jsonl = `${dir}/big.jsonl`;
  await Deno.writeTextFile(
    jsonl,
    toJsonl([
      { id: "a", ts: "2026-06-01T10:00:00Z", query: big },
      { id: "b", ts: "2026-06-01T10:00:00Z", query: "small" },
    ]),
  );
  const logs = await readRecords(jsonl, ProdLogRecord);
  assert.equal(logs[0].query!.length, big.length);
  assert.equal(logs[0].query, big);
  assert.equal(logs[1].query, "small");
  const csv = `${dir}/big.csv`;
  await Deno.writeTextFile(
    csv,
    toCsv([{
      item_id: "q1",
      rater: "ana",
      correctness: 1,
      relevance: 2,
      clarity: 3,
      calibration: 4,
      length: 5,
      notes: big,
    }], [
      "item_id",
      "rater",
      "correctness",
      "relevance",
      "clarity",
      "calibration",
      "length",
      "notes",
    ]),
  );
  const ratings = await readRecords(csv, HumanRating);
  assert.equal(ratings[0].notes, big);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("readRecords() names the line of invalid UTF-8", async () => {
  const jsonl = bad("invalid_utf8.jsonl");
  await rejects(readRecords(jsonl, ProdLogRecord), SyntaxError, /: line 2: invalid UTF-8/);
  const all = await collectRecords(jsonl, ProdLogRecord);
  assert.deepEqual(all.records.map((r) => r.query), ["café ok", "after"]);
  await rejects(
    readRecords(bad("invalid_utf8.csv"), HumanRating),
    SyntaxError,
    /invalid_utf8\.csv": line 3: invalid UTF-8/,
  );
});

Deno.test("readRecords() refuses a repeated id and names the first line", async () => {
  await rejects(
    readRecords(bad("duplicate_ids.jsonl"), ProdLogRecord, { key: ["id"] }),
    TypeError,
    /: line 3: field "id": duplicate value "l1" \(first on line 1\)$/,
  );
});

Deno.test("readRecords() refuses a CSV row with too many fields and goes on", async () => {
  const file = bad("too_many_fields.csv");
  await rejects(
    readRecords(file, HumanRating),
    SyntaxError,
    /: line 3: wrong number of fields: got 9, the header has 8$/,
  );
  const all = await collectRecords(file, HumanRating);
  assert.deepEqual(all.records.map((r) => r.item_id), ["q1", "q3"]);
});

Deno.test("readRecords() maps other column names onto log fields", async () => {
  const map = { id: "question_id", ts: "asked_at", query: "question_text", topic: "category" };
  const logs = await readRecords(bad("mapped_logs.csv"), ProdLogRecord, { map });
  assert.deepEqual(logs.map((l) => [l.id, l.topic, l.query]), [
    ["7", "billing", "where is my invoice"],
    ["8", "account", "reset password"],
  ]);
  await rejects(
    readRecords(bad("mapped_logs.csv"), ProdLogRecord),
    TypeError,
    /line 1: field "id": missing column/,
  );
});

Deno.test("readRecords() reads Parquet through DuckDB and names the bad row", async () => {
  const dir = await Deno.makeTempDir();
  const jsonl = `${dir}/logs.jsonl`;
  await Deno.writeTextFile(
    jsonl,
    toJsonl([
      {
        id: "p1",
        ts: "2026-06-01T10:00:00Z",
        query: "hello",
        messages: null,
        topic: "billing",
        feedback: "up",
      },
      {
        id: "p2",
        ts: "2026-06-02T10:00:00Z",
        query: null,
        messages: [{ role: "user", content: "a" }, { role: "assistant", content: "b" }, {
          role: "user",
          content: "and the second one?",
        }],
        topic: "technical",
        feedback: null,
      },
      {
        id: "p3",
        ts: "2026-06-03T10:00:00Z",
        query: "bad feedback",
        messages: null,
        topic: "other",
        feedback: "meh",
      },
    ]),
  );
  const parquet = `${dir}/logs.parquet`;
  await jsonlToParquet(jsonl, parquet);
  const result = await collectRecords(parquet, ProdLogRecord);
  assert.deepEqual(result.records.map((r) => r.id), ["p1", "p2"]);
  assert.equal(result.records[1].messages?.[2].content, "and the second one?");
  assert.equal(result.issues.length, 1);
  assert.equal(result.issues[0].line, 3);
  assert.equal(result.issues[0].unit, "row");
  await rejects(readRecords(parquet, ProdLogRecord), TypeError, /: row 3: field "feedback": /);
  await Deno.writeTextFile(`${dir}/fake.parquet`, "not parquet");
  await rejects(
    readRecords(`${dir}/fake.parquet`, ProdLogRecord),
    SyntaxError,
    /not a readable Parquet file/,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("readRecords() names a missing file and an unknown extension", async () => {
  await rejects(readRecords("/nonexistent/x.jsonl", ProdLogRecord), TypeError, /: no such file$/);
  await rejects(readRecords("notes.txt", ProdLogRecord), TypeError, /unknown file type/);
});

Deno.test("validateFiles() reports every bad line, not only the first, up to a limit", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/many.jsonl`;
  const lines = Array.from(
    { length: 30 },
    (_, i) =>
      JSON.stringify({ id: `l${i}`, ts: i % 3 === 0 ? "yesterday" : "2026-06-01", query: "q" }),
  );
  await Deno.writeTextFile(file, lines.join("\n") + "\n");
  const all = await validateFiles("logs", [file]);
  assert.equal(all.ok, false);
  assert.equal(all.files[0].issueCount, 10);
  assert.deepEqual(all.files[0].issues.map((i) => i.line), [1, 4, 7, 10, 13, 16, 19, 22, 25, 28]);
  assert.equal(all.files[0].records, 20);
  const cut = await validateFiles("logs", [file], { maxIssues: 3 });
  assert.equal(cut.files[0].issues.length, 3);
  assert.equal(cut.files[0].issueCount, 10);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("toCsv() output reads back to the same records", async () => {
  const dir = await Deno.makeTempDir();
  const rows = [
    {
      item_id: "q1",
      rater: "ana",
      correctness: 1,
      relevance: 2,
      clarity: 3,
      calibration: 4,
      length: 5,
      notes: 'says "hi", twice\nok',
    },
  ];
  const cols = [
    "item_id",
    "rater",
    "correctness",
    "relevance",
    "clarity",
    "calibration",
    "length",
    "notes",
  ];
  await Deno.writeTextFile(`${dir}/r.csv`, toCsv(rows, cols));
  assert.deepEqual(await readRecords(`${dir}/r.csv`, HumanRating), rows);
  await Deno.remove(dir, { recursive: true });
});
