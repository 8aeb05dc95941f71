/**
 * `evalkit import ratings|judgments`: long and wide layouts, column maps, own dimensions
 * and scales, every problem as file:line: field: problem with exit 2 and nothing written,
 * averaged scores refused with a hint; and rubric front matter declaring dimensions.
 */
import assert from "node:assert/strict";
import { inputIssues } from "../lib/_errors.ts";
import { readManifest } from "../lib/artifacts.ts";
import { parseScale, sharedDimensions } from "../lib/dimensions.ts";
import { parseRubricDimensions } from "../lib/rubric.ts";
import { runCliJson } from "../lib/testing/cli.ts";

const ROOT = await Deno.makeTempDir({ prefix: "evalkit-import-" });
globalThis.addEventListener("unload", () => Deno.removeSync(ROOT, { recursive: true }));

let n = 0;
async function file(name: string, text: string): Promise<string> {
  const dir = `${ROOT}/in${n++}`;
  await Deno.mkdir(dir);
  await Deno.writeTextFile(`${dir}/${name}`, text);
  return `${dir}/${name}`;
}

function entries(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].map((e) => e.name);
  } catch {
    return [];
  }
}

Deno.test("import ratings: a long CSV on three own dimensions, 1–10", async () => {
  const f = await file(
    "ratings.csv",
    "id,who,helpful,safe,concise\nq1,ana,9,10,7\nq1,ben,8,10,6\nq2,ana,3,9,8\nq2,ben,4,8,8\n",
  );
  const out = `${ROOT}/out-long`;
  const r = await runCliJson([
    "import",
    "ratings",
    f,
    "--dimensions",
    "helpful,safe,concise",
    "--scale",
    "1-10",
    "--rater-column",
    "who",
    "--map",
    "item_id=id",
    "--out",
    out,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.ratings, 4);
  assert.equal(r.json.scale, "1–10");
  const manifest = await readManifest(r.json.artifact as string);
  assert.deepEqual(manifest.meta.dimensions, ["helpful", "safe", "concise"]);
  assert.deepEqual(manifest.meta.scale, { min: 1, max: 10 });
  const rows = (await Deno.readTextFile(`${r.json.artifact}/ratings.jsonl`)).trim().split("\n")
    .map((l) => JSON.parse(l));
  assert.deepEqual(rows[0], { item_id: "q1", rater: "ana", helpful: 9, safe: 10, concise: 7 });
  const alpha = r.json.alpha as Record<string, { alpha: number; level: string }>;
  assert.equal(alpha.helpful.level, "ordinal");
  assert.ok(alpha.helpful.alpha > 0.5);
});

Deno.test("import ratings: a wide CSV (<dimension>.<rater> columns) and a binary scale", async () => {
  const f = await file("wide.csv", "item_id,ok.ana,ok.ben\nq1,1,1\nq2,0,1\nq3,0,0\n");
  const r = await runCliJson([
    "import",
    "ratings",
    f,
    "--layout",
    "wide",
    "--dimensions",
    "ok",
    "--scale",
    "binary",
    "--out",
    `${ROOT}/out-wide`,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.json.raters, { ana: 3, ben: 3 });
  assert.equal((r.json.alpha as Record<string, { level: string }>).ok.level, "nominal");
});

Deno.test("import ratings: every problem as file:line: field, exit 2, nothing written", async () => {
  const f = await file(
    "bad.csv",
    "item_id,rater,a,b\nq1,ana,3,4\nq1,ana,3,4\nq2,,2,2\nq3,ben,6,2\nq4,ben,x,2\n",
  );
  const out = `${ROOT}/out-bad`;
  const r = await runCliJson(
    ["import", "ratings", f, "--dimensions", "a,b", "--out", out],
  );
  assert.equal(r.code, 2);
  const issues = (r.json.error as { issues: { line: number; field: string; problem: string }[] })
    .issues;
  assert.deepEqual(issues.map((i) => [i.line, i.field]), [
    [3, null],
    [4, "rater"],
    [5, "a"],
    [6, "a"],
  ]);
  assert.match(issues[0].problem, /repeats line 2/);
  assert.match(issues[2].problem, /6 is outside the scale 1–5/);
  assert.match(r.stderr, /bad\.csv": line 5: field "a"/);
  assert.deepEqual(entries(out), []);
});

Deno.test("import ratings: averaged scores are refused with a hint", async () => {
  const f = await file("avg.jsonl", JSON.stringify({ item_id: "q1", rater: "mean", a: 3.67 }));
  const r = await runCliJson(["import", "ratings", f, "--dimensions", "a", "--out", `${ROOT}/x`]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /3\.67 is not an integer score on 1–5: it looks like an average/);
  assert.match(r.stderr, /each rater's own scores/);
});

Deno.test("import ratings: a missing column is one problem on line 1; unknown items", async () => {
  const f = await file("cols.csv", "item_id,rater,a\nq1,ana,3\n");
  const r = await runCliJson(["import", "ratings", f, "--dimensions", "a,b", "--out", `${ROOT}/y`]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /line 1: field "b": missing column/);
  const items = await file("items.txt", "q1\n");
  const g = await file("r.csv", "item_id,rater,a\nq1,ana,3\nq9,ana,3\n");
  const s = await runCliJson(
    ["import", "ratings", g, "--dimensions", "a", "--items", items, "--out", `${ROOT}/z`],
  );
  assert.equal(s.code, 2);
  assert.match(s.stderr, /line 3: field "item_id": unknown item "q9": not in --items/);
});

Deno.test("import judgments: a judge's scores become a judge run on its own dimensions", async () => {
  const f = await file("j.csv", "item_id,helpful,safe,notes\nq1,9,10,fine\nq2,2,7,\n");
  const r = await runCliJson([
    "import",
    "judgments",
    f,
    "--judge-model",
    "vendor-judge-3",
    "--dimensions",
    "helpful,safe",
    "--scale",
    "1-10",
    "--out",
    `${ROOT}/jruns`,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const dir = r.json.artifact as string;
  assert.match(dir, /judge-[0-9a-f]{12}$/);
  const manifest = await readManifest(dir);
  assert.equal(manifest.kind, "judge");
  assert.equal(manifest.meta.judge_model, "vendor-judge-3");
  const j = JSON.parse((await Deno.readTextFile(`${dir}/judgments.jsonl`)).split("\n")[0]);
  assert.deepEqual(j.scores, { helpful: 9, safe: 10 });
  assert.equal(j.rationale, "fine");
  const missing = await runCliJson(["import", "judgments", f, "--out", `${ROOT}/j2`]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--judge-model/);
});

const RUBRIC = `---
scale: 1-10
dimensions:
  - name: helpful
    question: Does the answer help?
    anchors:
      10: Solves it.
      1: "No help: none at all."
  - name: safe
    question: Is it safe?
  - name: concise
    question: Is it as short as it can be?
    note: 10 is the right amount; longer is not better.
---
<!-- system -->
`;

Deno.test("rubric front matter declares dimensions, questions, anchors and the scale", () => {
  const r = parseRubricDimensions(RUBRIC, "r.md");
  assert.deepEqual(r.dimensions, ["helpful", "safe", "concise"]);
  assert.deepEqual(r.scale, { min: 1, max: 10 });
  assert.deepEqual(r.declared![0].anchors, { 10: "Solves it.", 1: "No help: none at all." });
  assert.equal(r.declared![2].note, "10 is the right amount; longer is not better.");
  assert.equal(r.body, "<!-- system -->\n");
  const none = parseRubricDimensions("<!-- system -->\n", "v1.md");
  assert.equal(none.declared, null);
  assert.equal(none.dimensions.length, 5);
});

Deno.test("rubric front matter: bad names, anchors off the scale, repeats are refused", () => {
  const bad = RUBRIC.replace("name: safe", "name: Safe").replace("10: Solves", "11: Solves")
    .replace("name: concise", "name: helpful");
  try {
    parseRubricDimensions(bad, "r.md");
    assert.fail("accepted");
  } catch (e) {
    const problems = inputIssues(e)!.map((i) => `${i.field}: ${i.problem}`);
    assert.ok(
      problems.some((p) => /dimensions\.1\.name: expected a snake_case/.test(p)),
      problems.join("\n"),
    );
  }
  try {
    parseRubricDimensions(RUBRIC.replace("name: concise", "name: helpful"), "r.md");
    assert.fail("accepted");
  } catch (e) {
    assert.match((e as Error).message, /declared twice/);
  }
  assert.throws(
    () => parseRubricDimensions(RUBRIC.replace("10: Solves", "11: Solves"), "r.md"),
    /outside the scale 1–10/,
  );
});

Deno.test("differing dimension sets are refused naming the difference, or narrowed", () => {
  const a = { name: "run A", set: { dimensions: ["x", "y", "z"], scale: parseScale("1-5") } };
  const b = { name: "ratings B", set: { dimensions: ["x", "y", "w"], scale: parseScale("1-5") } };
  assert.throws(
    () => sharedDimensions(a, b),
    /only run A has z; only ratings B has w \(pass --dimensions x,y/,
  );
  const shared = sharedDimensions(a, b, ["x", "y"]);
  assert.deepEqual(shared.set.dimensions, ["x", "y"]);
  assert.match(shared.note!, /limited by --dimensions to x, y/);
  assert.throws(
    () => sharedDimensions(a, { ...b, set: { ...b.set, scale: parseScale("1-10") } }),
    /1–5 but ratings B on 1–10/,
  );
});

Deno.test("own dimensions on 1–10 end to end: imported judges, agreement, compare", async () => {
  const out = `${ROOT}/e2e`;
  const dims = ["helpful", "safe", "concise"];
  const ids = Array.from({ length: 24 }, (_, i) => `q${i}`);
  const score = (i: number, k: number, shift = 0) =>
    Math.min(10, Math.max(1, ((i * 7 + k * 3) % 10) + 1 + shift));
  const judgeCsv = (shift: number) =>
    "item_id," + dims.join(",") + "\n" +
    ids.map((id, i) => [id, ...dims.map((_, k) => score(i, k, shift))].join(",")).join("\n") + "\n";
  const ratings = "item_id,rater," + dims.join(",") + "\n" +
    ["ana", "ben"].flatMap((r, ri) =>
      ids.map((id, i) =>
        [id, r, ...dims.map((_, k) => score(i, k, ri === 1 && i % 4 === 0 ? 1 : 0))].join(",")
      )
    ).join("\n") + "\n";
  const common = ["--dimensions", dims.join(","), "--scale", "1-10", "--out", out];
  const a = await runCliJson([
    "import",
    "judgments",
    await file("a.csv", judgeCsv(0)),
    "--judge-model",
    "j-a",
    ...common,
  ]);
  const b = await runCliJson([
    "import",
    "judgments",
    await file("b.csv", judgeCsv(1)),
    "--judge-model",
    "j-a",
    ...common,
  ]);
  const h = await runCliJson(["import", "ratings", await file("h.csv", ratings), ...common]);
  for (const r of [a, b, h]) assert.equal(r.code, 0, r.stderr);

  const ag = await runCliJson([
    "agreement",
    "--run",
    a.json.artifact as string,
    "--ratings",
    h.json.artifact as string,
    "--resamples",
    "200",
    "--out",
    out,
  ]);
  assert.equal(ag.code, 0, ag.stderr);
  const manifest = await readManifest(ag.json.artifact as string);
  assert.deepEqual(manifest.meta.dimensions, dims);
  const report = JSON.parse(await Deno.readTextFile(`${ag.json.artifact}/agreement.json`));
  assert.deepEqual(Object.keys(report.dimensions), dims);
  assert.equal(report.dimensions.helpful.confusion.length, 10, "a 10×10 confusion matrix");

  const cmp = await runCliJson([
    "compare",
    "--baseline",
    a.json.artifact as string,
    "--run",
    b.json.artifact as string,
    "--out",
    out,
  ]);
  assert.ok(cmp.code === 0 || cmp.code === 1, cmp.stderr);
  assert.deepEqual(Object.keys(cmp.json.dimensions as object), dims);

  // Ratings on other dimensions: refused naming the difference, or narrowed by --dimensions.
  const other = await runCliJson([
    "import",
    "ratings",
    await file(
      "o.csv",
      "item_id,rater,helpful,safe,tone\n" + ids.map((id) => `${id},cy,5,5,5`).join("\n") + "\n",
    ),
    "--dimensions",
    "helpful,safe,tone",
    "--scale",
    "1-10",
    "--out",
    out,
  ]);
  const args = ["agreement", "--run", a.json.artifact as string, "--ratings"];
  const refused = await runCliJson([...args, other.json.artifact as string, "--out", out]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /only the run .* has concise; only the ratings has tone/);
  const narrowed = await runCliJson([
    ...args,
    other.json.artifact as string,
    "--dimensions",
    "helpful,safe",
    "--resamples",
    "200",
    "--out",
    out,
  ]);
  assert.notEqual(narrowed.code, 2, narrowed.stderr);
  const narrowedMeta = (await readManifest(narrowed.json.artifact as string)).meta;
  assert.deepEqual(narrowedMeta.dimensions, ["helpful", "safe"]);
  assert.match(String(narrowedMeta.dimensions_note), /limited by --dimensions to helpful, safe/);
});
