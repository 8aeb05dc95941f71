/**
 * Human review: blind sheet export (selection stratified by stratum and by judge score,
 * per-rater seeded order, reproducible), import of filled sheets with file:line errors,
 * the rating reader (CSV, append-only JSONL, artifacts), and refusal of the held-out
 * regression set.
 */
import assert from "node:assert/strict";
import { parse as parseCsv } from "csv-parse/sync";
import { inputIssues } from "../lib/_errors.ts";
import { readManifest, writeArtifact } from "../lib/artifacts.ts";
import { toCsv, toJsonl } from "../lib/io/write.ts";
import { demoPaths } from "../lib/demo_world.ts";
import { runJudge } from "../lib/judge/run.ts";
import { DIMENSIONS, type Judgment, type Scores } from "../lib/schemas.ts";
import {
  exportReview,
  importRatings,
  readRatings,
  renderConversation,
  scoreBand,
  selectForReview,
  SHEET_COLUMNS,
} from "../lib/review/mod.ts";
import { runCliJson } from "../lib/testing/cli.ts";

const paths = demoPaths();

const cli = runCliJson;

/** The demo's release r10 judged by the heuristic judge, once for the whole file. */
const ROOT = await Deno.makeTempDir({ prefix: "evalkit-review-" });
const DEMO_RUN = (await runJudge(paths.evalItems, {
  judge: "heuristic",
  responses: paths.responses("r10"),
  out: `${ROOT}/runs`,
})).artifact;
const DEMO_JUDGMENTS: Judgment[] = (await Deno.readTextFile(`${DEMO_RUN}/judgments.jsonl`))
  .trimEnd().split("\n").map((l) => JSON.parse(l));

globalThis.addEventListener("unload", () => Deno.removeSync(ROOT, { recursive: true }));

function rows(csv: string): Record<string, string>[] {
  return parseCsv(csv, { columns: true }) as Record<string, string>[];
}

const HEADER = "item_id,rater,correctness,relevance,clarity,calibration,length,notes\n";

async function tempFile(name: string, text: string): Promise<string> {
  const dir = await Deno.makeTempDir({ dir: ROOT, prefix: "in-" });
  await Deno.writeTextFile(`${dir}/${name}`, text);
  return `${dir}/${name}`;
}

Deno.test("review export writes one blind sheet per rater: no judge score, rationale or band in any sheet", async () => {
  const out = `${ROOT}/blind`;
  const r = await cli([
    "review",
    "export",
    "--run",
    DEMO_RUN,
    "--n",
    "50",
    "--raters",
    "ana,ben",
    "--seed",
    "7",
    "--out",
    out,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const dir = r.json.artifact as string;
  assert.match(dir, /\/review-[0-9a-f]{12}$/);
  assert.equal(r.json.items, 50);
  assert.deepEqual(r.json.raters, ["ana", "ben"]);
  const judgedById = new Map(DEMO_JUDGMENTS.map((j) => [String(j.item_id), j]));
  for (const rater of ["ana", "ben"]) {
    const text = await Deno.readTextFile(`${dir}/ratings_${rater}.csv`);
    assert.equal(text.split("\n")[0], SHEET_COLUMNS.join(","));
    const sheet = rows(text);
    assert.equal(sheet.length, 50);
    for (const row of sheet) {
      assert.equal(row.rater, rater);
      for (const d of DIMENSIONS) assert.equal(row[d], "", `${row.item_id} ${d} is prefilled`);
      assert.equal(row.notes, "");
      assert.ok(row.query.length > 0 && row.response.length > 0);
      const j = judgedById.get(row.item_id)!;
      assert.ok(!text.includes(j.rationale), "a judge rationale leaked into the sheet");
    }
    assert.doesNotMatch(text, /heuristic/, "the judge model is not named");
  }
  // The manifest records the seed and the selection, but not which item fell in which band.
  const manifest = await readManifest(dir);
  assert.equal(manifest.seed, 7);
  const selection =
    (manifest.meta as { selection: { items: Record<string, unknown>[] } }).selection;
  assert.equal(selection.items.length, 50);
  assert.deepEqual(Object.keys(selection.items[0]).sort(), ["item_id", "stratum"]);
  assert.ok(await Deno.stat(`${dir}/instructions.md`));
});

Deno.test("review export gives each rater a different seeded order of the same items, reproducible with the seed", async () => {
  const args = [
    "review",
    "export",
    "--run",
    DEMO_RUN,
    "--n",
    "40",
    "--raters",
    "ana,ben,cy",
    "--seed",
    "s-1",
  ];
  const a = await cli([...args, "--out", `${ROOT}/repro-a`]);
  const b = await cli([...args, "--out", `${ROOT}/repro-b`]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  const sheet = async (dir: unknown, rater: string) =>
    await Deno.readTextFile(`${dir}/ratings_${rater}.csv`);
  const orders: string[][] = [];
  for (const rater of ["ana", "ben", "cy"]) {
    const [x, y] = [await sheet(a.json.artifact, rater), await sheet(b.json.artifact, rater)];
    assert.equal(x, y, "the same seed gives byte-identical sheets");
    orders.push(rows(x).map((r) => r.item_id));
  }
  assert.deepEqual(
    [...orders[0]].sort(),
    [...orders[1]].sort(),
    "every rater rates the same items",
  );
  assert.deepEqual([...orders[0]].sort(), [...orders[2]].sort());
  assert.notDeepEqual(orders[0], orders[1], "ana and ben get different orders");
  assert.notDeepEqual(orders[1], orders[2]);
  // Another seed, another sample.
  const c = await cli([...args.slice(0, -1), "s-2", "--out", `${ROOT}/repro-c`]);
  const other = rows(await sheet(c.json.artifact, "ana")).map((r) => r.item_id).sort();
  assert.notDeepEqual(other, [...orders[0]].sort());
});

Deno.test("selectForReview() keeps the strata proportional and represents the judge's low scores", () => {
  const s = (low: boolean): Scores => ({
    correctness: low ? 1 : 5,
    relevance: 4,
    clarity: 5,
    calibration: 4,
    length: 5,
  });
  // 300 items: 180 billing, 60 technical, 60 account; only 6% scored low.
  const items = Array.from({ length: 300 }, (_, i) => ({
    item_id: `q${i}`,
    stratum: i < 180 ? "billing" : i < 240 ? "technical" : "account",
    scores: s(i % 50 < 3),
  }));
  const picked = selectForReview(items, 50, { seed: 3 });
  assert.deepEqual(
    Object.fromEntries(Object.entries(picked.strata).map(([k, v]) => [k, v.chosen])),
    { account: 10, billing: 30, technical: 10 },
  );
  const lows = picked.items.filter((i) => i.band === "low").length;
  assert.equal(
    lows,
    18,
    "every low item is taken (18 available), far above the 3 a plain draw expects",
  );
  assert.deepEqual(picked.cells.billing.low, { available: 12, chosen: 12 });
  // The same seed gives the same items whatever order the run lists them in.
  const again = selectForReview([...items].reverse(), 50, { seed: 3 });
  assert.deepEqual(
    again.items.map((i) => i.item_id).sort(),
    picked.items.map((i) => i.item_id).sort(),
  );
  // Fewer items than asked: all of them.
  assert.equal(selectForReview(items.slice(0, 7), 50, { seed: 1 }).n.chosen, 7);
  assert.throws(() => selectForReview(items, 0, { seed: 1 }), {
    name: "RangeError",
    message: "selectForReview(): n must be a positive integer, got 0",
  });
  assert.equal(
    scoreBand({ correctness: 4, relevance: 4, clarity: 5, calibration: 4, length: 4 }),
    "high",
  );
  assert.equal(
    scoreBand({ correctness: 3, relevance: 4, clarity: 5, calibration: 4, length: 4 }),
    "mid",
  );
});

Deno.test("the demo export represents low judge scores beyond their share of the run", async () => {
  const result = await exportReview(DEMO_RUN, {
    n: 50,
    raters: ["ana"],
    seed: 1,
    out: `${ROOT}/share`,
  });
  const low = DEMO_JUDGMENTS.filter((j) => scoreBand(j.scores!) === "low").length;
  const lowChosen = result.selection.items.filter((i) => i.band === "low").length;
  assert.ok(
    lowChosen / 50 > low / DEMO_JUDGMENTS.length,
    `${lowChosen}/50 low vs ${low}/${DEMO_JUDGMENTS.length} in the run`,
  );
  // Multi-turn items show every turn up to the last user turn (the query); what came after it
  // is the answer being logged, not part of the conversation to rate.
  const multi = {
    messages: [
      { role: "user" as const, content: "hi" },
      { role: "assistant" as const, content: "hello" },
      { role: "user" as const, content: [{ type: "text" as const, text: "and now?" }] },
      { role: "assistant" as const, content: "the logged answer" },
    ],
  };
  assert.equal(renderConversation(multi), "user: hi\n\nassistant: hello\n\nuser: and now?");
});

Deno.test("review import validates filled sheets and writes a ratings artifact that agreement reads", async () => {
  const exported = await exportReview(DEMO_RUN, {
    n: 12,
    raters: ["ana", "ben"],
    seed: 5,
    out: `${ROOT}/imp`,
  });
  const dir = await Deno.makeTempDir({ dir: ROOT, prefix: "filled-" });
  const files: string[] = [];
  for (const rater of ["ana", "ben"]) {
    const sheet = rows(await Deno.readTextFile(exported.sheets[rater]));
    // Each rater leaves the last row of their order unrated.
    const filled = sheet.map((row, i) =>
      i === sheet.length - 1 ? row : {
        ...row,
        correctness: "4",
        relevance: rater === "ana" ? "5" : "4",
        clarity: "3",
        calibration: "4",
        length: "5",
        notes: i === 0 ? "too long, but right" : "",
      }
    );
    const file = `${dir}/ratings_${rater}.csv`;
    await Deno.writeTextFile(file, toCsv(filled, SHEET_COLUMNS));
    files.push(file);
  }
  const r = await cli([
    "review",
    "import",
    "--review",
    exported.artifact,
    "--date",
    "2026-08-20",
    ...files,
    "--out",
    `${ROOT}/imp`,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.json.artifact as string, /\/ratings-[0-9a-f]{12}$/);
  assert.equal(r.json.ratings, 22);
  assert.equal(r.json.skipped, 2);
  assert.deepEqual(r.json.raters, {
    ana: { rated: 11, missing: 1 },
    ben: { rated: 11, missing: 1 },
  });
  assert.equal(r.json.rated_on, "2026-08-20");
  assert.match(r.stderr, /warning: ana left 1 of 12 items unrated/);
  const back = await readRatings([r.json.artifact as string]);
  assert.equal(back.ratings.length, 22);
  assert.equal(back.dates[r.json.artifact as string], "2026-08-20");
  assert.equal(back.ratings.find((x) => x.notes)?.notes, "too long, but right");
});

Deno.test("review import reports every bad row as file:line: field: problem and exits 2", async () => {
  const exported = await exportReview(DEMO_RUN, {
    n: 6,
    raters: ["ana", "ben"],
    seed: 9,
    out: `${ROOT}/bad`,
  });
  const ids = exported.selection.items.map((i) => i.item_id);
  const file = await tempFile(
    "ratings_ana.csv",
    HEADER +
      `${ids[0]},ana,6,5,4,3,5,\n` + // line 2: out of range
      `${ids[1]},ana,x,5,4,3,5,\n` + // line 3: not a number
      `item-9999,ana,4,5,4,3,5,\n` + // line 4: unknown item
      `${ids[2]},ben,4,5,4,3,5,\n` + // line 5: another rater in ana's sheet
      `${ids[3]},ana,4,5,4,3,5,\n` +
      `${ids[3]},ana,3,5,4,3,5,\n` + // line 7: duplicate row
      `${ids[4]},ana,4,,4,3,5,\n`, // line 8: partly filled
  );
  const r = await cli([
    "review",
    "import",
    "--review",
    exported.artifact,
    file,
    "--out",
    `${ROOT}/bad`,
  ]);
  assert.equal(r.code, 2);
  const problems =
    (r.json.error as { issues: { line: number; field: string; problem: string }[] }).issues;
  const at = (line: number) => problems.filter((p) => p.line === line);
  assert.equal(at(2)[0].field, "correctness");
  assert.match(at(2)[0].problem, /expected <= 5, received 6/);
  assert.equal(at(3)[0].field, "correctness");
  assert.match(at(3)[0].problem, /received "x"/);
  assert.equal(at(4)[0].field, "item_id");
  assert.match(at(4)[0].problem, /unknown item "item-9999"/);
  assert.equal(at(5)[0].field, "rater");
  assert.equal(at(5)[0].problem, 'expected "ana" (the rater this sheet is for), received "ben"');
  assert.match(at(7)[0].problem, /duplicate rating of item ".+" by "ana" \(first on line 6\)/);
  assert.equal(at(8)[0].field, "relevance");
  assert.match(at(8)[0].problem, /^missing: score all five dimensions/);
  assert.match(r.stderr, new RegExp(`^Cannot read "${file}": line 2: field "correctness": `, "m"));
  // The library throws the same problems, the first as the message, with the fitting class.
  await assert.rejects(
    () => importRatings([file], { review: exported.artifact, out: `${ROOT}/bad` }),
    (e: Error) => {
      assert.ok(e instanceof RangeError, e.name); // "expected <= 5" is a range problem
      assert.match(
        e.message,
        new RegExp(
          `^Cannot read "${file}": line 2: field "correctness": expected <= 5, received 6 \\(and \\d+ more problems\\)$`,
        ),
      );
      assert.ok(inputIssues(e)!.length >= 6);
      return true;
    },
  );
  // Neither --review nor --run: a usage error.
  const none = await cli(["review", "import", file]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /Pass --review DIR/);
});

Deno.test("readRatings() takes append-only JSONL (a later record wins) but refuses repeats in a CSV or across files", async () => {
  const rec = (item: string, c: number) =>
    JSON.stringify({
      item_id: item,
      rater: "ana",
      correctness: c,
      relevance: 4,
      clarity: 4,
      calibration: 4,
      length: 4,
    });
  const jsonl = await tempFile(
    "ana.jsonl",
    [rec("a", 2), rec("b", 3), rec("a", 5)].join("\n") + "\n",
  );
  const read = await readRatings([jsonl]);
  assert.equal(read.superseded, 1);
  assert.deepEqual(read.ratings.map((r) => [r.item_id, r.correctness]), [["a", 5], ["b", 3]]);

  const csv = await tempFile("ana.csv", HEADER + "a,ana,4,4,4,4,4,\nc,ana,3,3,3,3,3,\n");
  await assert.rejects(() => readRatings([jsonl, csv]), (e: Error) => {
    assert.ok(e instanceof TypeError);
    assert.equal(
      e.message,
      `Cannot read "${csv}": line 2: field "item_id,rater": item "a" is rated by "ana" in "${jsonl}" too (line 3): one rating per item per rater`,
    );
    return true;
  });
  const missingColumn = await tempFile(
    "x.csv",
    "item_id,rater,correctness,relevance,clarity,length\na,ana,4,4,4,4\n",
  );
  await assert.rejects(() => readRatings([missingColumn]), {
    name: "TypeError",
    message: new RegExp(
      `^Cannot read "${missingColumn}": line 1: field "calibration": missing column`,
    ),
  });
});

Deno.test("review export and import refuse the held-out regression set (exit 2)", async () => {
  const out = `${ROOT}/held`;
  const cases = await cli([
    "review",
    "export",
    "--run",
    paths.cases,
    "--raters",
    "ana",
    "--out",
    out,
  ]);
  assert.equal(cases.code, 2);
  assert.match(
    cases.stderr,
    /^Refusing ".*regression_cases\.jsonl": it holds regression cases\. The regression set is held out/m,
  );

  // A judge run marked as judging regression cases.
  const judgments = DEMO_JUDGMENTS.slice(0, 5);
  const marked = await writeArtifact({
    kind: "judge",
    out,
    command: "judge",
    params: { source: "cases" },
    files: { "judgments.jsonl": toJsonl(judgments) },
    meta: { source: "cases", judge_model: "heuristic" },
  });
  const r1 = await cli(["review", "export", "--run", marked.dir, "--raters", "ana", "--out", out]);
  assert.equal(r1.code, 2);
  assert.match(r1.stderr, /the judge run judged regression cases/);

  // Cases dressed up as an eval set (stratum and source_id added) and judged.
  const caseLines = (await Deno.readTextFile(paths.cases)).trimEnd().split("\n").slice(0, 4)
    .map((l) => ({ ...JSON.parse(l), stratum: "billing", source_id: "x" }));
  const disguised = await tempFile(
    "evalset.jsonl",
    toJsonl(caseLines.map((c) => ({ ...c, response: "An answer." }))),
  );
  const run = await runJudge(disguised, { judge: "heuristic", out });
  const r2 = await cli([
    "review",
    "export",
    "--run",
    run.artifact,
    "--raters",
    "ana",
    "--out",
    out,
  ]);
  assert.equal(r2.code, 2);
  assert.match(r2.stderr, /its input ".*evalset\.jsonl" holds regression cases/);

  // Ratings import pointed at the cases file.
  const r3 = await cli(["review", "import", "--run", DEMO_RUN, paths.cases, "--out", out]);
  assert.equal(r3.code, 2);
  assert.match(r3.stderr, /it holds regression cases, not ratings/);
});

Deno.test("review export refuses bad usage with exit 2", async () => {
  const bad = await cli([
    "review",
    "export",
    "--run",
    DEMO_RUN,
    "--raters",
    "ana,../x",
    "--out",
    `${ROOT}/u`,
  ]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Invalid rater name "\.\.\/x"/);
  const twice = await cli([
    "review",
    "export",
    "--run",
    DEMO_RUN,
    "--raters",
    "ana,ana",
    "--out",
    `${ROOT}/u`,
  ]);
  assert.equal(twice.code, 2);
  assert.match(twice.stderr, /Rater "ana" is listed twice/);
  const notRun = await cli([
    "review",
    "export",
    "--run",
    paths.evalItems,
    "--raters",
    "ana",
    "--out",
    `${ROOT}/u`,
  ]);
  assert.equal(notRun.code, 2);
  assert.match(notRun.stderr, /is a file: --run takes a judge-run folder/);
  const noN = await cli([
    "review",
    "export",
    "--run",
    DEMO_RUN,
    "--raters",
    "ana",
    "--n",
    "0",
    "--out",
    `${ROOT}/u`,
  ]);
  assert.equal(noN.code, 2);
});

Deno.test("an unfilled sheet is all unrated rows: agreement refuses it with exit 2, and --raters defaults to a,b", async () => {
  const r = await cli([
    "review",
    "export",
    "--run",
    DEMO_RUN,
    "--n",
    "5",
    "--out",
    `${ROOT}/blank`,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.json.raters, ["a", "b"]);
  const sheet = (r.json.sheets as Record<string, string>).a;
  const read = await readRatings([sheet]);
  assert.equal(read.ratings.length, 0);
  assert.equal(read.skipped[sheet], 5);
  const agreement = await cli([
    "agreement",
    "--run",
    DEMO_RUN,
    "--ratings",
    sheet,
    "--out",
    `${ROOT}/blank`,
  ]);
  assert.equal(agreement.code, 2);
  assert.match(agreement.stderr, /^No ratings in ".*ratings_a\.csv": every row is unrated/m);
});
