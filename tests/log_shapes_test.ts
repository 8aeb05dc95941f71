import assert from "node:assert/strict";
import { main } from "../lib/cli.ts";
import { collectRecords, ProdLogRecord, toJsonl, validateFiles } from "../lib/mod.ts";
import { parseFeedback, parseTimestamp, timestampCheck } from "../lib/io/log_fields.ts";
import { prodLogRecordSchema } from "../lib/schemas.ts";

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

async function jsonl(rows: unknown[]): Promise<string> {
  const file = await Deno.makeTempFile({ prefix: "evalkit-shapes-", suffix: ".jsonl" });
  await Deno.writeTextFile(file, toJsonl(rows as Record<string, unknown>[]));
  return file;
}

Deno.test("parseTimestamp() reads every exported spelling into one instant", () => {
  const instant = "2026-06-01T10:00:00.000Z";
  const cases: [unknown, string, string][] = [
    ["2026-06-01T10:00:00Z", "2026-06-01T10:00:00Z", "zoned"],
    ["2026-06-01T12:00:00+02:00", "2026-06-01T12:00:00+02:00", "zoned"],
    ["2026-06-01T12:00:00+0200", "2026-06-01T12:00:00+02:00", "zoned"],
    ["2026-06-01T10:00:00", "2026-06-01T10:00:00Z", "naive"],
    ["2026-06-01 10:00:00", "2026-06-01T10:00:00Z", "naive"],
    ["2026-06-01 10:00:00.000000", "2026-06-01T10:00:00.000000Z", "naive"],
    [1780308000, instant, "epoch_s"],
    ["1780308000", instant, "epoch_s"],
    [1780308000000, instant, "epoch_ms"],
    ["1780308000000", instant, "epoch_ms"],
    [1780308000.0, instant, "epoch_s"],
  ];
  for (const [value, iso, kind] of cases) {
    const t = parseTimestamp(value);
    assert.ok(t.ok, String(value));
    assert.equal(t.iso, iso, String(value));
    assert.equal(t.kind, kind, String(value));
    assert.equal(Date.parse(t.iso), Date.parse(instant), String(value));
  }
  for (const bad of ["last tuesday", "2026-13-01", "", true, null, "2026-06-01T25:00:00Z"]) {
    assert.equal(parseTimestamp(bad).ok, false, String(bad));
  }
});

Deno.test("parseFeedback() reads the spellings people log, and refuses the rest", () => {
  const up = ["up", "UP", "thumbs_up", "positive", "1", 1, "true", true, " Positive "];
  const down = ["down", "thumbs_down", "negative", "0", 0, "-1", -1, "false", false];
  for (const v of up) assert.equal(parseFeedback(v), "up", String(v));
  for (const v of down) assert.equal(parseFeedback(v), "down", String(v));
  assert.equal(parseFeedback(null), null);
  assert.equal(parseFeedback(""), null);
  assert.deepEqual(parseFeedback("meh"), {
    problem:
      'expected up/down, thumbs_up/thumbs_down, positive/negative, 1/0, 1/-1 or true/false, received "meh"',
  });
  assert.match((parseFeedback(4) as { problem: string }).problem, /--feedback-down-below/);
  assert.equal(parseFeedback(2, { downBelow: 3 }), "down");
  assert.equal(parseFeedback("3", { downBelow: 3 }), "up");
  assert.equal(parseFeedback(4.5, { downBelow: 3 }), "up");
});

Deno.test("a log record's ts and feedback come out canonical at the reader", async () => {
  const file = await jsonl([
    { id: "a", ts: 1780308000000, query: "q1", feedback: "thumbs_down" },
    { id: "b", ts: "1780308060000", query: "q2", feedback: 1 },
    { id: "c", ts: "2026-06-01 10:02:00.5", query: "q3", feedback: false },
    { id: "d", ts: "2026-06-01T10:03:00", query: "q4" },
  ]);
  const r = await collectRecords(file, ProdLogRecord, { fileCheck: timestampCheck });
  assert.deepEqual(r.issues, []);
  assert.deepEqual(r.records.map((x) => [x.ts, x.feedback]), [
    ["2026-06-01T10:00:00.000Z", "down"],
    ["2026-06-01T10:01:00.000Z", "up"],
    ["2026-06-01T10:02:00.5Z", "down"],
    ["2026-06-01T10:03:00Z", undefined],
  ]);
  assert.deepEqual(r.warnings, [`${file}: 2 timestamps without a zone read as UTC`]);
});

Deno.test("validate --kind logs names a file that mixes epoch seconds and milliseconds", async () => {
  const file = await jsonl([
    { id: "a", ts: 1780308000, query: "q1" },
    { id: "b", ts: "1780308060", query: "q2" },
    { id: "c", ts: 1780308120000, query: "q3" },
    { id: "d", ts: 1780308180, query: "q4" },
  ]);
  const r = await cli(["validate", "--kind", "logs", file]);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    new RegExp(
      `${file}:3: ts: epoch milliseconds \\(1780308120000\\) but line 1 is in epoch seconds: a file's epoch timestamps must all be seconds or all milliseconds`,
    ),
  );
  assert.match(r.stderr, /1 problem\n/);
});

Deno.test("validate --kind logs: unknown feedback is file:line:field, numeric ratings need a threshold", async () => {
  const file = await jsonl([
    { id: "a", ts: "2026-06-01T10:00:00Z", query: "q1", feedback: "up" },
    { id: "b", ts: "2026-06-01T10:00:00Z", query: "q2", feedback: "meh" },
    { id: "c", ts: "2026-06-01T10:00:00Z", query: "q3", feedback: 4 },
  ]);
  const r = await cli(["validate", "--kind", "logs", file]);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    new RegExp(
      `${file}:2: feedback: expected up/down, thumbs_up/thumbs_down, positive/negative, 1/0, 1/-1 or true/false, received "meh"\n`,
    ),
  );
  assert.match(
    r.stderr,
    new RegExp(`${file}:3: feedback: numeric rating 4: pass --feedback-down-below X`),
  );
  const ratings = await jsonl([
    { id: "a", ts: "2026-06-01T10:00:00Z", query: "q1", feedback: 5 },
    { id: "b", ts: "2026-06-01T10:00:00Z", query: "q2", feedback: "2" },
  ]);
  const ok = await cli([
    "validate",
    "--kind",
    "logs",
    "--feedback-down-below",
    "3",
    "--json",
    ratings,
  ]);
  assert.equal(ok.code, 0, ok.stderr);
  const schema = prodLogRecordSchema({ feedbackDownBelow: 3 });
  const read = await collectRecords(ratings, schema);
  assert.deepEqual(read.records.map((x) => x.feedback), ["up", "down"]);
  const bad = await cli(["validate", "--kind", "logs", "--feedback-down-below", "x", ratings]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Invalid --feedback-down-below "x": expected a number/);
});

Deno.test("validate --kind logs accepts OpenAI-shaped messages and says which timestamps had no zone", async () => {
  const file = new URL("./fixtures/formats/messages.jsonl", import.meta.url).pathname;
  const report = await validateFiles("logs", [file]);
  assert.equal(report.ok, true, JSON.stringify(report.files[0].issues));
  assert.equal(report.files[0].records, 8);
  assert.deepEqual(report.files[0].warnings, [`${file}: 2 timestamps without a zone read as UTC`]);
  const bad = await jsonl([
    { id: "a", ts: "2026-06-01T10:00:00Z", messages: [{ role: "user", content: 42 }] },
    {
      id: "b",
      ts: "2026-06-01T10:00:00Z",
      messages: [{ role: "user", content: [{ type: "video", url: "x" }] }],
    },
    { id: "c", ts: "2026-06-01T10:00:00Z", messages: [{ role: "assistant", content: null }] },
    { id: "d", ts: "2026-06-01T10:00:00Z", messages: [{ role: "system", content: "be nice" }] },
  ]);
  const r = await validateFiles("logs", [bad]);
  const lines = r.files[0].issues.map((i) => `${i.line}: ${i.field}: ${i.problem}`);
  assert.deepEqual(lines.slice(0, 3), [
    "1: messages.0.content: expected string or null or array, received number",
    '2: messages.0.content.0.type: expected one of "text", "input_text", "output_text", "refusal", "image_url", "input_image", "file", "input_file", "input_audio", received "video"',
    "3: messages.0.content: an assistant turn needs content, tool_calls or a refusal",
  ]);
  assert.ok(lines.includes("4: messages: no user turn: the query is the last user turn"));
});
