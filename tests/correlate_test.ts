import assert from "node:assert/strict";
import { readArtifact } from "../lib/artifact_kinds.ts";
import { main } from "../lib/cli.ts";
import {
  correlateReleases,
  correlationChart,
  correlationTrend,
  DEFAULT_METRIC_DIRECTIONS,
  deltaScatterChart,
  type Dimension,
  DIMENSIONS,
  evalLied,
  inputIssues,
  judgeDemoReleases,
  type Judgment,
  metricNoise,
  pairedDifference,
  pairJudgments,
  parseQuarter,
  pearson,
  permutationTest,
  quarterOf,
  rankDimensions,
  readCorrelationHistory,
  readManifest,
  readReleaseRegistry,
  releaseDeltas,
  renderSvg,
  type Scores,
  seededRandom,
  shiftQuarter,
  spearman,
  trendChart,
  verdictLists,
  writeArtifact,
} from "../lib/mod.ts";
import { correlationCell, metricDirections, pairBootstrapCI } from "../lib/correlate/mod.ts";

// ---------------------------------------------------------------------------
// Synthetic judge runs and registries

const PROMPT = "a".repeat(64);

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "evalkit-correlate-" });
}

type Latent = Partial<Record<Dimension, number>>;

/** Scores of `n` items around a release's latent quality (seeded, so reruns are identical). */
function scoresAround(latent: Latent, seed: number, n = 60): Scores[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () =>
    Object.fromEntries(DIMENSIONS.map((d) => {
      const v = Math.round((latent[d] ?? 3) + (random() - 0.5) * 1.6);
      return [d, Math.min(5, Math.max(1, v))];
    })) as Scores);
}

interface RunSpec {
  name: string;
  scores: Scores[];
  evalset?: string;
  prompt?: string;
  judge?: string;
  model?: string;
}

/** A judge-run artifact as `evalkit judge` writes it (the fields correlate reads). */
async function writeRun(out: string, spec: RunSpec): Promise<string> {
  const judge = spec.judge ?? "gpt-test";
  const prompt = spec.prompt ?? PROMPT;
  const judgments: Judgment[] = spec.scores.map((scores, i) => ({
    item_id: `q${i + 1}`,
    judge_model: judge,
    prompt_sha256: prompt,
    scores,
    rationale: "",
    usage: { prompt_tokens: 1, completion_tokens: 1 },
    status: "ok",
  }));
  const written = await writeArtifact({
    kind: "judge",
    out,
    command: "judge",
    params: { name: spec.name },
    files: { "judgments.jsonl": judgments.map((j) => JSON.stringify(j)).join("\n") + "\n" },
    meta: {
      judge_model: judge,
      prompt_sha256: prompt,
      evalset: { path: "evalset", file: "evalset.jsonl", sha256: spec.evalset ?? "e1".repeat(32) },
      models: [spec.model ?? `model-${spec.name}`],
      self_judged: false,
    },
  });
  return written.dir;
}

interface SynthRelease {
  release: string;
  date: string;
  latent: Latent;
  thumbs: number;
  tickets?: number;
  extra?: Record<string, number | string>;
}

/** Runs for each release and a registry CSV naming them relative to its own folder. */
async function synthRegistry(
  out: string,
  releases: readonly SynthRelease[],
  file = "releases.csv",
): Promise<string> {
  const extraCols = [...new Set(releases.flatMap((r) => Object.keys(r.extra ?? {})))];
  const lines = [["release", "date", "eval_run", "thumbs_down_rate", "tickets_per_1k", ...extraCols]
    .join(",")];
  for (const [i, r] of releases.entries()) {
    const dir = await writeRun(out, { name: r.release, scores: scoresAround(r.latent, 100 + i) });
    const run = dir.slice(dir.lastIndexOf("/") + 1);
    lines.push(
      [
        r.release,
        r.date,
        run,
        r.thumbs,
        r.tickets ?? 5,
        ...extraCols.map((c) => r.extra?.[c] ?? ""),
      ]
        .join(","),
    );
  }
  await Deno.writeTextFile(`${out}/${file}`, lines.join("\n") + "\n");
  return `${out}/${file}`;
}

/** Six weekly releases whose thumbs-down tracks correctness exactly (lower is better). */
function trackingReleases(start = "2026-01-05", weeks = 6): SynthRelease[] {
  const c = [3.0, 3.5, 3.1, 3.7, 3.2, 3.9, 3.3, 3.8];
  const t0 = Date.parse(start);
  return Array.from({ length: weeks }, (_, i) => ({
    release: `t${String(i + 1).padStart(2, "0")}`,
    date: new Date(t0 + i * 7 * 86400000).toISOString().slice(0, 10),
    latent: { correctness: c[i], relevance: 3 + (i % 2) * 0.4, length: 3.5 - (i % 3) * 0.3 },
    thumbs: Number((0.12 - 0.03 * (c[i] - 3)).toFixed(4)),
    tickets: Number((6 - 1.5 * (c[i] - 3) + (i % 2) * 0.2).toFixed(2)),
  }));
}

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

// ---------------------------------------------------------------------------
// The demo world, judged once for the tests that need it

let demoRuns: Promise<{ out: string; heuristic: string; truth: string }> | undefined;
function demo(): Promise<{ out: string; heuristic: string; truth: string }> {
  demoRuns ??= (async () => {
    const out = await tempDir();
    const heuristic = (await judgeDemoReleases({ out, judge: "heuristic" })).registry;
    const truth = (await judgeDemoReleases({ out, judge: "truth" })).registry;
    return { out, heuristic, truth };
  })();
  return demoRuns;
}

// ---------------------------------------------------------------------------
// Registry

Deno.test("readReleaseRegistry() sorts by date, reads each run, and resolves eval_run against the registry's folder first", async () => {
  const out = await tempDir();
  const a = await writeRun(out, { name: "a", scores: scoresAround({}, 1) });
  const b = await writeRun(out, { name: "b", scores: scoresAround({}, 2) });
  const bName = b.slice(b.lastIndexOf("/") + 1);
  // b is named relative to the registry's folder; a by an absolute path.
  await Deno.writeTextFile(
    `${out}/releases.csv`,
    "release,date,eval_run,thumbs_down_rate,tickets_per_1k,csat,model\n" +
      `rb,2026-02-01,${bName},0.09,4.5,4.1,model-b\n` +
      `ra,2026-01-01,${a},0.1,5,,model-x\n`,
  );
  const reg = await readReleaseRegistry(`${out}/releases.csv`);
  assert.deepEqual(reg.releases.map((r) => r.release), ["ra", "rb"]);
  assert.deepEqual(reg.metrics, ["thumbs_down_rate", "tickets_per_1k", "csat"]);
  assert.deepEqual(reg.releases[0].metrics, { thumbs_down_rate: 0.1, tickets_per_1k: 5 });
  assert.deepEqual(reg.releases[1].metrics, {
    thumbs_down_rate: 0.09,
    tickets_per_1k: 4.5,
    csat: 4.1,
  });
  assert.equal(reg.releases[1].runs[0].dir, `${out}/${bName}`);
  assert.equal(reg.releases[1].runs[0].judgments.length, 60);
  assert.equal(reg.releases[1].runs[0].evalset_sha256, "e1".repeat(32));
  assert.deepEqual(reg.runFiles, [`${a}/judgments.jsonl`, `${out}/${bName}/judgments.jsonl`]);
  // ra's model column disagrees with the run's judged model: a warning, not an error.
  assert.equal(reg.warnings.length, 1);
  assert.match(
    reg.warnings[0],
    /^ra: the run ".*" judged "model-a", not the release's model "model-x"$/,
  );
  await Deno.remove(out, { recursive: true });
});

Deno.test("readReleaseRegistry() falls back to the working directory for a relative eval_run", async () => {
  const local = await Deno.makeTempDir({ dir: Deno.cwd(), prefix: ".correlate-test-" });
  const elsewhere = await tempDir();
  try {
    const dir = await writeRun(local, { name: "cwd", scores: scoresAround({}, 3) });
    const relative = dir.slice(Deno.cwd().length + 1);
    await Deno.writeTextFile(
      `${elsewhere}/releases.csv`,
      `release,date,eval_run,thumbs_down_rate,tickets_per_1k\nr1,2026-01-01,${relative},0.1,5\n`,
    );
    const reg = await readReleaseRegistry(`${elsewhere}/releases.csv`);
    assert.equal(reg.releases[0].runs[0].dir, relative);
  } finally {
    await Deno.remove(local, { recursive: true });
    await Deno.remove(elsewhere, { recursive: true });
  }
});

Deno.test("readReleaseRegistry() reports every bad row at once, naming file, line and field", async () => {
  const out = await tempDir();
  const good = await writeRun(out, { name: "g", scores: scoresAround({}, 4) });
  const notJudge = await writeArtifact({
    kind: "evalset",
    out,
    command: "sample",
    params: {},
    files: { "evalset.jsonl": "" },
  });
  const file = `${out}/releases.csv`;
  await Deno.writeTextFile(
    file,
    "release,date,eval_run,thumbs_down_rate,tickets_per_1k,csat\n" +
      `r1,2026-01-01,${good},0.1,5,4\n` +
      `r2,2026-13-01,${good},0.1,5,4\n` +
      `r3,2026-01-03,${good},1.5,5,4\n` +
      `r4,2026-01-04,${good},0.1,5,good\n` +
      `r1,2026-01-05,${good},0.1,5,4\n` +
      `r6,2026-01-06,runs/nowhere,0.1,5,4\n` +
      `r7,2026-01-07,${notJudge.dir},0.1,5,4\n`,
  );
  const error = await readReleaseRegistry(file).catch((e) => e);
  assert.ok(error instanceof TypeError, String(error));
  assert.equal(
    error.message,
    `Cannot read "${file}": line 3: field "date": expected a date YYYY-MM-DD, received "2026-13-01" (and 5 more problems)`,
  );
  const issues = inputIssues(error)!.map((i) => `${i.line}: ${i.field}: ${i.problem}`);
  assert.deepEqual(issues, [
    '3: date: expected a date YYYY-MM-DD, received "2026-13-01"',
    "4: thumbs_down_rate: expected <= 1, received 1.5",
    '5: csat: expected number, received "good"',
    '6: release: duplicate value "r1" (first on line 2)',
    `7: eval_run: no folder "runs/nowhere" (looked in "${out}/runs/nowhere" and "runs/nowhere")`,
    `8: eval_run: "${notJudge.dir}" is an evalset artifact, not a judge run`,
  ]);
  await Deno.remove(out, { recursive: true });
});

Deno.test("metricDirections() knows thumbs-down and tickets, and refuses a further metric without a sign convention", () => {
  assert.deepEqual(DEFAULT_METRIC_DIRECTIONS, {
    thumbs_down_rate: "lower",
    tickets_per_1k: "lower",
  });
  assert.deepEqual(metricDirections(["thumbs_down_rate", "csat"], { csat: "higher" }), {
    thumbs_down_rate: "lower",
    csat: "higher",
  });
  assert.throws(
    () => metricDirections(["thumbs_down_rate", "csat", "churn"]),
    (e: Error) =>
      e instanceof RangeError &&
      e.message ===
        'Metric column "csat" has no sign convention: say whether higher is better (--higher-is-better csat or --lower-is-better csat); also "churn"',
  );
});

// ---------------------------------------------------------------------------
// Deltas

Deno.test("releaseDeltas() gives each dimension's paired delta with its CI, as pairJudgments + pairedDifference", async () => {
  const out = await tempDir();
  const file = await synthRegistry(out, trackingReleases().slice(0, 3));
  const reg = await readReleaseRegistry(file);
  const { pairs, skipped } = releaseDeltas(reg.releases, { resamples: 999, seed: 3 });
  assert.equal(skipped.length, 0);
  assert.deepEqual(pairs.map((p) => `${p.from}→${p.to}`), ["t01→t02", "t02→t03"]);
  const paired = pairJudgments(
    reg.releases[0].runs[0].judgments,
    reg.releases[1].runs[0].judgments,
  );
  for (const d of DIMENSIONS) {
    const want = pairedDifference(paired.baseline[d], paired.candidate[d], {
      resamples: 999,
      seed: 3,
    });
    assert.equal(pairs[0].eval[d].diff, want.diff);
    assert.deepEqual(pairs[0].eval[d].ci, want.ci);
    assert.equal(pairs[0].eval[d].p_value, want.p_value);
    assert.equal(pairs[0].eval[d].moved, want.ci[0] > 0 ? 1 : want.ci[1] < 0 ? -1 : 0);
  }
  // Correctness rose 3.0 → 3.5: its CI lies above 0.
  assert.equal(pairs[0].eval.correctness.moved, 1);
  assert.equal(pairs[0].items, 60);
  assert.equal(pairs[0].rebaselined, false);
  const td = pairs[0].prod.thumbs_down_rate!;
  assert.equal(td.from, 0.12);
  assert.equal(td.to, 0.105);
  assert.ok(Math.abs(td.delta - -0.015) < 1e-12);
  assert.ok(Math.abs(td.relative! - -0.125) < 1e-12);
  await Deno.remove(out, { recursive: true });
});

Deno.test("releaseDeltas() uses a re-baselined run when the eval set changed, and leaves a pair out (saying why) when there is none", async () => {
  const out = await tempDir();
  const s = (seed: number, c = 3) => scoresAround({ correctness: c }, seed);
  const v1 = "e1".repeat(32);
  const v2 = "e2".repeat(32);
  const v3 = "e3".repeat(32);
  const runs = {
    a: await writeRun(out, { name: "a", scores: s(1), evalset: v1 }),
    b: await writeRun(out, { name: "b", scores: s(2, 3.5), evalset: v1 }),
    bOnV2: await writeRun(out, { name: "b-v2", scores: s(3, 3.5), evalset: v2 }),
    c: await writeRun(out, { name: "c", scores: s(4, 4), evalset: v2 }),
    d: await writeRun(out, { name: "d", scores: s(5, 4), evalset: v3 }),
    e: await writeRun(out, { name: "e", scores: s(6), evalset: v3, prompt: "b".repeat(64) }),
  };
  const name = (dir: string) => dir.slice(dir.lastIndexOf("/") + 1);
  await Deno.writeTextFile(
    `${out}/releases.csv`,
    "release,date,eval_run,thumbs_down_rate,tickets_per_1k\n" +
      `a,2026-01-01,${name(runs.a)},0.1,5\n` +
      `b,2026-01-08,${name(runs.b)}; ${name(runs.bOnV2)},0.1,5\n` +
      `c,2026-01-15,${name(runs.c)},0.1,5\n` +
      `d,2026-01-22,${name(runs.d)},0.1,5\n` +
      `e,2026-01-29,${name(runs.e)},0.1,5\n`,
  );
  const reg = await readReleaseRegistry(`${out}/releases.csv`);
  const { pairs, skipped } = releaseDeltas(reg.releases, { resamples: 199 });
  assert.deepEqual(
    pairs.map((p) => [`${p.from}→${p.to}`, p.runs.from, p.rebaselined]),
    [["a→b", name(runs.a), false], ["b→c", name(runs.bOnV2), true]],
  );
  assert.equal(pairs[1].evalset_sha256, v2);
  assert.deepEqual(skipped.map((p) => `${p.from}→${p.to}`), ["c→d", "d→e"]);
  assert.equal(
    skipped[0].reason,
    "the eval set changed (e2e2e2e2 → e3e3e3e3) and no run of c matches d's: judge c as d was " +
      'judged and append that run to c\'s eval_run (separated by ";") to re-baseline',
  );
  assert.match(
    skipped[1].reason,
    /^the judge prompt changed \(aaaaaaaa → bbbbbbbb\) and no run of d/,
  );
  // The report says so too.
  const { result } = await correlateReleases(`${out}/releases.csv`, { out, resamples: 199 });
  assert.ok(result.warnings.includes(`c→d left out: ${skipped[0].reason}`));
  await Deno.remove(out, { recursive: true });
});

// ---------------------------------------------------------------------------
// Correlation statistics

Deno.test("permutationTest() is exact over all n! orderings for n <= 8 and matches brute-force scipy", () => {
  // Reference: /usr/bin/python3 with scipy 1.10, every ordering of y via itertools.permutations,
  // counting |pearsonr| (and |spearmanr|) >= the observed: 10 and 16 of 5040.
  const x = [0.3, -0.1, 0.5, 0.2, -0.4, 0.1, 0.0];
  const y = [-0.01, 0.004, -0.02, 0.0, 0.015, -0.003, 0.004];
  assert.ok(Math.abs(pearson(x, y) - -0.9637055823602803) < 1e-12);
  assert.ok(Math.abs(spearman(x, y) - -0.9549937104572925) < 1e-12);
  const r = permutationTest(x, y);
  assert.equal(r.exact, true);
  assert.equal(r.permutations, 5040);
  assert.equal(r.pearson_p, 10 / 5040);
  assert.equal(r.spearman_p, 16 / 5040);
});

Deno.test("permutationTest() beyond n = 8 draws 10,000 seeded orderings with the +1 correction", () => {
  const x = [1, 2, 3, 4, 5, 6, 7, 8, 9];
  const y = [2, 1, 4, 3, 6, 5, 8, 7, 9];
  const a = permutationTest(x, y, { seed: 7 });
  assert.equal(a.exact, false);
  assert.equal(a.permutations, 10000);
  assert.deepEqual(permutationTest(x, y, { seed: 7 }), a);
  // (count + 1) / 10001 is never 0, and the strong association is significant.
  assert.ok(a.pearson_p > 0 && a.pearson_p < 0.001, String(a.pearson_p));
  assert.equal(Math.round(a.pearson_p * 10001) - a.pearson_p * 10001 < 1e-9, true);
  assert.throws(() => permutationTest(x, y, { exactMaxN: 11 }), RangeError);
});

Deno.test("pairBootstrapCI() redraws resamples whose correlation is undefined and is reproducible by seed", () => {
  const x = [0.1, -0.2, 0.3, 0.05, -0.1];
  const y = [-0.01, 0.02, -0.02, 0.0, 0.01];
  const a = pairBootstrapCI(x, y, pearson, { seed: 5, resamples: 2000 });
  assert.deepEqual(pairBootstrapCI(x, y, pearson, { seed: 5, resamples: 2000 }), a);
  // With 5 pairs about 1 resample in 600 repeats one pair: redrawn, not NaN.
  assert.ok(a.redrawn > 0, String(a.redrawn));
  assert.ok(a.lo >= -1 && a.lo <= pearson(x, y) && a.hi <= 1, JSON.stringify(a));
  assert.throws(() => pairBootstrapCI([1, 2], [3, 4], pearson), RangeError);
});

Deno.test("correlationCell() says not estimable under 5 release pairs, with null values and a reason", () => {
  const cell = correlationCell([0.1, 0.2, -0.1, 0.3], [-0.01, -0.02, 0.01, -0.03], "lower");
  assert.equal(cell.n, 4);
  for (
    const k of [
      "pearson",
      "spearman",
      "pearson_ci",
      "spearman_ci",
      "p_value",
      "directional_agreement",
    ] as const
  ) {
    assert.equal(cell[k], null, k);
  }
  assert.equal(cell.reason, "not estimable: 4 release pairs, at least 5 needed");
});

Deno.test("correlationCell() gives Pearson, Spearman, CIs, a p-value and directional agreement under the metric's sign convention", () => {
  const x = [0.3, -0.1, 0.5, 0.2, -0.4, 0.1, 0.0];
  const y = [-0.01, 0.004, -0.02, 0.0, 0.015, -0.003, 0.004];
  const lower = correlationCell(x, y, "lower", { resamples: 2000 });
  assert.equal(lower.pearson, pearson(x, y));
  assert.equal(lower.spearman, spearman(x, y));
  assert.equal(lower.p_value, 10 / 5040);
  assert.equal(lower.p_exact, true);
  assert.ok(lower.pearson_ci![0] <= lower.pearson! && lower.pearson! <= lower.pearson_ci![1]);
  assert.ok(lower.spearman_ci![1] < 0);
  // Eval up with thumbs-down down is agreement: 5 of the 5 pairs where both moved (0.2/0.0 and 0.0/… are not counted).
  assert.equal(lower.counted, 5);
  assert.equal(lower.agree, 5);
  assert.equal(lower.directional_agreement, 1);
  assert.ok(lower.oriented! > 0.9);
  assert.deepEqual(lower.oriented_ci, [-lower.pearson_ci![1], -lower.pearson_ci![0]]);
  // The same numbers for a metric where higher is better: the eval and prod disagree.
  const higher = correlationCell(x, y, "higher", { resamples: 2000 });
  assert.equal(higher.directional_agreement, 0);
  assert.ok(higher.oriented! < -0.9);
  assert.match(
    correlationCell([0, 0, 0, 0, 0], [1, 2, 3, 4, 5], "lower").reason!,
    /^not estimable: the eval deltas are all equal$/,
  );
});

Deno.test("metricNoise() defaults to half the median absolute change; an option overrides it", () => {
  const pair = (delta: number) => ({
    prod: { thumbs_down_rate: { from: 0.1, to: 0.1 + delta, delta, relative: delta / 0.1 } },
  });
  const pairs = [pair(-0.004), pair(0.002), pair(-0.01), pair(0.006)];
  const noise = metricNoise(pairs, ["thumbs_down_rate", "tickets_per_1k"]);
  assert.ok(Math.abs(noise.thumbs_down_rate.value - 0.0025) < 1e-12);
  assert.equal(noise.thumbs_down_rate.source, "default: half the median absolute change");
  assert.equal(noise.tickets_per_1k.value, 0);
  assert.deepEqual(metricNoise(pairs, ["thumbs_down_rate"], { thumbs_down_rate: 0.001 }), {
    thumbs_down_rate: { value: 0.001, source: "option" },
  });
  assert.throws(
    () => metricNoise(pairs, ["thumbs_down_rate"], { thumbs_down_rate: -1 }),
    (e: Error) =>
      e instanceof RangeError &&
      e.message === 'Invalid noise for "thumbs_down_rate": expected a number >= 0, got -1',
  );
});

Deno.test("evalLied() lists pairs where a dimension moved beyond its CI one way and the metric beyond its noise the other way", () => {
  const dim = (diff: number, half = 0.05) => ({
    diff,
    ci: [diff - half, diff + half] as [number, number],
    p_value: 0.01,
    mean_from: 3,
    mean_to: 3 + diff,
    moved: 0 as const,
  });
  const evalOf = (c: number, r: number) => ({
    correctness: dim(c),
    relevance: dim(r),
    clarity: dim(0),
    calibration: dim(0.04),
    length: dim(0.3, 0.4),
  });
  const prod = (thumbs: number, csat: number) => ({
    thumbs_down_rate: { from: 0.1, to: 0.1 + thumbs, delta: thumbs, relative: thumbs / 0.1 },
    csat: { from: 4, to: 4 + csat, delta: csat, relative: csat / 4 },
  });
  const pairs = [
    // Eval +0.2 on relevance, thumbs-down +0.005: the eval lied (relevance), correctness agreed.
    { from: "a", to: "b", eval: evalOf(-0.1, 0.2), prod: prod(0.005, -0.2) },
    // Thumbs-down moved within its noise: no lie.
    { from: "b", to: "c", eval: evalOf(0.2, -0.2), prod: prod(0.001, 0.3) },
  ];
  const noise = {
    thumbs_down_rate: { value: 0.003, source: "option" as const },
    csat: { value: 0.1, source: "option" as const },
  };
  const lies = evalLied(pairs, { thumbs_down_rate: "lower", csat: "higher" }, noise);
  assert.deepEqual(lies.map((l) => [`${l.from}→${l.to}`, l.dimension, l.metric, l.kind]), [
    ["a→b", "relevance", "thumbs_down_rate", "eval up, prod worse"],
    ["a→b", "relevance", "csat", "eval up, prod worse"],
    ["b→c", "relevance", "csat", "eval down, prod better"],
  ]);
  assert.equal(
    lies[0].text,
    "a→b: relevance +0.20 [+0.15, +0.25] but thumbs_down_rate +0.0050 (+5.0%), worse",
  );
  // Calibration's CI [−0.01, 0.09] and length's [−0.1, 0.7] include 0: never listed.
  assert.ok(lies.every((l) => l.dimension !== "calibration" && l.dimension !== "length"));
});

Deno.test("rankDimensions() ranks by signed correlation and never claims more than the release-level interval", () => {
  const cell = (r: number, lo: number, hi: number) => correlationCellLike(r, lo, hi);
  const ranked = rankDimensions({
    correctness: { thumbs_down_rate: cell(-0.85, -0.96, -0.6) },
    relevance: { thumbs_down_rate: cell(-0.1, -0.7, 0.6) },
    clarity: { thumbs_down_rate: cell(0.7, 0.2, 0.9) },
    calibration: { thumbs_down_rate: cell(-0.5, -0.9, 0.1) },
    length: { thumbs_down_rate: correlationCell([], [], "lower") },
  });
  assert.deepEqual(
    ranked.thumbs_down_rate.map((r) => [r.rank, r.dimension, r.verdict_label]),
    [
      [1, "correctness", "predicts prod"],
      // r = −0.5 reads as promising, but its interval reaches 0.
      [2, "calibration", "not enough evidence (n = 9 release pairs)"],
      // A wide interval around 0 is no evidence of no effect (it was "stop celebrating").
      [3, "relevance", "not enough evidence (n = 9 release pairs)"],
      [4, "clarity", "moves against prod"],
      [5, "length", "not enough evidence (n = 0 release pairs)"],
    ],
  );
  // No release-level interval, however narrow, says "does not predict prod".
  const narrow = rankDimensions({ length: { thumbs_down_rate: cell(0, -0.04, 0.04) } });
  assert.equal(narrow.thumbs_down_rate[0].verdict, "not enough evidence");
  assert.deepEqual(verdictLists(ranked), {
    predicts_prod: { thumbs_down_rate: ["correctness"] },
    moves_against_prod: { thumbs_down_rate: ["clarity"] },
    not_enough_evidence: { thumbs_down_rate: ["calibration", "relevance", "length"] },
  });
});

function correlationCellLike(r: number, lo: number, hi: number) {
  return {
    n: 9,
    pearson: r,
    spearman: r,
    pearson_ci: [lo, hi] as [number, number],
    spearman_ci: [lo, hi] as [number, number],
    p_value: 0.05,
    spearman_p_value: 0.05,
    p_exact: false,
    directional_agreement: 0.7,
    agree: 7,
    counted: 10,
    oriented: -r,
    oriented_ci: [-hi, -lo] as [number, number],
  };
}

// ---------------------------------------------------------------------------
// Quarters and history

Deno.test("parseQuarter(), quarterOf() and shiftQuarter() agree on calendar quarters", () => {
  assert.deepEqual(parseQuarter("2026-q4"), {
    label: "2026-Q4",
    year: 2026,
    quarter: 4,
    start: "2026-10-01",
    end: "2026-12-31",
  });
  assert.equal(quarterOf("2026-06-30").label, "2026-Q2");
  assert.equal(quarterOf("2026-07-01").label, "2026-Q3");
  assert.equal(shiftQuarter("2026-Q1"), "2025-Q4");
  assert.throws(
    () => parseQuarter("2026-Q5"),
    (e: Error) =>
      e instanceof RangeError &&
      e.message === 'Invalid quarter "2026-Q5": expected YYYY-QN, e.g. 2026-Q3',
  );
});

Deno.test("correlate --history lists each quarter's latest correlation and flags a dimension whose correlation weakened", async () => {
  const out = await tempDir();
  // Q1: thumbs-down tracks correctness. Q2: it moves with correctness the wrong way.
  const q1 = trackingReleases("2026-01-05", 6);
  const c2 = [3.0, 3.6, 3.0, 3.6, 3.0, 3.6];
  const q2: SynthRelease[] = c2.map((c, i) => ({
    release: `u${i + 1}`,
    date: new Date(Date.parse("2026-04-06") + i * 7 * 86400000).toISOString().slice(0, 10),
    latent: { correctness: c, relevance: 3 + (i % 2) * 0.4, length: 3.5 - (i % 3) * 0.3 },
    thumbs: Number((0.1 + 0.02 * (c - 3) + i * 0.001).toFixed(4)),
    tickets: 5 + (i % 3) * 0.3,
  }));
  const file = await synthRegistry(out, [...q1, ...q2]);
  const clock = (iso: string) => () => new Date(iso);
  const older = await correlateReleases(file, {
    out,
    quarter: "2026-Q1",
    resamples: 500,
    now: clock("2026-04-01T00:00:00Z"),
  });
  const q1run = await correlateReleases(file, {
    out,
    quarter: "2026-Q1",
    resamples: 999,
    now: clock("2026-04-02T00:00:00Z"),
  });
  const q2run = await correlateReleases(file, {
    out,
    quarter: "2026-Q2",
    since: "2026-04-01",
    resamples: 999,
    now: clock("2026-07-01T00:00:00Z"),
  });
  assert.equal(q1run.result.pairs.length, 5);
  assert.equal(q2run.result.pairs.length, 5);
  assert.deepEqual(q1run.result.predicts_prod.thumbs_down_rate, ["correctness"]);

  const history = await readCorrelationHistory(out);
  assert.deepEqual(history.map((h) => [h.quarter, h.artifact]), [
    ["2026-Q1", q1run.artifact],
    ["2026-Q2", q2run.artifact],
  ]);
  assert.deepEqual(history[0].superseded, [older.artifact]);
  const trend = correlationTrend(history);
  const row = trend.rows.find((r) =>
    r.dimension === "correctness" && r.metric === "thumbs_down_rate"
  )!;
  assert.equal(row.weakened, true);
  assert.ok(row.change! < -1, String(row.change));
  assert.ok(
    trend.flags.some((f) =>
      f.startsWith("correctness vs thumbs_down_rate weakened 2026-Q1 → 2026-Q2: Pearson r −") &&
      /\(no longer predicts prod: [a-z ]+\)$/.test(f)
    ),
    trend.flags.join("\n"),
  );

  const cli = await run(["correlate", "--history", out, "--json"]);
  assert.equal(cli.code, 0, cli.stderr);
  const summary = JSON.parse(cli.stdout);
  assert.equal(summary.artifact, null);
  assert.deepEqual(summary.history.quarters.map((q: { quarter: string }) => q.quarter), [
    "2026-Q1",
    "2026-Q2",
  ]);
  assert.deepEqual(summary.history.flags, trend.flags);
  assert.match(cli.stderr, /WEAKENED/);
  await Deno.remove(out, { recursive: true });
});

Deno.test("correlateReleases() writes a correlation artifact that reruns byte-identically and records its quarter", async () => {
  const out = await tempDir();
  const file = await synthRegistry(out, trackingReleases("2026-07-06", 7));
  const a = await correlateReleases(file, { out, resamples: 999 });
  const b = await correlateReleases(file, { out, resamples: 999 });
  assert.equal(a.artifact, b.artifact);
  assert.equal(a.created, true);
  assert.equal(b.created, false);
  assert.match(a.artifact, /\/correlation-[0-9a-f]{12}$/);
  const json = JSON.parse(await Deno.readTextFile(`${a.artifact}/correlation.json`));
  assert.equal(json.quarter, "2026-Q3");
  assert.equal(json.as_of, "2026-09-30");
  const m = await readManifest(a.artifact);
  assert.equal(m.kind, "correlation");
  assert.deepEqual(m.outputs.map((o) => o.path), ["correlation.json", "pairs.csv"]);
  // The registry and every judgments file compared are inputs.
  assert.equal(m.inputs.length, 1 + 7);
  const csv = await Deno.readTextFile(`${a.artifact}/pairs.csv`);
  assert.equal(
    csv.split("\n")[0].split(",").slice(0, 6).join(),
    "from,to,to_date,rebaselined,items,correctness_diff",
  );
  assert.equal(csv.trim().split("\n").length, 1 + 6);
  await Deno.remove(out, { recursive: true });
});

// ---------------------------------------------------------------------------
// CLI

Deno.test("evalkit correlate --json prints the SPEC keys, with null values and a reason when not estimable", async () => {
  const out = await tempDir();
  const file = await synthRegistry(out, trackingReleases("2026-01-05", 4));
  const { code, stdout, stderr } = await run([
    "correlate",
    "--releases",
    file,
    "--out",
    out,
    "--resamples",
    "200",
    "--json",
  ]);
  assert.equal(code, 0, stderr);
  const s = JSON.parse(stdout);
  assert.match(s.artifact, /correlation-[0-9a-f]{12}$/);
  assert.equal(s.pairs, 3);
  assert.equal(s.quarter, "2026-Q1");
  for (const d of DIMENSIONS) {
    for (const m of ["thumbs_down_rate", "tickets_per_1k"]) {
      const c = s.dimensions[d][m];
      for (
        const k of [
          "pearson",
          "spearman",
          "pearson_ci",
          "spearman_ci",
          "p_value",
          "directional_agreement",
        ]
      ) {
        assert.equal(c[k], null, `${d} ${m} ${k}`);
      }
      assert.equal(c.reason, "not estimable: 3 release pairs, at least 5 needed");
    }
  }
  assert.ok(
    s.warnings.includes(
      "3 release pairs in 2026-Q1: correlations are not estimable (at least 5 needed)",
    ),
  );
  await Deno.remove(out, { recursive: true });
});

Deno.test("evalkit correlate exits 2 on bad usage and bad input, naming the flag, file, line and field", async () => {
  const out = await tempDir();
  const file = await synthRegistry(
    out,
    trackingReleases("2026-01-05", 6).map((r, i) => ({ ...r, extra: { csat: 4 + i * 0.1 } })),
  );
  const missing = await run(["correlate", "--json"]);
  assert.equal(missing.code, 2);
  assert.match(
    missing.stderr,
    /^Missing required flag --releases \(or --history DIR\)\nusage: evalkit correlate/,
  );
  assert.equal(JSON.parse(missing.stdout).error.exit_code, 2);

  const noSign = await run(["correlate", "--releases", file, "--out", out]);
  assert.equal(noSign.code, 2);
  assert.match(
    noSign.stderr,
    /^Metric column "csat" has no sign convention: say whether higher is better \(--higher-is-better csat or --lower-is-better csat\)\n/,
  );

  const badQuarter = await run(["correlate", "--releases", file, "--quarter", "Q3-2026"]);
  assert.equal(badQuarter.code, 2);
  assert.equal(badQuarter.stderr, 'Invalid quarter "Q3-2026": expected YYYY-QN, e.g. 2026-Q3\n');

  const badNoise = await run(["correlate", "--releases", file, "--metric-noise", "csat"]);
  assert.equal(badNoise.code, 2);
  assert.match(badNoise.stderr, /^Invalid --metric-noise "csat": expected COLUMN=NUMBER/);

  const bad = `${out}/bad.csv`;
  await Deno.writeTextFile(
    bad,
    "release,date,eval_run,thumbs_down_rate,tickets_per_1k\nr1,2026-01-01,,0.1,5\n",
  );
  const badFile = await run(["correlate", "--releases", bad, "--out", out, "--json"]);
  assert.equal(badFile.code, 2);
  assert.equal(badFile.stderr, `Cannot read "${bad}": line 2: field "eval_run": missing\n`);
  assert.deepEqual(JSON.parse(badFile.stdout).error.issues, [
    { file: bad, line: 2, field: "eval_run", problem: "missing" },
  ]);

  const ok = await run([
    "correlate",
    "--releases",
    file,
    "--out",
    out,
    "--higher-is-better",
    "csat",
    "--metric-noise",
    "thumbs_down_rate=0.004",
    "--resamples",
    "300",
    "--json",
  ]);
  assert.equal(ok.code, 0, ok.stderr);
  // People read the tables on stderr; stdout holds the JSON alone.
  assert.match(ok.stderr, /^thumbs_down_rate \(lower is better; noise 0\.004, option\)$/m);
  assert.match(
    ok.stderr,
    /^csat \(higher is better; noise [\d.]+, default: half the median absolute change\)$/m,
  );
  assert.match(
    ok.stderr,
    /^ {2}correctness +−0\.\d\d \[−[\d.]+, [−\d.]+\] +−0\.\d\d +[\d.]+ +\d\/\d {2}predicts prod$/m,
  );
  const s = JSON.parse(ok.stdout);
  assert.equal(s.metrics.csat.direction, "higher");
  assert.deepEqual(s.metrics.thumbs_down_rate, {
    direction: "lower",
    noise: 0.004,
    noise_source: "option",
  });
  assert.equal(s.pairs, 5);
  assert.equal(typeof s.dimensions.correctness.csat.pearson, "number");
  await Deno.remove(out, { recursive: true });
});

// ---------------------------------------------------------------------------
// Ground truth: the demo world

const README_PEARSON: Record<string, Record<Dimension, number>> = {
  // data/demo/README.md: "With the true eval scores below, the Pearson correlation of
  // release-to-release changes (9 pairs) is …"
  thumbs_down_rate: {
    correctness: -0.84,
    calibration: -0.59,
    relevance: -0.21,
    clarity: -0.08,
    length: -0.05,
  },
  tickets_per_1k: {
    correctness: -0.88,
    calibration: -0.04,
    relevance: -0.54,
    clarity: -0.24,
    length: -0.07,
  },
};

Deno.test("correlate recovers the demo world's documented correlations from its true scores", async () => {
  const { out, truth } = await demo();
  const { result } = await correlateReleases(truth, { out });
  assert.equal(result.pairs.length, 9);
  for (const [m, want] of Object.entries(README_PEARSON)) {
    for (const d of DIMENSIONS) {
      const got = result.dimensions[d][m].pearson!;
      assert.ok(Math.abs(got - want[d]) < 0.006, `${d} vs ${m}: ${got} (README ${want[d]})`);
    }
  }
  assert.deepEqual(result.predicts_prod, {
    thumbs_down_rate: ["correctness"],
    tickets_per_1k: ["correctness"],
  });
});

Deno.test("correlate on the demo's heuristic-judge runs ranks the dimensions that drive prod above length, with negative signs", async () => {
  const { out, heuristic } = await demo();
  const { result, summary } = await correlateReleases(heuristic, { out });
  // Measured (seed 0): thumbs-down correctness −0.76, calibration −0.54, length −0.05;
  // tickets correctness −0.85, relevance −0.43, length −0.07.
  assert.equal(result.pairs.length, 9);
  assert.equal(summary.pairs, 9);
  const drivers: Record<string, Dimension[]> = {
    thumbs_down_rate: ["correctness", "calibration"],
    tickets_per_1k: ["correctness", "relevance"],
  };
  for (const [m, dims] of Object.entries(drivers)) {
    const order = result.ranking[m].map((r) => r.dimension);
    for (const d of dims) {
      assert.ok(order.indexOf(d) < order.indexOf("length"), `${m}: ${order.join(" > ")}`);
      assert.ok(result.dimensions[d][m].pearson! < -0.4, `${d} vs ${m}`);
    }
    assert.equal(order[0], "correctness", m);
    assert.equal(result.ranking[m][0].verdict, "predicts prod");
    // Length's wide interval around 0: not enough evidence, never "does not predict prod".
    assert.ok(result.not_enough_evidence[m].includes("length"), m);
    const len = result.ranking[m].find((r) => r.dimension === "length")!;
    assert.equal(len.verdict_label, "not enough evidence (n = 9 release pairs)");
    assert.ok(Math.abs(result.dimensions.length[m].pearson!) < 0.2, `length vs ${m}`);
  }
  // r08→r09: relevance rose while thumbs-down rose (worse): the eval lied.
  assert.ok(
    result.eval_lied.some((l) =>
      l.from === "r08" && l.to === "r09" && l.dimension === "relevance" &&
      l.metric === "thumbs_down_rate" && l.kind === "eval up, prod worse"
    ),
  );
  assert.ok(
    result.warnings.includes("heuristic judge: a weak text-feature baseline, not an LLM judgment"),
  );
});

Deno.test("the demo registry names its runs relative to its own folder and validates", async () => {
  const { out, heuristic } = await demo();
  const text = await Deno.readTextFile(heuristic);
  const lines = text.trim().split("\n");
  assert.equal(
    lines[0],
    "release,date,eval_run,thumbs_down_rate,tickets_per_1k,model,prompt_version",
  );
  assert.match(
    lines[1],
    /^r01,2026-06-01,\.\.\/judge-[0-9a-f]{12},0\.1201,6\.27,mistral-small-ledgerly-v1,p1$/,
  );
  const reg = await readReleaseRegistry(heuristic);
  assert.equal(reg.releases.length, 10);
  assert.ok(reg.releases.every((r) => r.runs[0].dir.startsWith(`${out}/`)));
  const validate = await run(["validate", "--kind", "releases", heuristic, "--json"]);
  assert.equal(validate.code, 0, validate.stderr);
});

// ---------------------------------------------------------------------------
// Charts

Deno.test("deltaScatterChart() draws one labelled point per release pair, a fitted line and its band", async () => {
  const { out, truth } = await demo();
  const { result } = await correlateReleases(truth, { out });
  const svg = renderSvg(deltaScatterChart(result, "correctness"));
  assert.ok(svg.startsWith("<figure") || svg.startsWith("<svg"), svg.slice(0, 40));
  assert.equal((svg.match(/<circle/g) ?? []).length, 9);
  for (const p of result.pairs) assert.ok(svg.includes(`${p.from}→${p.to}`), `${p.from}→${p.to}`);
  assert.match(svg, /correctness: r = −0\.84 \[/);
  // The regression mark: a band (path with fill) and a line.
  assert.match(svg, /aria-label="linear-regression"/);
  const forest = renderSvg(correlationChart(result, { metric: "tickets_per_1k" }));
  assert.equal((forest.match(/<circle/g) ?? []).length, 5);
  assert.match(forest, /predicts prod/);
  assert.doesNotMatch(forest, /watch|stop celebrating|misleading/);
  const trend = renderSvg(trendChart(correlationTrend(await readCorrelationHistory(out))));
  assert.match(trend, /Correlation with thumbs_down_rate, quarter over quarter/);
});

Deno.test("a correlation artifact written before the honest verdicts reads back with them re-derived from its cells", async () => {
  const { out, truth } = await demo();
  const { artifact, result } = await correlateReleases(truth, { out });
  const copy = await Deno.makeTempDir();
  try {
    for (const f of ["manifest.json", "correlation.json"]) {
      await Deno.copyFile(`${artifact}/${f}`, `${copy}/${f}`);
    }
    // The old shape: `watch` and `stop_celebrating` lists, old verdict words in the ranking.
    const old = JSON.parse(await Deno.readTextFile(`${copy}/correlation.json`));
    delete old.predicts_prod;
    delete old.moves_against_prod;
    delete old.not_enough_evidence;
    old.watch = { thumbs_down_rate: ["correctness"], tickets_per_1k: ["correctness"] };
    old.stop_celebrating = { thumbs_down_rate: ["length"], tickets_per_1k: ["length"] };
    for (const rows of Object.values(old.ranking) as { verdict: string }[][]) {
      for (const r of rows) {
        r.verdict = r.verdict === "predicts prod" ? "watch" : "stop celebrating";
      }
    }
    await Deno.writeTextFile(`${copy}/correlation.json`, JSON.stringify(old));
    const { data } = await readArtifact(copy, "correlation");
    assert.deepEqual(data.predicts_prod, result.predicts_prod);
    assert.deepEqual(data.not_enough_evidence, result.not_enough_evidence);
    assert.deepEqual(data.ranking, result.ranking);
    assert.equal("stop_celebrating" in data, false);
  } finally {
    await Deno.remove(copy, { recursive: true });
  }
});
