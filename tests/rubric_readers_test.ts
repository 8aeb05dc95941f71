/**
 * The readers on a run's own dimension set: `investigateDimension` and `evalkit status` on
 * two runs judged at the local test server with a rubric of three dimensions on 1–10,
 * and the investigation on the kit's five on 1–5 (its low band, colours and axis as before).
 * Notebooks 03, 04 and 05 run under real Jupyter on such runs, ratings and a release
 * registry: their outputs name the rubric's dimensions and scale, never the kit's five.
 */
import assert from "node:assert/strict";
import { readManifest, writeArtifact } from "../lib/artifacts.ts";
import { dimensionSetOf } from "../lib/dimensions.ts";
import {
  historyChart,
  investigateDimension,
  lowScores,
  SCORE_COLORS,
  scoreColors,
  strataChart,
} from "../lib/investigate/mod.ts";
import { renderSvg } from "../lib/plot.ts";
import { readStatus, statusLines } from "../lib/status/mod.ts";
import { runCliJson as cli } from "../lib/testing/cli.ts";
import { endpointArgs, withServer, writeInputs } from "../lib/testing/fixtures.ts";
import { runNotebook, runNotebookInJupyter } from "../lib/testing/notebook.ts";
import { RAG_DIMENSIONS, RAG_RUBRIC, ragItems, ragResponses } from "../lib/testing/rubric.ts";

const DIMS = [...RAG_DIMENSIONS];
/** The kit's five: no output on the rubric's runs may name them where it shows a dimension. */
const FIVE = /\b(correctness|relevance|clarity|calibration|length)\b/;

const RUBRIC = RAG_RUBRIC;
const N = 24;
const items = () => ragItems(N);
const responses = ragResponses;

type Scores = Record<string, number>;

/** A run's ok judgments' scores by item, read straight from its file. */
async function scoresByItem(dir: string): Promise<Map<string, Scores>> {
  const text = await Deno.readTextFile(`${dir}/judgments.jsonl`);
  const rows = text.trimEnd().split("\n").map((l) => JSON.parse(l));
  return new Map(rows.filter((r) => r.status === "ok").map((r) => [r.item_id, r.scores]));
}

interface World {
  root: string;
  out: string;
  base: string;
  cand: string;
  ratings: string[];
}

/** Judge the inputs on the rubric at the test server (the CLI's `judge`): the run's folder. */
async function judgeAt(
  server: { url: string },
  inputs: { evalset: string; gen: string | null },
  rubric: string,
  out: string,
): Promise<string> {
  const r = await cli([
    "judge",
    "--evalset",
    inputs.evalset,
    "--responses",
    inputs.gen!,
    "--judge",
    "judge-model-x",
    "--prompt",
    rubric,
    ...endpointArgs(server, out),
  ]);
  assert.equal(r.code, 0, r.stderr);
  return r.json.artifact as string;
}

let world: Promise<World> | undefined;
/** Two releases judged on the rubric at the test server, and two raters on the later one. */
function setup(): Promise<World> {
  world ??= (async () => {
    const root = await Deno.makeTempDir({ prefix: "evalkit-rubric-readers-" });
    globalThis.addEventListener("unload", () => Deno.removeSync(root, { recursive: true }));
    const list = items();
    const rubric = `${root}/rag-rubric.md`;
    await Deno.writeTextFile(rubric, RUBRIC);
    const out = `${root}/runs`;
    const runs: string[] = [];
    await withServer({}, async (server) => {
      for (const [model, variant] of [["acme-v1", "Old"], ["acme-v2", "New"]]) {
        const inputs = await writeInputs(`${root}/${model}`, list, responses(list, model, variant));
        runs.push(await judgeAt(server, inputs, rubric, out));
      }
    });
    // Two raters of the later run: the judge's scores, except citation_quality 5 points
    // off on the first four items (disagreements on any reading of the scale).
    const judged = await scoresByItem(runs[1]);
    const ratings = ["ana", "ben"].map((rater) => `${root}/ratings_${rater}.jsonl`);
    for (const [k, file] of ratings.entries()) {
      const lines = [...judged].map(([item_id, s], i) => {
        const off = i < 4 ? (s.citation_quality > 5 ? -5 : 5) : 0;
        return JSON.stringify({
          item_id,
          rater: k === 0 ? "ana" : "ben",
          ...s,
          citation_quality: s.citation_quality + off,
        });
      });
      await Deno.writeTextFile(file, lines.join("\n") + "\n");
    }
    const a = await cli(["agreement", "--run", runs[1], "--ratings", ...ratings, "--out", out]);
    assert.ok(a.code === 0 || a.code === 1, a.stderr);
    return { root, out, base: runs[0], cand: runs[1], ratings };
  })();
  return world;
}

Deno.test("investigateDimension() takes the dimension set and scale from the run's manifest", async () => {
  const w = await setup();
  assert.deepEqual(dimensionSetOf(await readManifest(w.cand)).dimensions, DIMS);
  const found = await investigateDimension(w.cand, "citation_quality", { resamples: 300 });
  assert.deepEqual(found.dimensions, DIMS);
  assert.deepEqual(found.scale, { min: 1, max: 10 });
  assert.deepEqual(found.low, { max: 3, label: "1–3" }, "the bottom quarter of 1–10");
  assert.equal(found.run.n, N);

  const cand = await scoresByItem(w.cand);
  const ids = [...cand.keys()];
  // The lowest items: the run's own scores, lowest first, every dimension of its set.
  const sorted = ids.map((id) => cand.get(id)!.citation_quality).sort((a, b) => a - b);
  assert.deepEqual(found.lowest.map((l) => l.score), sorted.slice(0, 10));
  for (const l of found.lowest) {
    assert.deepEqual(l.scores, cand.get(l.item_id));
    assert.ok(l.query?.includes("SSO") && l.response?.startsWith("New answer"));
  }

  // By stratum: ten counts (1–10), the low share is the share scored 1–3.
  assert.deepEqual(found.strata.map((s) => s.stratum), ["sales", "support"]);
  const stratumOf = (id: string) => (Number(id.slice(1)) - 1) % 3 === 0 ? "sales" : "support";
  for (const s of found.strata) {
    const values = ids.filter((id) => stratumOf(id) === s.stratum)
      .map((id) => cand.get(id)!.citation_quality);
    assert.equal(s.n, values.length);
    assert.deepEqual(
      s.counts,
      Array.from({ length: 10 }, (_, i) => values.filter((v) => v === i + 1).length),
    );
    assert.equal(s.low_share, Math.round(values.filter((v) => v <= 3).length / s.n * 1e4) / 1e4);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    assert.ok(Math.abs(s.mean - mean) < 1e-4);
  }

  // History: the earlier release, the same judge and rubric; the movers' scores from both files.
  const base = await scoresByItem(w.base);
  assert.deepEqual(
    found.history.map((h) => h.run),
    [w.base, w.cand].map((d) => d.split("/").pop()),
  );
  assert.equal(found.steps.length, 1);
  const step = found.steps[0];
  const meanOf = (m: Map<string, Scores>) =>
    [...m.values()].reduce((a, s) => a + s.citation_quality, 0) / m.size;
  assert.ok(Math.abs(step.from_mean - meanOf(base)) < 1e-4);
  assert.ok(Math.abs(step.to_mean - meanOf(cand)) < 1e-4);
  assert.ok(found.movers.length > 0);
  for (const m of found.movers) {
    assert.equal(m.from_score, base.get(m.item_id)!.citation_quality);
    assert.equal(m.to_score, cand.get(m.item_id)!.citation_quality);
    assert.equal(m.change, m.to_score - m.from_score);
    assert.equal(Math.sign(m.change), Math.sign(step.diff));
  }

  // The humans' check of this run, on this dimension: the four items set 5 points off.
  const a = found.agreement!;
  assert.equal(a.same_run, true);
  assert.equal(a.compared, N);
  const off = new Set(ids.slice(0, 4));
  assert.deepEqual(
    a.disagreements.map((d) => d.item_id).filter((id) => off.has(id)).sort(),
    [...off].sort(),
  );
  for (const d of a.disagreements) assert.equal(d.judge, cand.get(d.item_id)!.citation_quality);
});

Deno.test("investigateDimension() refuses a dimension the run does not score, naming the run's", async () => {
  const w = await setup();
  await assert.rejects(
    () => investigateDimension(w.cand, "correctness"),
    (e: Error) =>
      e instanceof RangeError &&
      e.message ===
        'Invalid dimension "correctness": expected one of faithfulness, citation_quality, tone',
  );
});

Deno.test("status lists each judge run's own dimensions and asks the raters for them", async () => {
  const w = await setup();
  const name = (dir: string) => dir.split("/").pop()!;
  const report = await readStatus(w.out, { now: new Date("2026-01-10T00:00:00Z") });
  const hs = report.checks.human_sample;
  assert.deepEqual(hs.runs.map((r) => [r.artifact, r.dimensions, r.scale]), [
    [name(w.base), DIMS, "1–10"],
    [name(w.cand), DIMS, "1–10"],
  ]);
  assert.deepEqual(hs.without, [name(w.base)], "the later run has its human sample");
  const due = report.due.find((d) => d.check === "human_sample")!;
  assert.match(
    due.what,
    new RegExp(
      `; the raters of ${
        name(w.base)
      } score its rubric's faithfulness, citation_quality, tone on 1–10$`,
    ),
  );
  const last = report.checks.monthly_agreement.last!;
  assert.deepEqual([last.dimensions, last.scale, last.run], [DIMS, "1–10", name(w.cand)]);
  for (const d of last.recalibrate) assert.ok(DIMS.includes(d), d);
  const lines = statusLines(report);
  assert.ok(
    lines.some((l) =>
      l.includes(
        "1 of 2 judge runs rated by people; 2 on faithfulness, citation_quality, tone on 1–10",
      )
    ),
    lines.join("\n"),
  );
  assert.ok(
    lines.some((l) =>
      l.includes("monthly agreement") &&
      l.endsWith(", on faithfulness, citation_quality, tone on 1–10")
    ),
    lines.join("\n"),
  );
  const r = await cli(["status", "--runs", w.out, "--now", "2026-01-10"]);
  assert.equal(r.code, 0, r.stderr);
  const checks = r.json.checks as typeof report.checks;
  assert.deepEqual(checks.human_sample.runs[1].dimensions, DIMS);
});

Deno.test("the investigation's charts are drawn on the run's scale", async () => {
  const w = await setup();
  const found = await investigateDimension(w.cand, "tone", { resamples: 300 });
  const strata = strataChart(found.strata, "tone", { scale: found.scale });
  const color = strata.color as { domain: number[]; range: string[] };
  assert.deepEqual(color.domain, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(color.range.length, 10);
  assert.equal(color.range[0], SCORE_COLORS[0]);
  assert.equal(color.range[9], SCORE_COLORS[4]);
  assert.match(String(strata.caption), /\(1 red … 10 green\)/);
  assert.ok(renderSvg(strata).includes("support"));
  const history = historyChart(found);
  const y = history.y as { domain: [number, number]; label: string };
  assert.equal(y.label, "mean tone (1–10)");
  const means = found.history.map((h) => h.mean);
  assert.ok(y.domain[0] >= 1 && y.domain[0] < Math.min(...means));
  assert.ok(y.domain[1] <= 10 && y.domain[1] > Math.max(...means));
});

Deno.test("on the kit's five on 1–5 the low band, colours and axis are as before", async () => {
  assert.deepEqual(lowScores({ min: 1, max: 5 }), { max: 2, label: "1–2" });
  assert.deepEqual(lowScores({ min: 0, max: 1 }), { max: 0, label: "0" });
  assert.deepEqual(lowScores({ min: 0, max: 3 }), { max: 0, label: "0" });
  assert.deepEqual(scoreColors({ min: 1, max: 5 }), [...SCORE_COLORS]);
  assert.deepEqual(scoreColors({ min: 0, max: 1 }), [SCORE_COLORS[0], SCORE_COLORS[4]]);
  const out = await Deno.makeTempDir({ prefix: "evalkit-rubric-readers-default-" });
  try {
    const scores = [1, 2, 2, 3, 5, 4];
    const judgments = scores.map((s, i) =>
      JSON.stringify({
        item_id: `q${i}`,
        judge_model: "j",
        prompt_sha256: "a".repeat(64),
        scores: { correctness: s, relevance: 4, clarity: 4, calibration: 4, length: 4 },
        rationale: "correctness: r",
        usage: { prompt_tokens: 1, completion_tokens: 1 },
        status: "ok",
      }) + "\n"
    ).join("");
    const run = await writeArtifact({
      kind: "judge",
      out,
      command: "judge",
      params: {},
      files: { "judgments.jsonl": judgments },
      meta: { judge_model: "j", prompt_sha256: "a".repeat(64), models: ["m"] },
    });
    const found = await investigateDimension(run.dir, "correctness", { resamples: 200 });
    assert.deepEqual(found.dimensions, [
      "correctness",
      "relevance",
      "clarity",
      "calibration",
      "length",
    ]);
    assert.deepEqual(found.scale, { min: 1, max: 5 });
    const [row] = found.strata;
    assert.deepEqual(row.counts, [1, 2, 1, 1, 1]);
    assert.equal(row.low_share, 0.5, "scored 1 or 2: three of six");
    const color = strataChart(found.strata, "correctness").color as { domain: number[] };
    assert.deepEqual(color.domain, [1, 2, 3, 4, 5]);
    const y = historyChart(found).y as { domain: [number, number]; label: string };
    assert.equal(y.label, "mean correctness");
    assert.deepEqual(y.domain, [
      Math.max(1, found.history[0].mean - 0.3),
      found.history[0].mean + 0.3,
    ]);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("notebook 06 investigates a dimension of a run on its own rubric", async () => {
  const w = await setup();
  const run = await runNotebook(
    new URL("../notebooks/06_investigate_dimension.ipynb", import.meta.url).pathname,
    {
      parameters: { dimension: "citation_quality", run: w.cand, out: w.out, demo: false },
      env: { OPENAI_API_KEY: "", OPENAI_BASE_URL: "" },
    },
  );
  assert.ok(run.ok, `cell ${run.failedCell} failed:\n${run.stderr}`);
  assert.ok(run.displayed.length >= 8, run.displayed.join());
});

Deno.test("notebook 02 judges the demo release on a rubric of its own at the test server", async () => {
  const w = await setup();
  await withServer({}, async (server) => {
    const run = await runNotebook(
      new URL("../notebooks/02_judge.ipynb", import.meta.url).pathname,
      {
        parameters: {
          judge: "gpt-4.1-mini", // a model the price table knows, for the budget
          prompt: `${w.root}/rag-rubric.md`,
          out: `${w.root}/nb02`,
          budgetUsd: 100,
        },
        env: { OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: server.url },
      },
    );
    assert.ok(run.ok, `cell ${run.failedCell} failed:\n${run.stderr}`);
    assert.ok(run.displayed.length >= 4, run.displayed.join());
  });
  const judged = (await Array.fromAsync(Deno.readDir(`${w.root}/nb02`)))
    .filter((e) => e.name.startsWith("judge-"));
  assert.equal(judged.length, 1);
  const manifest = await readManifest(`${w.root}/nb02/${judged[0].name}`);
  assert.deepEqual(dimensionSetOf(manifest).dimensions, DIMS);
});

const notebookPath = (name: string) =>
  new URL(`../notebooks/${name}.ipynb`, import.meta.url).pathname;
const NO_API = { OPENAI_API_KEY: "", OPENAI_BASE_URL: "" };

/** A cell's outputs name every dimension of the rubric and none of the kit's five. */
function showsRubric(text: string, what: string): void {
  for (const d of DIMS) assert.ok(text.includes(d), `${what} does not show ${d}:\n${text}`);
  assert.doesNotMatch(text, FIVE, `${what} shows one of the kit's five`);
}

/** The mean of one dimension over a run's ok judgments, as the notebooks print it. */
function meanOf(scores: Map<string, Scores>, d: string): string {
  return ([...scores.values()].reduce((a, s) => a + s[d], 0) / scores.size).toFixed(2);
}

Deno.test("notebook 03 under Jupyter checks a 1–10 rubric's run against its raters on its dimensions", async () => {
  const w = await setup();
  const nb = await runNotebookInJupyter(notebookPath("03_human_agreement"), {
    parameters: { run: w.cand, ratings: w.ratings, out: `${w.root}/nb03`, resamples: 200 },
    env: NO_API,
  });
  assert.ok(nb.ok, `cell ${nb.failedCell} failed:\n${nb.errors.join("\n")}`);
  const [head, table, confusion, disagreements, comparison, drift] = [2, 4, 6, 8, 10, 12]
    .map((i) => nb.outputs[i]);
  assert.match(head, new RegExp(`${N} rated items, ${N} rated by both raters; `));
  assert.ok(head.includes("on faithfulness, citation_quality, tone (1–10)"), head);
  showsRubric(table, "the agreement table and chart");
  assert.ok(table.includes("Agreement per dimension, scores on 1–10 (threshold 0.8)"), table);
  for (const d of DIMS) assert.ok(table.includes(`<td>${d}</td>`), `no row for ${d}`);
  // One matrix per dimension, both axes over 1–10: tick labels 1 to 10, never a sixth-to-tenth gap.
  showsRubric(confusion, "the confusion matrices");
  for (const tick of ["1", "5", "6", "10"]) {
    assert.ok(confusion.includes(`>${tick}</text>`), `no tick ${tick} on the 1–10 axes`);
  }
  // The four items the raters set 5 points off on citation_quality are the disagreements.
  assert.doesNotMatch(disagreements, FIVE);
  for (const id of ["q01", "q02", "q03", "q04"]) {
    assert.match(disagreements, new RegExp(`<td>${id}</td><td>citation_quality</td>`), id);
  }
  assert.ok(comparison.includes(`--run ${w.cand} --run NEW`), comparison);
  // The drift: a chart of the history on the rubric's dimensions; never the five.
  showsRubric(drift, "the drift section");
  assert.ok(drift.includes("<svg"), `no drift chart:\n${drift}`);
  assert.doesNotMatch(drift, /no drift chart on this rubric/);
});

Deno.test("notebook 04 under Jupyter compares two runs on a 1–10 rubric, per dimension of it", async () => {
  const w = await setup();
  const nb = await runNotebookInJupyter(notebookPath("04_compare_release"), {
    parameters: { baselineRun: w.base, candidateRun: w.cand, out: `${w.root}/nb04` },
    env: NO_API,
  });
  assert.ok(nb.ok, `cell ${nb.failedCell} failed:\n${nb.errors.join("\n")}`);
  const [head, chart, table, strata, cw, gate] = [2, 4, 5, 7, 9, 11].map((i) => nb.outputs[i]);
  assert.ok(head.includes("; on faithfulness, citation_quality, tone (1–10)"), head);
  showsRubric(chart, "the paired-difference chart");
  showsRubric(table, "the comparison table");
  assert.match(table, /items paired, 0 left out; mean scores on 1–10; /);
  // Each row holds the runs' own means, read from the judgment files.
  const [base, cand] = [await scoresByItem(w.base), await scoresByItem(w.cand)];
  for (const d of DIMS) {
    assert.ok(
      table.includes(`<td>${d}</td><td>${meanOf(base, d)}</td><td>${meanOf(cand, d)}</td>`),
      `${d}: means ${meanOf(base, d)} → ${meanOf(cand, d)} not in\n${table}`,
    );
  }
  showsRubric(strata, "the per-stratum table");
  assert.ok(strata.includes("3 dimensions × 2 strata, 6 intervals"), strata);
  assert.match(strata, /<td>sales<\/td>/);
  assert.ok(cw.includes("(faithfulness, citation_quality, tone on 1–10) has no correctness"), cw);
  assert.match(gate, /evalkit regress/);
});

Deno.test({
  name:
    "notebook 05 under Jupyter correlates releases judged on a 1–10 rubric, per dimension of it",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const w = await setup();
    // Seven releases of the same eval set, judged on the rubric; two in Q2, five in Q3.
    const root = `${w.root}/nb05`;
    const list = items();
    const rows = ["release,date,eval_run,thumbs_down_rate,tickets_per_1k"];
    const dates = ["06-02", "06-20", "07-06", "07-21", "08-04", "08-25", "09-14"];
    await withServer({}, async (server) => {
      for (const [k, date] of dates.entries()) {
        const model = `acme-r${k + 1}`;
        const inputs = await writeInputs(
          `${root}/${model}`,
          list,
          responses(list, model, `R${k + 1}`),
        );
        const run = await judgeAt(server, inputs, `${w.root}/rag-rubric.md`, `${root}/runs`);
        const down = (0.2 - 0.01 * k + (k % 2) * 0.015).toFixed(4);
        rows.push(`r${k + 1},2026-${date},${run},${down},${(6 - 0.2 * k).toFixed(2)}`);
      }
    });
    const registry = `${root}/releases.csv`;
    await Deno.writeTextFile(registry, rows.join("\n") + "\n");
    const nb = await runNotebookInJupyter(notebookPath("05_quarterly_correlation"), {
      parameters: { registry, out: `${root}/runs` },
      env: NO_API,
    });
    assert.ok(nb.ok, `cell ${nb.failedCell} failed:\n${nb.errors.join("\n")}`);
    const [head, scatter, correlation, lied, trend] = [3, 5, 7, 9, 11].map((i) => nb.outputs[i]);
    assert.match(head, /2026-Q3: 7 releases, 6 release pairs/);
    assert.ok(head.includes("eval scores on faithfulness, citation_quality, tone (1–10)"), head);
    assert.doesNotMatch(head, FIVE);
    showsRubric(scatter, "the scatter plots");
    assert.equal(scatter.match(/<svg/g)?.length, 3, "one scatter plot per dimension");
    for (const d of DIMS) assert.match(scatter, new RegExp(`${d}: r = −?\\d\\.\\d\\d`), d);
    assert.ok(scatter.includes("the change in mean score on 1–10"), scatter);
    showsRubric(correlation, "the correlation chart and table");
    assert.doesNotMatch(lied, FIVE);
    showsRubric(trend, "the quarter-over-quarter trend");
    assert.match(trend, /2026-Q2/);
  },
});
