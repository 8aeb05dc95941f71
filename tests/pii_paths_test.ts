/**
 * The independent PII corpus (tests/fixtures/pii) through every path that writes
 * or shows text: the eval set (`sample`), `regress add`, review sheets (`review
 * export`), the rating page and its notes (`review serve`), imported rating notes
 * (`review import`), and the notebook displays (`htmlTable`, `sideBySideHtml`).
 * Each test fails when any corpus value leaks through its path. (The report's
 * rationales are checked in tests/report_test.ts, on its demo world.)
 */
import assert from "node:assert/strict";
import { parse as parseCsv } from "csv-parse/sync";
import { toCsv, toJsonl } from "../lib/io/write.ts";
import { runJudge } from "../lib/judge/run.ts";
import { sideBySideHtml } from "../lib/investigate/html.ts";
import { htmlTable } from "../lib/plot.ts";
import { addCase } from "../lib/regress/add.ts";
import { exportReview, importRatings } from "../lib/review/mod.ts";
import { openReviewSession } from "../lib/review/serve.ts";
import { leaked, type PiiCorpusRecord, readPiiCorpus } from "../lib/sample/pii_eval.ts";
import { runCliJson } from "../lib/testing/cli.ts";

const { corpus } = await readPiiCorpus();
const ROOT = await Deno.makeTempDir({ prefix: "evalkit-pii-paths-" });
globalThis.addEventListener("unload", () => Deno.removeSync(ROOT, { recursive: true }));

/** A record with a prefix before its text (offsets shifted): every text of a path unique. */
function prefixed(r: PiiCorpusRecord, prefix: string): PiiCorpusRecord {
  return {
    ...r,
    text: prefix + r.text,
    start: r.start + prefix.length,
    end: r.end + prefix.length,
  };
}
/** Item i asks corpus[i] and is answered with corpus[i + 7], each made unique by a prefix. */
const asked = corpus.map((r, i) => prefixed(r, `#${i} `));
const answers = corpus.map((_, i) => prefixed(corpus[(i + 7) % corpus.length], `re ${i}: `));
const answerOf = (i: number) => answers[i];

/** Leaks among (record, what the path wrote for it) pairs, for a readable failure. */
function leaks(pairs: [PiiCorpusRecord, string | null | undefined][]): string[] {
  return pairs
    .filter(([r, out]) => typeof out === "string" && leaked(r, out))
    .map(([r, out]) => `${r.id} (${r.form}): ${JSON.stringify(out)}`);
}

/** An eval set of raw corpus texts and a responses file of raw corpus texts, judged offline. */
async function rawJudgeRun(): Promise<string> {
  const items = corpus.map((r, i) => ({
    id: `q${i}`,
    query: asked[i].text,
    stratum: r.type,
    source_id: `log-${i}`,
  }));
  const responses = corpus.map((_, i) => ({
    item_id: `q${i}`,
    model: "model-under-test",
    response: answerOf(i).text,
    latency_ms: 1,
    usage: { prompt_tokens: 1, completion_tokens: 1 },
  }));
  await Deno.writeTextFile(`${ROOT}/evalset.jsonl`, toJsonl(items));
  await Deno.writeTextFile(`${ROOT}/responses.jsonl`, toJsonl(responses));
  return (await runJudge(`${ROOT}/evalset.jsonl`, {
    judge: "heuristic",
    responses: `${ROOT}/responses.jsonl`,
    out: `${ROOT}/runs`,
  })).artifact;
}
let run: Promise<string> | undefined;
const judged = () => run ??= rawJudgeRun();

Deno.test("sample writes no corpus value into the eval set (queries and production responses)", async () => {
  const logs = corpus.map((r, i) => ({
    id: `log-${i}`,
    ts: "2026-03-01T10:00:00Z",
    query: asked[i].text,
    topic: r.type,
    response: answerOf(i).text,
  }));
  await Deno.writeTextFile(`${ROOT}/logs.jsonl`, toJsonl(logs));
  const r = await runCliJson([
    "sample",
    "--logs",
    `${ROOT}/logs.jsonl`,
    "--n",
    String(corpus.length),
    "--seed",
    "1",
    "--strata",
    "topic",
    "--out",
    `${ROOT}/sampled`,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const items = (await Deno.readTextFile(`${r.json.artifact}/evalset.jsonl`)).trimEnd().split("\n")
    .map((l) => JSON.parse(l) as { source_id: string; query: string; response: string });
  assert.equal(items.length, corpus.length);
  const pairs = items.flatMap((it): [PiiCorpusRecord, string][] => {
    const i = Number(it.source_id.slice(4));
    return [[asked[i], it.query], [answerOf(i), it.response]];
  });
  assert.deepEqual(leaks(pairs), []);
});

Deno.test("review export writes no corpus value into a sheet (conversation and response)", async () => {
  const r = await exportReview(await judged(), {
    n: corpus.length,
    raters: ["ana"],
    seed: 1,
    out: `${ROOT}/review`,
  });
  const rows = parseCsv(await Deno.readTextFile(r.sheets.ana), { columns: true }) as Record<
    string,
    string
  >[];
  assert.ok(rows.length > corpus.length * 0.9, `${rows.length} rows`);
  const pairs = rows.flatMap((row): [PiiCorpusRecord, string][] => {
    const i = Number(row.item_id.slice(1));
    return [[asked[i], row.query], [answerOf(i), row.response]];
  });
  assert.deepEqual(leaks(pairs), []);

  // review import: notes a rater typed are anonymised in the ratings artifact
  const filled = rows.slice(0, 200).map((row) => ({
    ...row,
    correctness: 3,
    relevance: 3,
    clarity: 3,
    calibration: 3,
    length: 3,
    notes: corpus[Number(row.item_id.slice(1))].text,
  }));
  const sheet = `${ROOT}/ratings_ana.csv`;
  await Deno.writeTextFile(sheet, toCsv(filled, Object.keys(rows[0])));
  const imported = await importRatings([sheet], { review: r.artifact, out: `${ROOT}/imported` });
  const saved = (await Deno.readTextFile(`${imported.artifact}/ratings.jsonl`)).trimEnd()
    .split("\n").map((l) => JSON.parse(l) as { item_id: string; notes: string });
  assert.equal(saved.length, 200);
  assert.deepEqual(leaks(saved.map((s) => [corpus[Number(s.item_id.slice(1))], s.notes])), []);
});

Deno.test("review serve shows no corpus value on the page and saves no note with one", async () => {
  const ratings = `${ROOT}/serve/ratings_ben.jsonl`;
  const session = await openReviewSession(await judged(), {
    rater: "ben",
    n: corpus.length,
    seed: 1,
    ratings,
  });
  try {
    const pairs = session.items.flatMap((it): [PiiCorpusRecord, string | null][] => {
      const i = Number(String(it.item.id).slice(1));
      return [[asked[i], it.item.query ?? null], [answerOf(i), it.response]];
    });
    assert.ok(pairs.length > corpus.length, `${pairs.length} texts on the page`);
    assert.deepEqual(leaks(pairs), []);
    for (const it of session.items.slice(0, 150)) {
      const i = Number(String(it.item.id).slice(1));
      const saved = await session.submit({
        item_id: it.item.id,
        correctness: 4,
        relevance: 4,
        clarity: 4,
        calibration: 4,
        length: 4,
        notes: corpus[i].text,
      });
      assert.ok(saved.ok, JSON.stringify(saved));
    }
  } finally {
    await session.close();
  }
  const lines = (await Deno.readTextFile(ratings)).trimEnd().split("\n")
    .map((l) => JSON.parse(l) as { item_id: string; notes: string });
  assert.equal(lines.length, 150);
  assert.deepEqual(leaks(lines.map((l) => [corpus[Number(l.item_id.slice(1))], l.notes])), []);
});

Deno.test("regress add writes no corpus value into a case (query and expected behaviour)", async () => {
  const cases = `${ROOT}/regression_cases.jsonl`;
  // one item per type and form, and the expected behaviour a second corpus text
  const firstOfForm = new Map<string, number>();
  corpus.forEach((r, i) =>
    firstOfForm.has(`${r.type}/${r.form}`) || firstOfForm.set(`${r.type}/${r.form}`, i)
  );
  const picked = [...firstOfForm.values()];
  assert.ok(picked.length >= 100, `${picked.length} forms`);
  const pairs: [PiiCorpusRecord, string][] = [];
  for (const i of picked) {
    const added = await addCase(cases, await judged(), {
      item: `q${i}`,
      expected: answerOf(i).text,
      source: `INC-${i}`,
      id: `case-${i}`,
    });
    pairs.push([asked[i], added.case.query ?? ""], [answerOf(i), added.case.expected_behavior]);
  }
  const written = (await Deno.readTextFile(cases)).trimEnd().split("\n")
    .map((l) => JSON.parse(l) as { id: string; query: string; expected_behavior: string });
  assert.equal(written.length, picked.length);
  for (const c of written) {
    const i = Number(c.id.slice(5));
    pairs.push([asked[i], c.query], [answerOf(i), c.expected_behavior]);
  }
  assert.deepEqual(leaks(pairs), []);
});

Deno.test("htmlTable() and sideBySideHtml() show no corpus value (the notebooks' displays)", () => {
  const html = htmlTable(
    corpus.map((r, i) => ({ id: r.id, query: r.text, response: answerOf(i).text })),
    {
      maxRows: corpus.length,
      maxChars: 10_000,
    },
  );
  const found = corpus.filter((r) => html.includes(r.value) || html.includes(escape(r.value)));
  assert.deepEqual(found.map((r) => r.id), []);
  const movers = corpus.slice(0, 400).map((r, i) => ({
    item_id: `q${i}`,
    stratum: r.type,
    query: r.text,
    from_score: 5,
    to_score: 2,
    change: -3,
    from_response: answerOf(i).text,
    to_response: corpus[(i + 13) % corpus.length].text,
    from_rationale: corpus[(i + 29) % corpus.length].text,
    to_rationale: corpus[(i + 31) % corpus.length].text,
  }));
  const sbs = sideBySideHtml(movers, { from: "r1", to: "r2", dimension: "correctness" });
  const shown = corpus.filter((r) => sbs.includes(r.value) || sbs.includes(escape(r.value)));
  assert.deepEqual(shown.map((r) => r.id), []);
  // and opting out shows them: the check above can fail
  assert.ok(
    htmlTable([{ q: corpus[0].text }], { anonymize: false }).includes(escape(corpus[0].value)),
  );
});

function escape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}
