/**
 * Tests of the release comparison (`evalkit compare`): the statistics, the
 * release discipline, bad input, the artifact and the chart.
 */
import assert from "node:assert/strict";
import { sha256 } from "../lib/_hash.ts";
import { readManifest, verifyArtifact, writeArtifact } from "../lib/artifacts.ts";
import { toJsonl } from "../lib/io/write.ts";
import { DIMENSIONS, type Judgment, type Scores } from "../lib/schemas.ts";
import { renderSvg } from "../lib/plot.ts";
import { pairJudgments } from "../lib/compare/pair.ts";
import {
  comparePaired,
  minimumDetectableDifference,
  postStratify,
  verdictOf,
} from "../lib/compare/compare.ts";
import { checkComparable, compareRuns } from "../lib/compare/run.ts";
import {
  kishEffectiveN,
  weightedMean,
  weightedPairedDifference,
  weightedSd,
} from "../lib/compare/weighted.ts";
import { hedges } from "../lib/compare/hedge.ts";
import { pairedDifferenceChart, pairedDifferenceRows } from "../lib/compare/charts.ts";
import { runCliJson } from "../lib/testing/cli.ts";

const DEMO = new URL("../data/demo/", import.meta.url).pathname;

const cli = runCliJson;

const uniform = (s: number): Scores => ({
  correctness: s,
  relevance: s,
  clarity: s,
  calibration: s,
  length: s,
});

function judgment(item_id: string, scores: Scores | null, prompt = "a"): Judgment {
  return {
    item_id,
    judge_model: "gpt-4o",
    prompt_sha256: sha256(prompt),
    scores,
    rationale: "",
    usage: { prompt_tokens: 0, completion_tokens: 0 },
    status: scores ? "ok" : "failed",
    ...(scores ? {} : { error: "invalid JSON twice" }),
  };
}

interface FakeRun {
  name: string;
  judgments: Judgment[];
  evalsetFile: string;
  evalsetSha?: string;
  models?: string[];
  judge?: string;
  prompt?: string;
  selfJudged?: boolean;
  responsesFile?: string;
}

/** A judgment-run artifact as `evalkit judge` writes it, with the meta compare reads. */
async function fakeRun(out: string, r: FakeRun): Promise<string> {
  const written = await writeArtifact({
    kind: "judge",
    out,
    command: "judge",
    params: { name: r.name },
    files: { "judgments.jsonl": toJsonl(r.judgments) },
    meta: {
      judge_model: r.judge ?? "gpt-4o",
      judge_family: "openai",
      prompt_sha256: sha256(r.prompt ?? "a"),
      self_judged: r.selfJudged ?? false,
      models: r.models ?? ["mistral-small-v1"],
      source: r.responsesFile ? "responses" : "prod",
      evalset: {
        path: r.evalsetFile,
        file: r.evalsetFile,
        sha256: r.evalsetSha ?? sha256(await Deno.readTextFile(r.evalsetFile)),
      },
      responses: r.responsesFile
        ? {
          path: r.responsesFile,
          file: r.responsesFile,
          sha256: sha256(await Deno.readTextFile(r.responsesFile)),
        }
        : null,
    },
  });
  return written.dir;
}

/** An eval-set artifact of `n` items (strata a/b alternating unless given) with a strata.json prod mix. */
async function fakeEvalset(
  out: string,
  n: number,
  options: {
    strata?: (i: number) => string;
    prod?: Record<string, number>;
    name?: string;
    weight?: (i: number) => number;
  } = {},
) {
  const strataOf = options.strata ?? ((i: number) => (i % 2 ? "b" : "a"));
  const items = Array.from({ length: n }, (_, i) => ({
    id: `q${i}`,
    query: `question ${i} ${options.name ?? ""}`,
    stratum: strataOf(i),
    source_id: `log-${i}`,
    ...(options.weight ? { weight: options.weight(i) } : {}),
  }));
  const files: Record<string, string> = { "evalset.jsonl": toJsonl(items) };
  if (options.prod) {
    files["strata.json"] = JSON.stringify({
      column: "topic",
      strata: {},
      mix: { prod: options.prod },
    });
  }
  const a = await writeArtifact({
    kind: "evalset",
    out,
    command: "sample",
    params: { n, name: options.name ?? "" },
    files,
  });
  return { dir: a.dir, file: `${a.dir}/evalset.jsonl`, items };
}

// ---------------------------------------------------------------- statistics

Deno.test("minimumDetectableDifference() is (z(0.975) + z(0.8)) · sd / √n, as scipy's norm.ppf gives", () => {
  // /usr/bin/python3 -c "from scipy.stats import norm; print(norm.ppf(0.975)+norm.ppf(0.8))"
  const z80 = 2.8015852181129683;
  assert.ok(Math.abs(minimumDetectableDifference(0.9, 300)! - (z80 * 0.9) / Math.sqrt(300)) < 1e-9);
  // norm.ppf(0.995) + norm.ppf(0.9)
  const z99 = 3.8573808690935008;
  assert.ok(
    Math.abs(
      minimumDetectableDifference(1, 50, { level: 0.99, power: 0.9 })! - z99 / Math.sqrt(50),
    ) <
      1e-9,
  );
  assert.equal(minimumDetectableDifference(1, 1), null, "one pair has no spread to speak of");
});

Deno.test("postStratify() weights each stratum's mean by its prod share, with the stratified standard error", () => {
  // Eval set: 4 items of a (mean 2), 4 of b (mean 4); prod is 75% a.
  const values = [1, 3, 1, 3, 3, 5, 3, 5];
  const strata = ["a", "a", "a", "a", "b", "b", "b", "b"];
  const r = postStratify(values, strata, { a: 0.75, b: 0.25 });
  assert.ok(Math.abs(r.mean - 2.5) < 1e-12);
  // var_a = var_b = 4/3; se² = 0.75²·(4/3)/4 + 0.25²·(4/3)/4
  assert.ok(Math.abs(r.se - Math.sqrt((0.5625 + 0.0625) / 3)) < 1e-12);
  const partial = postStratify([...values, 9], [...strata, "z"], { a: 0.6, b: 0.2, c: 0.2 });
  assert.deepEqual(partial.use.uncovered, { c: 0.2 }, "a mix stratum without items is reported");
  assert.ok(Math.abs(partial.use.weights.a - 0.75) < 1e-12, "and the rest renormalised");
  assert.equal(partial.use.unweighted_items, 1, "an item outside the mix is left out and counted");
  assert.throws(() => postStratify([1], ["x"], { a: 1 }), {
    name: "RangeError",
    message: "postStratify(): no value falls in a stratum of the mix",
  });
});

Deno.test("comparePaired() gives per-dimension means, paired CI, p-value, W/T/L, verdict and MDD, and no composite", () => {
  const ids = Array.from({ length: 40 }, (_, i) => `q${i}`);
  const base = ids.map((id) => judgment(id, { ...uniform(3), relevance: 4 }));
  const cand = ids.map((id, i) =>
    judgment(id, {
      correctness: i % 4 === 0 ? 3 : 4, // +0.75
      relevance: i % 2 ? 4 : 3, // −0.5
      clarity: i % 2 ? 4 : 2, // ±1, mean 0
      calibration: 3,
      length: 3,
    })
  );
  const c = comparePaired(pairJudgments(base, cand), { resamples: 1999, seed: 7 });
  const d = c.dimensions;
  assert.equal(d.correctness.baseline_mean, 3);
  assert.equal(d.correctness.candidate_mean, 3.75);
  assert.equal(d.correctness.diff, 0.75);
  assert.deepEqual([d.correctness.wins, d.correctness.ties, d.correctness.losses], [30, 10, 0]);
  assert.equal(d.correctness.verdict, "improved");
  assert.ok(d.correctness.ci[0] > 0 && d.correctness.p_value < 0.001);
  assert.equal(d.relevance.verdict, "regressed");
  assert.deepEqual([d.relevance.wins, d.relevance.ties, d.relevance.losses], [0, 20, 20]);
  assert.equal(d.clarity.verdict, "no detectable change");
  assert.ok(d.clarity.ci[0] < 0 && d.clarity.ci[1] > 0);
  assert.ok(
    Math.abs(d.clarity.mdd! - (2.8015852181129683 * d.clarity.sd_diff) / Math.sqrt(40)) < 1e-9,
  );
  assert.equal(d.calibration.verdict, "no detectable change");
  assert.deepEqual(d.calibration.ci, [0, 0]);
  assert.equal(d.calibration.p_value, 1);
  assert.equal(d.correctness.diff_relative, 0.25, "the x% better, relative to the baseline");
  const keys = JSON.stringify(c).match(/"[a-z_]+":/g)!.map((k) => k.slice(1, -2));
  for (const banned of ["overall", "composite", "total", "score", "aggregate", "average_score"]) {
    assert.ok(!keys.includes(banned), `a "${banned}" key`);
  }
  assert.deepEqual(Object.keys(c.dimensions), [...DIMENSIONS]);
});

Deno.test("weightedPairedDifference() weights means and differences; its sign flips count w·d; weight k equals k copies", () => {
  // d = [1, 3] with weights [1, 3]: weighted diffs 1 and 9, sign sums ±1 ± 9: |10| is reached
  // by 2 of the 4 flips.
  const r = weightedPairedDifference([2, 1], [3, 4], [1, 3], { resamples: 999 });
  assert.equal(r.mean_a, (2 + 3) / 4);
  assert.equal(r.mean_b, (3 + 12) / 4);
  assert.equal(r.diff, (1 + 9) / 4);
  assert.equal(r.p_value, 0.5);
  assert.equal(r.exact, true);
  // One item of weight 3 against three copies of weight 1: the same estimates.
  const a = [3, 2, 4, 3, 1, 5, 2];
  const b = [4, 2, 3, 5, 2, 5, 4];
  const w = [3, 1, 1, 2, 1, 1, 1];
  const copies = (xs: number[]) => xs.flatMap((x, i) => Array(w[i]).fill(x));
  const weighted = weightedPairedDifference(a, b, w, { resamples: 999 });
  const copied = weightedPairedDifference(copies(a), copies(b), copies(a).map(() => 1), {
    resamples: 999,
  });
  assert.ok(Math.abs(weighted.diff - copied.diff) < 1e-12);
  assert.ok(Math.abs(weighted.mean_b - copied.mean_b) < 1e-12);
  assert.ok(Math.abs(weightedMean(b, w) - copies(b).reduce((x, y) => x + y) / 10) < 1e-12);
  assert.equal(kishEffectiveN([1, 1, 1, 1]), 4);
  assert.ok(Math.abs(kishEffectiveN([1, 3]) - 16 / 10) < 1e-12);
  // Equal weights: the sample standard deviation.
  assert.ok(Math.abs(weightedSd([1, 2, 4], [5, 5, 5]) - Math.sqrt(7 / 3)) < 1e-12);
  assert.throws(() => weightedPairedDifference([1, 2], [1, 3], [1, 0]), RangeError);
  assert.throws(() => weightedPairedDifference([1, 2], [1, 3], [1]), RangeError);
  assert.deepEqual(weightedPairedDifference([1, 2], [1, 2], [1, 2]).ci, [0, 0]);
});

/** 40 items: the first 10 (weight 1, e.g. oversampled thumbs-down) lose 2 and turn confidently wrong, the other 30 (weight 3) gain 1. */
function weightedCase() {
  const ids = Array.from({ length: 40 }, (_, i) => `q${i}`);
  const base = ids.map((id) => judgment(id, uniform(3)));
  const cand = ids.map((id, i) =>
    judgment(
      id,
      i < 10
        ? { ...uniform(3), correctness: 1, calibration: 2 }
        : { ...uniform(3), correctness: 4 },
    )
  );
  const weights = new Map(ids.map((id, i) => [id, i < 10 ? 1 : 3]));
  const strata = new Map(ids.map((id, i) => [id, i % 2 ? "b" : "a"]));
  return { paired: pairJudgments(base, cand), weights, strata, ids };
}

Deno.test("comparePaired() with unequal inclusion weights weights the means, the difference, the MDD, strata and rates", () => {
  const { paired, weights, strata } = weightedCase();
  const options = { resamples: 1999, seed: 3, strata, mix: { a: 0.5, b: 0.5 } };
  const plain = comparePaired(paired, options);
  const c = comparePaired(paired, { ...options, weights });
  // Unweighted: (10·(−2) + 30·1) / 40; weighted: (10·1·(−2) + 30·3·1) / (10 + 90).
  assert.equal(plain.dimensions.correctness.diff, 0.25);
  assert.ok(Math.abs(c.dimensions.correctness.diff - 0.7) < 1e-12);
  assert.ok(Math.abs(c.dimensions.correctness.candidate_mean - 3.7) < 1e-12);
  assert.equal(c.dimensions.correctness.baseline_mean, 3);
  assert.equal(c.dimensions.correctness.verdict, "improved");
  // W/T/L stay counts of items.
  assert.deepEqual([c.dimensions.correctness.wins, c.dimensions.correctness.losses], [30, 10]);
  // MDD: weighted sd √(40/39 · Σ w(d − 0.7)² / Σ w) = √(40/39 · 81/100), over √(Kish n = 100²/280).
  const sd = Math.sqrt((40 / 39) * 0.81);
  assert.ok(Math.abs(c.dimensions.correctness.sd_diff - sd) < 1e-12);
  const mdd = (2.8015852181129683 * sd) / Math.sqrt(10000 / 280);
  assert.ok(Math.abs(c.dimensions.correctness.mdd! - mdd) < 1e-9);
  // Each stratum holds 5 items of weight 1 and 15 of weight 3: 0.7 there too, and post-stratified.
  assert.ok(Math.abs(c.strata!.a.dimensions.correctness!.diff - 0.7) < 1e-12);
  assert.ok(Math.abs(c.dimensions.correctness.prod_weighted!.diff - 0.7) < 1e-12);
  // Confidently wrong: 10 of 40 items, but 10 of 100 prod weight.
  assert.equal(plain.confidently_wrong!.candidate, 0.25);
  assert.ok(Math.abs(c.confidently_wrong!.candidate - 0.1) < 1e-12);
  assert.equal(c.confidently_wrong!.candidate_count, 10);
  assert.deepEqual(c.weights, { items: 40, min: 1, max: 3, effective_n: 10000 / 280 });
  assert.equal(plain.weights, undefined);
});

Deno.test("comparePaired() with no weights or equal weights gives the unweighted results exactly", () => {
  const { paired, strata, ids } = weightedCase();
  const options = { resamples: 999, seed: 1, strata, mix: { a: 0.3, b: 0.7 } };
  const plain = comparePaired(paired, options);
  assert.deepEqual(comparePaired(paired, { ...options, weights: null }), plain);
  assert.deepEqual(comparePaired(paired, { ...options, weights: new Map() }), plain);
  assert.deepEqual(
    comparePaired(paired, { ...options, weights: new Map(ids.map((id) => [id, 2.5])) }),
    plain,
  );
  assert.throws(
    () => comparePaired(paired, { ...options, weights: new Map([["q0", 2]]) }),
    /39 paired items have no inclusion weight \(e\.g\. "q1"\)/,
  );
});

Deno.test("postStratify() with weights takes each stratum's weighted mean and its linearised variance", () => {
  // a: values 1, 3 with weights 1, 3 → mean 2.5; b: 5, 5 → 5. Prod 50/50 → 3.75.
  const r = postStratify([1, 3, 5, 5], ["a", "a", "b", "b"], { a: 0.5, b: 0.5 }, {
    weights: [1, 3, 2, 2],
  });
  assert.ok(Math.abs(r.mean - 3.75) < 1e-12);
  // var(a's mean) = 2/1 · (1²·1.5² + 3²·0.5²) / 4² = 2 · 4.5 / 16; b has none.
  assert.ok(Math.abs(r.se - Math.sqrt(0.25 * (9 / 16))) < 1e-12);
});

Deno.test("verdictOf() reads the interval: above 0 improved, below 0 regressed, holding 0 no detectable change", () => {
  assert.equal(verdictOf([0.01, 0.2]), "improved");
  assert.equal(verdictOf([-0.3, -0.01]), "regressed");
  assert.equal(verdictOf([-0.1, 0.1]), "no detectable change");
  assert.equal(
    verdictOf([0, 0.2]),
    "no detectable change",
    "an interval touching 0 does not exclude it",
  );
});

Deno.test("comparePaired() counts confidently wrong answers (correctness ≤ 2 and calibration ≤ 2) and hedges per run", () => {
  const ids = ["a", "b", "c", "d"];
  const base = ids.map((id) => judgment(id, { ...uniform(4) }));
  const cand = [
    judgment("a", { ...uniform(4), correctness: 1, calibration: 2 }),
    judgment("b", { ...uniform(4), correctness: 2, calibration: 1 }),
    judgment("c", { ...uniform(4), correctness: 2, calibration: 3 }),
    judgment("d", uniform(5)),
  ];
  const c = comparePaired(pairJudgments(base, cand), {
    resamples: 999,
    responses: {
      baseline: new Map(ids.map((id) => [id, "Open Settings > Team."])),
      candidate: new Map([
        ["a", "I'm 100% sure: Settings > Labs."],
        ["b", "I'm not certain, but maybe Settings > Labs."],
        ["c", "You may want to double-check this."],
        ["d", "Open Settings > Team."],
      ]),
    },
  });
  assert.equal(c.confidently_wrong!.baseline, 0);
  assert.equal(c.confidently_wrong!.candidate, 0.5);
  assert.equal(c.confidently_wrong!.candidate_count, 2);
  assert.equal(c.hedge_rate!.baseline.rate, 0);
  assert.equal(c.hedge_rate!.candidate.rate, 0.5);
  assert.equal(
    c.hedge_rate!.candidate.among_wrong,
    2 / 3,
    "b and c hedge among a, b, c scored wrong",
  );
  assert.equal(c.hedge_rate!.candidate.among_correct, 0);
  assert.equal(hedges("Probably Settings."), true);
  assert.equal(hedges("Probability settings are under Reports."), false, "whole words only");
});

// ---------------------------------------------------------------- the demo world, end to end

Deno.test("evalkit compare on the demo: r09 vs r08 gains relevance and loses correctness, calibration and length", async () => {
  const out = await Deno.makeTempDir({ prefix: "evalkit-compare-" });
  const bands =
    JSON.parse(await Deno.readTextFile(`${DEMO}truth/latent_quality.json`)).length_bands;
  await Deno.writeTextFile(`${out}/bands.json`, JSON.stringify(bands));
  await Deno.writeTextFile(
    `${out}/mix.json`,
    JSON.stringify({ billing: 0.612, technical: 0.197, account: 0.098, other: 0.093 }),
  );
  const runs: string[] = [];
  for (const r of ["r08", "r09"]) {
    const j = await cli([
      "judge",
      "--evalset",
      `${DEMO}eval_queries.jsonl`,
      "--responses",
      `${DEMO}responses/${r}.jsonl`,
      "--judge",
      "heuristic",
      "--length-bands",
      `${out}/bands.json`,
      "--out",
      out,
    ]);
    assert.equal(j.code, 0, j.stderr);
    runs.push(j.json.artifact as string);
  }
  const args = [
    "compare",
    "--run",
    runs[1],
    "--baseline",
    runs[0],
    "--mix",
    `${out}/mix.json`,
    "--out",
    out,
  ];
  const c = await cli(args);
  assert.equal(c.code, 0, c.stderr);
  const dims = c.json.dimensions as Record<string, Record<string, unknown>>;
  for (const d of DIMENSIONS) {
    for (const key of ["baseline_mean", "candidate_mean", "diff", "ci", "p_value", "verdict"]) {
      assert.ok(key in dims[d], `${d}.${key}`);
    }
  }
  assert.deepEqual(
    Object.fromEntries(DIMENSIONS.map((d) => [d, dims[d].verdict])),
    {
      correctness: "regressed",
      relevance: "improved",
      clarity: "no detectable change",
      calibration: "regressed",
      length: "regressed",
    },
  );
  assert.equal(c.json.n, 300);
  assert.deepEqual(c.json.left_out, { only_baseline: 0, only_candidate: 0, failed: 0, total: 0 });
  const strata = c.json.strata as Record<string, { n: number }>;
  assert.deepEqual(
    Object.fromEntries(Object.entries(strata).map(([s, v]) => [s, v.n])),
    { account: 30, billing: 180, other: 30, technical: 60 },
  );
  const weighted = dims.length.prod_weighted as { diff: number };
  assert.ok(weighted.diff < 0);
  assert.match(c.stderr, /relevance .* improved/);
  assert.match(c.stderr, /warning: baseline judge-[0-9a-f]+: heuristic judge/);
  const dir = c.json.artifact as string;
  assert.match(dir, /\/comparison-[0-9a-f]{12}$/);
  assert.deepEqual(await verifyArtifact(dir), []);
  assert.equal((await readManifest(dir)).command, "compare");
  const text = await Deno.readTextFile(`${dir}/comparison.json`);
  assert.doesNotMatch(text, /"(overall|composite|total_score|aggregate)"/);
  const again = await cli(args);
  assert.equal(again.json.artifact, dir);
  assert.match(again.stderr, /\(identical, kept\)/);
  assert.equal(await Deno.readTextFile(`${dir}/comparison.json`), text, "same inputs, same bytes");
});

// ---------------------------------------------------------------- release discipline

Deno.test("evalkit compare refuses (exit 2) when the eval set and the model both differ, in plain words with the recipe", async () => {
  const root = await Deno.makeTempDir({ prefix: "evalkit-compare-" });
  const e1 = await fakeEvalset(`${root}/in`, 10, { name: "old" });
  const e2 = await fakeEvalset(`${root}/in`, 10, { name: "new" });
  const js = e1.items.map((i) => judgment(i.id, uniform(3)));
  const base = await fakeRun(`${root}/in`, {
    name: "b",
    judgments: js,
    evalsetFile: e1.file,
    models: ["m-v1"],
  });
  const cand = await fakeRun(`${root}/in`, {
    name: "c",
    judgments: js,
    evalsetFile: e2.file,
    models: ["m-v2"],
  });
  const r = await cli(["compare", "--run", cand, "--baseline", base, "--out", root]);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /^Refusing to compare ".*" with the baseline ".*": both the eval set and the model\/prompt changed between the runs/,
  );
  assert.match(r.stderr, /model m-v1 → m-v2/);
  assert.match(
    r.stderr,
    /\(1\) update the eval set; \(2\) re-baseline the current model on it .*\(3\) then change the model/,
  );
  const sameModel = await fakeRun(`${root}/in`, {
    name: "d",
    judgments: js,
    evalsetFile: e2.file,
    models: ["m-v1"],
  });
  const r2 = await cli(["compare", "--run", sameModel, "--baseline", base, "--out", root]);
  assert.equal(r2.code, 2);
  assert.match(
    r2.stderr,
    /the runs judge different eval sets \(eval set [0-9a-f]{12} → [0-9a-f]{12}\); scores on different items are not comparable\. The recipe/,
  );
});

Deno.test("evalkit compare refuses (exit 2) runs judged with another judge prompt or judge model", async () => {
  const root = await Deno.makeTempDir({ prefix: "evalkit-compare-" });
  const e = await fakeEvalset(`${root}/in`, 10);
  const js = e.items.map((i) => judgment(i.id, uniform(3)));
  const base = await fakeRun(`${root}/in`, { name: "b", judgments: js, evalsetFile: e.file });
  const otherPrompt = await fakeRun(`${root}/in`, {
    name: "c",
    judgments: js,
    evalsetFile: e.file,
    prompt: "rubric-v2",
  });
  const r = await cli(["compare", "--run", otherPrompt, "--baseline", base, "--out", root]);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /the runs were judged with different judge prompts \([0-9a-f]{12} → [0-9a-f]{12}\).*re-judge.*The recipe/i,
  );
  const otherJudge = await fakeRun(`${root}/in`, {
    name: "d",
    judgments: js,
    evalsetFile: e.file,
    judge: "claude-3-5-sonnet",
  });
  const r2 = await cli(["compare", "--run", otherJudge, "--baseline", base, "--out", root]);
  assert.equal(r2.code, 2);
  assert.match(
    r2.stderr,
    /the runs were judged by different judges \("gpt-4o" → "claude-3-5-sonnet"\)/,
  );
});

Deno.test("checkComparable() lets the model change on the same eval set, judge and prompt, and no more", () => {
  const run = (dir: string, e: string, models: string[], sp?: string | null) => ({
    dir,
    evalset_sha256: e,
    judge_model: "gpt-4o",
    prompt_sha256: "p",
    models,
    ...(sp !== undefined ? { system_prompt_sha256: sp } : {}),
  });
  assert.equal(checkComparable(run("a", "e", ["v1"]), run("b", "e", ["v2"])), null);
  assert.match(
    checkComparable(run("a", "e", ["v1"], "s1"), run("b", "f", ["v1"], "s2"))!,
    /both the eval set and the model\/prompt changed/,
    "a new system prompt on a new eval set is also two changes",
  );
  assert.match(
    checkComparable(run("a", "e", ["v1"]), run("b", "f", ["v1"]))!,
    /different eval sets/,
  );
});

// ---------------------------------------------------------------- bad input

Deno.test("evalkit compare compares runs with failed judgments on the items both judged and reports the count left out", async () => {
  const root = await Deno.makeTempDir({ prefix: "evalkit-compare-" });
  const e = await fakeEvalset(`${root}/in`, 12);
  const base = await fakeRun(`${root}/in`, {
    name: "b",
    evalsetFile: e.file,
    judgments: e.items.map((i, k) => judgment(i.id, k === 0 ? null : uniform(3))),
  });
  const cand = await fakeRun(`${root}/in`, {
    name: "c",
    evalsetFile: e.file,
    models: ["mistral-small-v2"],
    judgments: e.items.slice(0, 11).map((i, k) => judgment(i.id, k === 5 ? null : uniform(4))),
  });
  const r = await cli(["compare", "--run", cand, "--baseline", base, "--out", root]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.n, 9);
  assert.deepEqual(r.json.left_out, { only_baseline: 1, only_candidate: 0, failed: 2, total: 3 });
  assert.match(
    r.stderr,
    /warning: 3 items left out: 2 with a failed judgment in either run, 1 judged only in the baseline, 0 only in the candidate; compared on the 9 items both judged/,
  );
  assert.match(r.stderr, /warning: baseline judge-[0-9a-f]+: 1 of 12 judgments failed/);
});

Deno.test("evalkit compare: a missing baseline, an empty run, a folder that is not a run, or too few pairs exit 2", async () => {
  const root = await Deno.makeTempDir({ prefix: "evalkit-compare-" });
  const e = await fakeEvalset(`${root}/in`, 4);
  const ok = await fakeRun(`${root}/in`, {
    name: "ok",
    evalsetFile: e.file,
    judgments: e.items.map((i) => judgment(i.id, uniform(3))),
  });
  const missing = await cli(["compare", "--run", ok, "--baseline", `${root}/nope`, "--out", root]);
  assert.equal(missing.code, 2);
  assert.match(
    missing.stderr,
    /^Cannot read ".*nope": no such folder \(--baseline: a judgment run written by evalkit judge\)/,
  );
  const noFlag = await cli(["compare", "--run", ok, "--out", root]);
  assert.equal(noFlag.code, 2);
  assert.match(noFlag.stderr, /^Missing required flag --baseline/);
  const empty = await fakeRun(`${root}/in`, { name: "empty", evalsetFile: e.file, judgments: [] });
  const r = await cli(["compare", "--run", empty, "--baseline", ok, "--out", root]);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /^Cannot read ".*judgments\.jsonl": the run holds no judgments: nothing to compare/,
  );
  const notRun = await cli(["compare", "--run", e.dir, "--baseline", ok, "--out", root]);
  assert.equal(notRun.code, 2);
  assert.match(
    notRun.stderr,
    /^Cannot read ".*evalset-[0-9a-f]+": an evalset artifact, not a judgment run \(--run\)/,
  );
  const oneOk = await fakeRun(`${root}/in`, {
    name: "one",
    evalsetFile: e.file,
    judgments: e.items.map((i, k) => judgment(i.id, k === 0 ? uniform(4) : null)),
  });
  const few = await cli(["compare", "--run", oneOk, "--baseline", ok, "--out", root]);
  assert.equal(few.code, 2);
  assert.match(
    few.stderr,
    /only 1 items were judged ok in both runs \(3 left out\), too few to compare/,
  );
});

// ---------------------------------------------------------------- flags, weighting, hedging

Deno.test("compareRuns() shows a self-judged run as such", async () => {
  const root = await Deno.makeTempDir({ prefix: "evalkit-compare-" });
  const e = await fakeEvalset(`${root}/in`, 6);
  const js = e.items.map((i) => judgment(i.id, uniform(3)));
  const base = await fakeRun(`${root}/in`, { name: "b", judgments: js, evalsetFile: e.file });
  const cand = await fakeRun(`${root}/in`, {
    name: "c",
    judgments: js,
    evalsetFile: e.file,
    models: ["gpt-4o-mini"],
    selfJudged: true,
  });
  const r = await compareRuns(base, cand, { out: root, resamples: 999 });
  assert.equal(r.comparison.candidate.self_judged, true);
  assert.equal(r.comparison.baseline.self_judged, false);
  assert.ok(
    r.comparison.warnings.some((w) =>
      /^candidate judge-[0-9a-f]+: self-judged: the judge "gpt-4o"/.test(w)
    ),
  );
  const manifest = await readManifest(r.artifact);
  assert.deepEqual(manifest.meta.self_judged, { baseline: false, candidate: true });
});

Deno.test("compareRuns() post-stratifies with the prod mix of the eval set's strata.json and breaks down by stratum", async () => {
  const root = await Deno.makeTempDir({ prefix: "evalkit-compare-" });
  // Half the items are "a", half "b"; prod is 90% a. The candidate gains 1 on a and loses 1 on b.
  const e = await fakeEvalset(`${root}/in`, 20, { prod: { a: 0.9, b: 0.1 } });
  const base = await fakeRun(`${root}/in`, {
    name: "b",
    evalsetFile: e.file,
    judgments: e.items.map((i) => judgment(i.id, uniform(3))),
  });
  const cand = await fakeRun(`${root}/in`, {
    name: "c",
    evalsetFile: e.file,
    models: ["mistral-small-v2"],
    judgments: e.items.map((i) => judgment(i.id, uniform(i.stratum === "a" ? 4 : 2))),
  });
  const r = await compareRuns(base, cand, { out: root, resamples: 999 });
  const c = r.comparison.dimensions.correctness;
  assert.equal(c.diff, 0, "raw: +1 and −1 on equal halves cancel");
  assert.equal(c.verdict, "no detectable change");
  assert.deepEqual(c.prod_weighted, {
    baseline_mean: 3,
    candidate_mean: 3.8,
    diff: 0.8,
    ci: [0.8, 0.8],
  });
  assert.equal(r.comparison.strata!.a.dimensions.correctness!.verdict, "improved");
  assert.equal(r.comparison.strata!.b.dimensions.correctness!.verdict, "regressed");
  assert.equal(r.comparison.strata!.a.share_prod, 0.9);
  assert.equal(r.comparison.strata!.a.share_eval, 0.5);
  const manifest = await readManifest(r.artifact);
  assert.ok(
    manifest.inputs.some((i) => i.path.endsWith("/strata.json")),
    "strata.json is a recorded input",
  );
});

Deno.test("compareRuns() weights by the eval set's inclusion weights and says so in comparison.json", async () => {
  const root = await Deno.makeTempDir({ prefix: "evalkit-compare-" });
  const runsOn = async (e: { file: string; items: { id: string }[] }, name: string) => [
    await fakeRun(`${root}/in`, {
      name: `${name}-b`,
      evalsetFile: e.file,
      judgments: e.items.map((i) => judgment(i.id, uniform(3))),
    }),
    await fakeRun(`${root}/in`, {
      name: `${name}-c`,
      evalsetFile: e.file,
      models: ["mistral-small-v2"],
      judgments: e.items.map((_, i) => judgment(`q${i}`, uniform(i < 10 ? 1 : 4))),
    }),
  ];
  const weighted = await fakeEvalset(`${root}/in`, 40, { weight: (i) => (i < 10 ? 1 : 3) });
  const [wb, wc] = await runsOn(weighted, "w");
  const r = await compareRuns(wb, wc, { out: root, resamples: 999 });
  assert.equal(r.comparison.dimensions.correctness.diff, 0.7);
  assert.deepEqual(r.comparison.weights, {
    items: 40,
    min: 1,
    max: 3,
    effective_n: Math.round((10000 / 280) * 1e4) / 1e4,
  });
  assert.match(r.comparison.method.weights, /inclusion weights \(sample --oversample\)/);
  assert.match(r.comparison.method.ci, /resampling items with their weights/);
  const file = JSON.parse(await Deno.readTextFile(`${r.artifact}/comparison.json`));
  assert.equal(file.weights.items, 40);

  const plain = await fakeEvalset(`${root}/in`, 40, { name: "plain" });
  const [pb, pc] = await runsOn(plain, "p");
  const p = await compareRuns(pb, pc, { out: root, resamples: 999 });
  assert.equal(p.comparison.dimensions.correctness.diff, 0.25);
  assert.equal("weights" in p.comparison, false, "no weights, no weights key");
  assert.equal("weights" in p.comparison.method, false);
  await Deno.remove(root, { recursive: true });
});

Deno.test("compareRuns() says when the eval set has no prod mix, and reads hedges from each run's responses", async () => {
  const root = await Deno.makeTempDir({ prefix: "evalkit-compare-" });
  const e = await fakeEvalset(`${root}/in`, 6);
  const resp = (model: string, text: (i: number) => string) =>
    toJsonl(e.items.map((it, i) => ({
      item_id: it.id,
      model,
      response: text(i),
      latency_ms: 1,
      usage: { prompt_tokens: 1, completion_tokens: 1 },
    })));
  await Deno.writeTextFile(`${root}/a.jsonl`, resp("m-v1", () => "Open Settings."));
  await Deno.writeTextFile(
    `${root}/b.jsonl`,
    resp("m-v2", (i) => (i < 3 ? "I might be wrong, but open Settings." : "Open Settings.")),
  );
  const js = e.items.map((i) => judgment(i.id, uniform(4)));
  const base = await fakeRun(`${root}/in`, {
    name: "b",
    evalsetFile: e.file,
    judgments: js,
    responsesFile: `${root}/a.jsonl`,
    models: ["m-v1"],
  });
  const cand = await fakeRun(`${root}/in`, {
    name: "c",
    evalsetFile: e.file,
    judgments: js,
    responsesFile: `${root}/b.jsonl`,
    models: ["m-v2"],
  });
  const r = await compareRuns(base, cand, { out: root, resamples: 999 });
  assert.equal(r.comparison.dimensions.correctness.prod_weighted, null);
  assert.ok(
    r.comparison.warnings.some((w) =>
      /^no prod mix: the eval set has no strata\.json beside it/.test(w)
    ),
  );
  assert.equal(r.comparison.hedge_rate!.baseline.rate, 0);
  assert.equal(r.comparison.hedge_rate!.candidate.rate, 0.5);
  assert.equal(r.comparison.hedge_rate!.candidate.among_correct, 0.5);
  await Deno.writeTextFile(`${root}/b.jsonl`, "changed\n");
  const moved = await compareRuns(base, cand, { out: `${root}/2`, resamples: 999 });
  assert.equal(moved.comparison.hedge_rate, null);
  assert.ok(
    moved.comparison.warnings.some((w) =>
      /candidate's responses are unavailable \(".*b\.jsonl" changed since the run \(sha256 differs\)\): no hedge rate/
        .test(w)
    ),
  );
});

// ---------------------------------------------------------------- the chart

Deno.test("pairedDifferenceChart() draws a dot and an interval per dimension, and a prod-weighted row when known", async () => {
  const root = await Deno.makeTempDir({ prefix: "evalkit-compare-" });
  const e = await fakeEvalset(`${root}/in`, 20, { prod: { a: 0.7, b: 0.3 } });
  const base = await fakeRun(`${root}/in`, {
    name: "b",
    evalsetFile: e.file,
    judgments: e.items.map((i, k) => judgment(i.id, uniform(2 + (k % 3)))),
  });
  const cand = await fakeRun(`${root}/in`, {
    name: "c",
    evalsetFile: e.file,
    models: ["x-v2"],
    judgments: e.items.map((i, k) => judgment(i.id, uniform(2 + (k % 4)))),
  });
  const { comparison } = await compareRuns(base, cand, { out: root, resamples: 999 });
  const rows = pairedDifferenceRows(comparison);
  assert.equal(rows.length, 10);
  assert.deepEqual(rows.slice(0, 2).map((r) => r.estimate), ["raw", "prod-weighted"]);
  const svg = renderSvg(pairedDifferenceChart(comparison));
  for (const d of DIMENSIONS) assert.ok(svg.includes(`>${d}<`), d);
  assert.equal((svg.match(/<circle/g) ?? []).length, 10, "ten dots");
  assert.match(svg, /no detectable change/);
});

Deno.test("the confidently-wrong and hedge rates are left out on a scale other than 1–5: their cut-offs are the kit's 1–5 anchors", () => {
  // correctness 2 and calibration 2 is "confidently wrong" on 1–5; on 1–10 it is near the
  // bottom of both, not the same judgment, so no rate is given rather than a wrong one.
  const ids = Array.from({ length: 20 }, (_, i) => `q${i}`);
  const judged = (c: number) =>
    ids.map((item_id) => ({
      item_id,
      judge_model: "m",
      prompt_sha256: "0".repeat(64),
      rationale: "",
      usage: { prompt_tokens: 0, completion_tokens: 0 },
      status: "ok" as const,
      scores: { correctness: c, calibration: 2, faithfulness: 3 } as unknown as Scores,
    }));
  const paired = pairJudgments(judged(2), judged(3), [
    "correctness",
    "calibration",
    "faithfulness",
  ]);
  const responses = {
    baseline: new Map(ids.map((id) => [id, "I'm not sure."])),
    candidate: new Map(ids.map((id) => [id, "Open Settings."])),
  };
  const onFive = comparePaired(paired, { resamples: 99, responses });
  assert.equal(onFive.confidently_wrong?.baseline, 1, "every baseline item is confidently wrong");
  assert.ok(onFive.hedge_rate !== null);
  const onTen = comparePaired(paired, { resamples: 99, responses, scale: { min: 1, max: 10 } });
  assert.equal(onTen.confidently_wrong, null);
  assert.equal(onTen.hedge_rate, null);
});
