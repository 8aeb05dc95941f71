/**
 * Exports of the tools teams use (tests/fixtures/formats/README.md names the
 * documentation each fixture follows), read by `--format NAME` and `auto`.
 */
import assert from "node:assert/strict";
import { main } from "../lib/cli.ts";
import { queryText } from "../lib/messages.ts";
import { detectFormat, readExportLogs } from "../lib/io/formats/mod.ts";

const DIR = new URL("./fixtures/formats/", import.meta.url).pathname;

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

// The fixtures hold the same eight conversations; line 2 is thumbed down, line 3 has no feedback.
const CASES = [
  { file: "openai_chat.jsonl", format: "openai-chat", strata: "metadata.topic", skipped: 0 },
  { file: "langsmith.jsonl", format: "langsmith", strata: "metadata.topic", skipped: 1 },
  { file: "langfuse.json", format: "langfuse", strata: "metadata.topic", skipped: 0 },
  { file: "otel_genai.json", format: "otel-genai", strata: "attributes.app.topic", skipped: 1 },
  { file: "openinference.jsonl", format: "openinference", strata: "metadata.topic", skipped: 8 },
] as const;

for (const c of CASES) {
  Deno.test(`--format ${c.format}: every record read, the query, answer, feedback and strata column`, async () => {
    for (const format of [c.format, "auto"] as const) {
      const read = await readExportLogs(DIR + c.file, { format });
      assert.equal(read.format, c.format);
      assert.deepEqual(read.issues, []);
      assert.equal(read.records.length, 8);
      const [r0, r1, r2] = read.records;
      // The system prompt is context, never the query.
      assert.equal(queryText(r0), "How do I refund invoice INV-1001?");
      assert.equal(r0.response, "Open the invoice and choose Refund.");
      assert.equal(r0.feedback, "up");
      assert.equal(r1.feedback, "down");
      assert.equal(r2.feedback ?? null, null);
      assert.match(r0.ts, /^2026-06-01T10:00:00/);
      assert.equal(read.canonical[0][c.strata], "billing");
      const skipped = read.warnings.find((w) => w.includes("skipped"));
      assert.equal(skipped ? Number(/(\d+) records? skipped/.exec(skipped)![1]) : 0, c.skipped);
    }
  });

  Deno.test(`sample --format ${c.format} --strata ${c.strata}: a stratified eval set naming the export file`, async () => {
    const out = await Deno.makeTempDir();
    const args = ["sample", "--logs", DIR + c.file, "--format", c.format, "--strata", c.strata];
    const r = await cli([...args, "--n", "4", "--seed", "s", "--out", out, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    assert.equal(summary.n, 4);
    assert.equal(summary.strata.billing.got, 2);
    const manifest = JSON.parse(await Deno.readTextFile(`${summary.artifact}/manifest.json`));
    assert.ok(JSON.stringify(manifest.inputs).includes(c.file), JSON.stringify(manifest.inputs));
    assert.ok(
      !JSON.stringify(manifest).includes("evalkit-logs-"),
      "no temporary path in the artifact",
    );
    await Deno.remove(out, { recursive: true });
  });
}

Deno.test("auto leaves evalkit's own log shape to the evalkit reader", () => {
  assert.equal(detectFormat({ id: "a", ts: "2026-06-01T10:00:00Z", query: "Hi" }), undefined);
});

Deno.test("a record that does not fit its format: file:line: field, exit 2, nothing written", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/runs.jsonl`;
  const good = (await Deno.readTextFile(DIR + "langsmith.jsonl")).split("\n")[0];
  const bad = JSON.parse(good);
  delete bad.start_time;
  bad.id = "other";
  await Deno.writeTextFile(file, good + "\n" + JSON.stringify(bad) + "\n");
  const v = await cli(["validate", "--kind", "logs", "--format", "langsmith", file]);
  assert.equal(v.code, 2);
  assert.match(v.stdout + v.stderr, /runs\.jsonl:2: start_time: missing/);
  const out = `${dir}/out`;
  const s = await cli([
    "sample",
    "--logs",
    file,
    "--format",
    "langsmith",
    "--n",
    "1",
    "--seed",
    "s",
    "--out",
    out,
  ]);
  assert.equal(s.code, 2);
  assert.match(s.stderr, /runs\.jsonl": line 2: field "start_time": missing/);
  assert.equal(await Deno.stat(out).then(() => true, () => false), false);
  const o = await cli(["validate", "--kind", "logs", "--format", "yaml", file]);
  assert.equal(o.code, 2);
  assert.match(o.stderr, /Unknown --format "yaml"/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("OpenTelemetry GenAI: a user-feedback event scores in [-1, 1]; 0 is neutral, not a thumb", async () => {
  const doc = JSON.parse(await Deno.readTextFile(DIR + "otel_genai.json"));
  const span = doc.resourceSpans[0].scopeSpans[0].spans[0];
  span.events[0].attributes[1].value = { doubleValue: 0 };
  const file = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(file, JSON.stringify(doc));
  const read = await readExportLogs(file, { format: "otel-genai" });
  assert.equal(read.records[0].feedback ?? null, null);
  await Deno.remove(file);
});

Deno.test("the records in evalkit's shape (what sample.sql and a warehouse table hold) give the same sample", async () => {
  const dir = await Deno.makeTempDir();
  const read = await readExportLogs(DIR + "langsmith.jsonl", { format: "langsmith" });
  const canonical = `${dir}/logs.evalkit.jsonl`;
  await Deno.writeTextFile(
    canonical,
    read.canonical.map((r) => JSON.stringify(r)).join("\n") + "\n",
  );
  const ids = async (args: string[]) => {
    const r = await cli([
      "sample",
      ...args,
      "--strata",
      "metadata.topic",
      "--n",
      "5",
      "--seed",
      "p",
      "--out",
      `${dir}/out`,
      "--json",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const { artifact } = JSON.parse(r.stdout);
    const items = (await Deno.readTextFile(`${artifact}/evalset.jsonl`)).trim().split("\n").map((
      l,
    ) => JSON.parse(l));
    const sql = await Deno.readTextFile(`${artifact}/sample.sql`);
    return { ids: items.map((i: { source_id: string }) => i.source_id).sort(), sql };
  };
  const viaFormat = await ids(["--logs", DIR + "langsmith.jsonl", "--format", "langsmith"]);
  const viaCanonical = await ids(["--logs", canonical]);
  assert.deepEqual(viaFormat.ids, viaCanonical.ids);
  assert.match(viaFormat.sql, /logs\.evalkit\.jsonl/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("validity finds the feedback of an eval set sampled from an export", async () => {
  const { readFeedback } = await import("../lib/validity/run.ts");
  const read = await readExportLogs(DIR + "langfuse.json", { format: "langfuse" });
  const ids = new Set(read.records.map((r) => r.id));
  const feedback = await readFeedback([DIR + "langfuse.json"], ids);
  assert.equal(feedback.get("lf-trace-1"), "up");
  assert.equal(feedback.get("lf-trace-2"), "down");
  assert.equal(feedback.get("lf-trace-3"), null);
});
