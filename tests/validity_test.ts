/**
 * Tests of item-level validity (`evalkit validity`): the pure computation on
 * hand-made rows, the join with the logs, the CLI and its errors, and the demo
 * world's documented ground truth (data/demo/README.md, "Feedback").
 */
import assert from "node:assert/strict";
import { sha256 } from "../lib/_hash.ts";
import { toJsonl } from "../lib/io/write.ts";
import { runCliJson } from "../lib/testing/cli.ts";
import { type FeedbackRow, itemValidity, MIN_PER_GROUP } from "../lib/validity/compute.ts";
import { joinFeedback, readFeedback, validityOf } from "../lib/validity/run.ts";
import { evalProdVerdict } from "../lib/validity/verdict.ts";
import { runJudge } from "../lib/judge/run.ts";
import { HEURISTIC_JUDGE } from "../lib/judge/heuristic.ts";
import { mannWhitneyAuc } from "../lib/stats/auc.ts";
import { FEEDBACK_MODEL } from "../data/demo/generate.ts";
import { EvalItem, type Judgment } from "../lib/schemas.ts";
import { readRecords } from "../lib/io/read.ts";
import references from "./fixtures/stats/validity_references.json" with { type: "json" };

const DEMO = new URL("../data/demo/", import.meta.url).pathname;
const DIMS = ["correctness", "relevance", "clarity", "calibration", "length"];

function row(
  i: number,
  feedback: "up" | "down" | null,
  correctness: number,
  extra: Partial<FeedbackRow> = {},
): FeedbackRow {
  return {
    item_id: `i${i}`,
    source_id: `l${i}`,
    stratum: i % 3 === 0 ? "b" : "a",
    weight: 1,
    feedback,
    scores: { correctness, length: 1 + (i % 5) },
    ...extra,
  };
}

/** 30 up answers scoring 3–5, 20 down answers scoring 1–3, 40 without feedback scoring 1. */
function rows(): FeedbackRow[] {
  const out: FeedbackRow[] = [];
  for (let i = 0; i < 30; i++) out.push(row(i, "up", 3 + (i % 3)));
  for (let i = 30; i < 50; i++) out.push(row(i, "down", 1 + (i % 3)));
  for (let i = 50; i < 90; i++) out.push(row(i, null, 1));
  return out;
}

Deno.test("itemValidity() leaves answers without feedback out of the AUC: never read as not-down", () => {
  const r = rows();
  const v = itemValidity(r, { dimensions: ["correctness"], resamples: 200 });
  const d = v.dimensions.correctness;
  const up = r.filter((x) => x.feedback === "up").map((x) => x.scores.correctness);
  const down = r.filter((x) => x.feedback === "down").map((x) => x.scores.correctness);
  assert.equal(d.auc, mannWhitneyAuc(up, down));
  assert.deepEqual([d.n, d.n_down, d.n_up, d.n_none], [50, 20, 30, 40]);
  assert.equal(d.primary, "up_vs_down");
  // Down vs rest counts the 40 low-scoring answers without feedback as "rest": a lower AUC.
  assert.ok(d.auc_down_vs_rest.auc! < d.auc!);
  assert.equal(d.auc_down_vs_rest.n_positive, 70);
  assert.ok(d.auc_ci![0] < d.auc! && d.auc! <= d.auc_ci![1]);
  assert.equal(d.ci_method, "delong");
  assert.ok(d.bootstrap_ci![0] < d.auc! && d.auc! < d.bootstrap_ci![1]);
});

Deno.test("itemValidity() gives null with a reason below 10 down or 10 not-down answers", () => {
  const few = rows().filter((x) => x.feedback !== "down" || Number(x.item_id.slice(1)) < 39);
  const v = itemValidity(few, { dimensions: ["correctness"], resamples: 100 });
  const d = v.dimensions.correctness;
  assert.equal(d.n_down, MIN_PER_GROUP - 1);
  assert.equal(d.auc, null);
  assert.equal(d.auc_ci, null);
  assert.match(
    d.reason!,
    /not enough evidence: up vs down needs at least 10 answers in each group, got 30 and 9/,
  );
  assert.equal(d.power.half_width, null);
  assert.equal(v.adjusted.coefficients, null);
  assert.match(v.adjusted.reason!, /needs at least 10 down/);
});

Deno.test("itemValidity() says when a score cannot rank (every answer scored alike)", () => {
  const flat = rows().map((x) => ({ ...x, scores: { ...x.scores, correctness: 3 } }));
  const d = itemValidity(flat, { dimensions: ["correctness"], resamples: 100 }).dimensions
    .correctness;
  assert.equal(d.auc, null);
  assert.match(d.reason!, /the score is 3 for every answer/);
});

Deno.test("itemValidity() reads thumbs-down only logs as down vs rest, and says so", () => {
  const onlyDown = rows().map((x) => (x.feedback === "up" ? { ...x, feedback: null } : x));
  const v = itemValidity(onlyDown, { dimensions: ["correctness"], resamples: 100 });
  assert.equal(v.primary, "down_vs_rest");
  assert.match(v.notes[0], /no thumbs-up is logged/);
  const d = v.dimensions.correctness;
  assert.equal(d.auc, d.auc_down_vs_rest.auc);
  assert.equal(d.auc_up_vs_rest.auc, null);
});

Deno.test("itemValidity() weights by inclusion weight: oversampled downs count back at prod rate", () => {
  const r = rows();
  const plain = itemValidity(r, { dimensions: ["correctness"], resamples: 200 });
  // Duplicate every down answer and halve its weight: the prod estimate must not move.
  const doubled = [
    ...r.filter((x) => x.feedback !== "down"),
    ...r.filter((x) => x.feedback === "down").flatMap((x) => [
      { ...x, weight: 0.5 },
      { ...x, item_id: `${x.item_id}b`, weight: 0.5 },
    ]),
  ];
  const v = itemValidity(doubled, { dimensions: ["correctness"], resamples: 200 });
  assert.ok(v.weighted);
  const d = v.dimensions.correctness;
  assert.ok(Math.abs(d.auc! - plain.dimensions.correctness.auc!) < 1e-12);
  assert.equal(d.ci_method, "stratified bootstrap (weighted)");
  const rate = (x: typeof d) => x.down_rate_by_score.find((s) => s.score === 2)!.share_of_all;
  assert.ok(Math.abs(rate(d)! - rate(plain.dimensions.correctness)!) < 1e-12);
});

interface OversampledCase {
  name: string;
  rows: {
    item_id: string;
    stratum: string;
    weight: number;
    feedback: "up" | "down" | null;
    score: number;
  }[];
  expected: {
    auc: Record<"up_vs_down" | "down_vs_rest" | "up_vs_rest", number>;
    unweighted_auc: Record<string, number>;
    down_rate_by_score: Record<string, number>;
  };
}

Deno.test("itemValidity() on an oversampled eval set matches scikit-learn's roc_auc_score with sample_weight", () => {
  const cases = (references as unknown as { oversampled: OversampledCase[] }).oversampled;
  assert.ok(cases.length >= 2);
  for (const c of cases) {
    const rows: FeedbackRow[] = c.rows.map((r) => ({
      item_id: r.item_id,
      source_id: r.item_id,
      stratum: r.stratum,
      weight: r.weight,
      feedback: r.feedback,
      scores: { correctness: r.score },
    }));
    const v = itemValidity(rows, { dimensions: ["correctness"], resamples: 200 });
    assert.ok(v.weighted, c.name);
    const d = v.dimensions.correctness;
    const close = (got: number | null, want: number, what: string) =>
      assert.ok(Math.abs(got! - want) < 1e-9, `${c.name}: ${what} ${got} vs ${want}`);
    close(d.auc, c.expected.auc.up_vs_down, "up vs down");
    close(d.auc_down_vs_rest.auc, c.expected.auc.down_vs_rest, "down vs rest");
    close(d.auc_up_vs_rest.auc, c.expected.auc.up_vs_rest, "up vs rest");
    assert.equal(d.ci_method, "stratified bootstrap (weighted)");
    // The weights matter: the unweighted AUC of the same rows is another number.
    assert.ok(Math.abs(c.expected.unweighted_auc.up_vs_down - c.expected.auc.up_vs_down) > 1e-3);
    for (const [score, rate] of Object.entries(c.expected.down_rate_by_score)) {
      const at = d.down_rate_by_score.find((x) => x.score === Number(score))!;
      close(at.rate, rate, `down rate at ${score}`);
    }
  }
});

Deno.test("evalkit validity on an eval set drawn with sample --oversample weights by the items' inclusion weights", async () => {
  const out = await Deno.makeTempDir({ prefix: "evalkit-validity-" });
  try {
    const sampled = await runCliJson([
      "sample",
      "--logs",
      `${DEMO}logs.jsonl`,
      "--n",
      "300",
      "--seed",
      "v",
      "--oversample",
      "down=0.3",
      "--out",
      out,
    ]);
    assert.equal(sampled.code, 0, sampled.stderr);
    const evalset = `${sampled.json.artifact}/evalset.jsonl`;
    const judged = await runJudge(evalset, { judge: HEURISTIC_JUDGE, out });
    const { validity: v } = await validityOf(judged.artifact, { out, resamples: 200 });
    assert.equal(v.weighted, true);
    assert.match(v.method.weights, /each pair w_i·w_j \(as roc_auc_score with sample_weight\)/);
    assert.ok(v.notes.some((n) => n.includes("unequal inclusion weights")), v.notes.join("\n"));
    // The weights in evalset.jsonl reach the AUC: recompute it from the files.
    const items = await readRecords(evalset, EvalItem);
    assert.ok(items.every((i) => typeof i.weight === "number"));
    const feedback = await readFeedback(
      [`${DEMO}logs.jsonl`],
      new Set(items.map((i) => i.source_id)),
    );
    const rows = joinFeedback(judged.judgments, items, feedback).rows;
    const up = rows.filter((r) => r.feedback === "up");
    const down = rows.filter((r) => r.feedback === "down");
    assert.equal(v.dimensions.clarity.n_down, down.length);
    const score = (r: FeedbackRow) => r.scores.clarity;
    const weighted = mannWhitneyAuc(up.map(score), down.map(score), {
      positiveWeights: up.map((r) => r.weight),
      negativeWeights: down.map((r) => r.weight),
    });
    const plain = mannWhitneyAuc(up.map(score), down.map(score));
    assert.ok(Math.abs(v.dimensions.clarity.auc! - weighted) < 1e-6);
    assert.ok(Math.abs(weighted - plain) > 1e-4, "the weights move the AUC");
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("itemValidity() rate by score has Wilson intervals and counts per score", () => {
  const d = itemValidity(rows(), { dimensions: ["correctness"], resamples: 100 }).dimensions
    .correctness;
  const at1 = d.down_rate_by_score.find((s) => s.score === 1)!;
  // score 1: 7 down (i = 30, 33, …, 48), no up, 40 without feedback.
  assert.deepEqual([at1.n, at1.n_feedback, at1.down, at1.rate], [47, 7, 7, 1]);
  assert.ok(at1.ci![0] > 0.5 && at1.ci![1] === 1);
  assert.ok(Math.abs(at1.share_of_all! - 7 / 47) < 1e-12);
  const at5 = d.down_rate_by_score.find((s) => s.score === 5)!;
  assert.equal(at5.rate, 0);
});

Deno.test("joinFeedback() joins through source_id and counts failed and unmatched judgments", () => {
  const j = (id: string, ok = true): Judgment => ({
    item_id: id,
    judge_model: "m",
    prompt_sha256: sha256("p"),
    scores: ok ? { correctness: 4, relevance: 4, clarity: 4, calibration: 4, length: 4 } : null,
    rationale: "",
    usage: { prompt_tokens: 0, completion_tokens: 0 },
    status: ok ? "ok" : "failed",
    ...(ok ? {} : { error: "x" }),
  });
  const items = [
    { id: "a", query: "q", stratum: "s", source_id: "log-1" },
    { id: "b", query: "q", stratum: "s", source_id: "log-2" },
    { id: "c", query: "q", stratum: "s", source_id: "log-3" },
  ];
  const feedback = new Map<string, "up" | "down" | null>([["log-1", "down"], ["log-3", null]]);
  const out = joinFeedback([j("a"), j("b"), j("c", false)], items, feedback);
  assert.deepEqual(out.rows.map((r) => [r.item_id, r.feedback]), [["a", "down"]]);
  assert.equal(out.unmatched, 1);
  assert.equal(out.failed, 1);
});

Deno.test("the demo world's feedback follows its documented drivers: correctness and calibration clear 0.5, length does not", async () => {
  // Ground truth (data/demo/generate.ts FEEDBACK_MODEL): correctness and calibration drive
  // thumbs-down; length has slope 0.
  assert.ok(FEEDBACK_MODEL.down.correctness < FEEDBACK_MODEL.down.calibration);
  assert.ok(FEEDBACK_MODEL.down.calibration < 0);
  assert.equal(FEEDBACK_MODEL.down.length, 0);
  const out = await Deno.makeTempDir();
  try {
    const judged = await runJudge(`${DEMO}feedback_items.jsonl`, { judge: HEURISTIC_JUDGE, out });
    const { validity: v } = await validityOf(judged.artifact, {
      logs: [`${DEMO}logs.jsonl`],
      out,
      resamples: 500,
    });
    const d = v.dimensions;
    for (const dim of ["correctness", "calibration"]) {
      assert.ok(d[dim].auc_ci![0] > 0.5, `${dim}: ${d[dim].auc_ci}`);
    }
    assert.ok(d.length.auc_ci![0] < 0.5 && d.length.auc_ci![1] > 0.5, `length ${d.length.auc_ci}`);
    assert.ok(d.correctness.auc! > d.length.auc!);
    // Held fixed for the others, length's association is indistinguishable from none.
    const len = v.adjusted.coefficients!.length;
    assert.ok(len.ci[0] < 0 && len.ci[1] > 0);
    assert.ok(v.adjusted.coefficients!.correctness.ci[1] < 0);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

async function smallWorld(dir: string, downs: number) {
  const logs = [];
  const items = [];
  for (let i = 0; i < 60; i++) {
    const feedback = i < downs ? "down" : i < 40 ? "up" : null;
    // Down answers state no fact; the others state the reference fact.
    const response = i < downs
      ? "I think you should contact support."
      : "Open the invoice and choose More > Void.";
    logs.push({
      id: `log-${i}`,
      ts: "2026-09-01T10:00:00Z",
      query: `how to void invoice ${i}`,
      response,
      topic: "billing",
      feedback,
    });
    items.push({
      id: `item-${i}`,
      query: `how to void invoice ${i}`,
      stratum: "billing",
      source_id: `log-${i}`,
      reference: ["Open the invoice and choose More > Void"],
      response,
      model: "m1",
    });
  }
  await Deno.writeTextFile(`${dir}/logs.jsonl`, toJsonl(logs));
  await Deno.writeTextFile(`${dir}/evalset.jsonl`, toJsonl(items));
}

Deno.test("evalkit validity --json carries per-dimension auc, auc_ci, n, n_down, down_rate_by_score, weighted_auc", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await smallWorld(dir, 15);
    const judged = await runCliJson([
      "judge",
      "--evalset",
      `${dir}/evalset.jsonl`,
      "--judge",
      "heuristic",
      "--out",
      `${dir}/runs`,
    ]);
    assert.equal(judged.code, 0, judged.stderr);
    const r = await runCliJson([
      "validity",
      "--run",
      String(judged.json.artifact),
      "--logs",
      `${dir}/logs.jsonl`,
      "--out",
      `${dir}/runs`,
      "--resamples",
      "200",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const dims = r.json.dimensions as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(dims), DIMS);
    for (const key of ["auc", "auc_ci", "n", "n_down", "down_rate_by_score", "weighted_auc"]) {
      assert.ok(key in dims.correctness, key);
    }
    assert.equal(dims.correctness.n_down, 15);
    assert.equal(dims.correctness.n, 40);
    assert.equal(dims.correctness.auc, 1);
    assert.match(String(r.json.artifact), /validity-[0-9a-f]{12}$/);
    const file = JSON.parse(await Deno.readTextFile(`${r.json.artifact}/validity.json`));
    assert.equal(file.dimensions.correctness.n_none, 20);
    assert.equal(file.weighted, false);
    assert.equal("weights" in file.method, false, "no inclusion weights, no weights note");
    // A dimension the judge could not vary is null with its reason.
    for (const d of DIMS) {
      const x = dims[d];
      assert.ok(x.auc === null ? typeof x.reason === "string" : typeof x.auc === "number", d);
    }
    const few = await Deno.makeTempDir({ dir });
    await smallWorld(few, 4);
    const j2 = await runCliJson([
      "judge",
      "--evalset",
      `${few}/evalset.jsonl`,
      "--judge",
      "heuristic",
      "--out",
      `${few}/runs`,
    ]);
    const r2 = await runCliJson([
      "validity",
      "--run",
      String(j2.json.artifact),
      "--logs",
      `${few}/logs.jsonl`,
      "--out",
      `${few}/runs`,
    ]);
    assert.equal(r2.code, 0, r2.stderr);
    const c2 = (r2.json.dimensions as Record<string, Record<string, unknown>>).correctness;
    assert.equal(c2.auc, null);
    assert.match(String(c2.reason), /got 36 and 4/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("evalkit validity refuses a run of generated responses and names a bad log line", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await smallWorld(dir, 15);
    await Deno.writeTextFile(
      `${dir}/responses.jsonl`,
      toJsonl([{
        item_id: "item-0",
        model: "m2",
        response: "x",
        latency_ms: 1,
        usage: { prompt_tokens: 0, completion_tokens: 0 },
      }]),
    );
    const gen = await runCliJson([
      "judge",
      "--evalset",
      `${dir}/evalset.jsonl`,
      "--responses",
      `${dir}/responses.jsonl`,
      "--judge",
      "heuristic",
      "--out",
      `${dir}/runs`,
    ]);
    assert.equal(gen.code, 0, gen.stderr);
    const r = await runCliJson([
      "validity",
      "--run",
      String(gen.json.artifact),
      "--logs",
      `${dir}/logs.jsonl`,
      "--out",
      `${dir}/runs`,
    ]);
    assert.equal(r.code, 2);
    assert.match(
      (r.json.error as { message: string }).message,
      /judged generated responses, not the production answers/,
    );

    const prod = await runCliJson([
      "judge",
      "--evalset",
      `${dir}/evalset.jsonl`,
      "--judge",
      "heuristic",
      "--out",
      `${dir}/runs`,
    ]);
    const text = await Deno.readTextFile(`${dir}/logs.jsonl`);
    const lines = text.split("\n");
    lines[2] = lines[2].replace('"feedback":"down"', '"feedback":"meh"');
    await Deno.writeTextFile(`${dir}/bad.jsonl`, lines.join("\n"));
    const bad = await runCliJson([
      "validity",
      "--run",
      String(prod.json.artifact),
      "--logs",
      `${dir}/bad.jsonl`,
      "--out",
      `${dir}/runs`,
    ]);
    assert.equal(bad.code, 2);
    assert.match(
      (bad.json.error as { message: string }).message,
      /bad\.jsonl": line 3: field "feedback"/,
    );
    assert.ok(![...Deno.readDirSync(`${dir}/runs`)].some((e) => e.name.startsWith("validity-")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("evalProdVerdict() says predicts prod when either level's interval clears its null", () => {
  const rel = evalProdVerdict({ release: { oriented: 0.8, oriented_ci: [0.4, 0.95], n: 9 } });
  assert.deepEqual([rel.verdict, rel.by], ["predicts prod", "release"]);
  const item = evalProdVerdict({
    release: { oriented: -0.05, oriented_ci: [-0.95, 0.71], n: 9 },
    item: { auc: 0.77, ci: [0.72, 0.81], n: 600 },
  });
  assert.deepEqual([item.verdict, item.by], ["predicts prod", "item"]);
  assert.match(item.because, /\[0\.72, 0\.81\] \(600 answers\)/);
  const both = evalProdVerdict({
    release: { oriented: 0.6, oriented_ci: [0.01, 0.9], n: 9 },
    item: { auc: 0.6, ci: [0.51, 0.69], n: 600 },
  });
  assert.equal(both.by, "both");
  // An interval touching its null does not clear it.
  const touching = evalProdVerdict({ item: { auc: 0.56, ci: [0.5, 0.62], n: 600 } });
  assert.equal(touching.verdict, "not enough evidence");
});

Deno.test("evalProdVerdict() says does not predict prod only when the AUC interval lies inside [0.45, 0.55]", () => {
  const flat = evalProdVerdict({ item: { auc: 0.5, ci: [0.45, 0.55], n: 2400 } });
  assert.deepEqual([flat.verdict, flat.by, flat.label], [
    "does not predict prod",
    "item",
    "does not predict prod",
  ]);
  // Just outside the band on either side: not enough evidence, with its n.
  for (const ci of [[0.449, 0.53], [0.47, 0.551]] as [number, number][]) {
    const v = evalProdVerdict({ item: { auc: 0.5, ci, n: 800 } });
    assert.equal(v.label, "not enough evidence (n = 800 answers with feedback)");
  }
});

Deno.test("evalProdVerdict() never reads a wide release-level interval as no effect", () => {
  const wide = evalProdVerdict({ release: { oriented: -0.05, oriented_ci: [-0.95, 0.71], n: 9 } });
  assert.deepEqual([wide.verdict, wide.by, wide.label], [
    "not enough evidence",
    null,
    "not enough evidence (n = 9 release pairs)",
  ]);
  // Even a narrow release-level interval around 0 is not "does not predict prod".
  const narrow = evalProdVerdict({ release: { oriented: 0, oriented_ci: [-0.05, 0.05], n: 40 } });
  assert.equal(narrow.verdict, "not enough evidence");
  const both = evalProdVerdict({
    release: { oriented: 0.1, oriented_ci: [-0.6, 0.8], n: 9 },
    item: { auc: 0.52, ci: [0.4, 0.64], n: 120 },
  });
  assert.equal(both.label, "not enough evidence (n = 9 release pairs, 120 answers with feedback)");
  const none = evalProdVerdict({
    release: { oriented: null, oriented_ci: null, n: 3 },
    item: null,
  });
  assert.equal(none.label, "not enough evidence (n = 3 release pairs)");
});

Deno.test("evalProdVerdict() says moves against prod when an interval lies on the wrong side", () => {
  const rel = evalProdVerdict({ release: { oriented: -0.8, oriented_ci: [-0.95, -0.3], n: 9 } });
  assert.deepEqual([rel.verdict, rel.by], ["moves against prod", "release"]);
  const item = evalProdVerdict({ item: { auc: 0.4, ci: [0.35, 0.45], n: 900 } });
  assert.deepEqual([item.verdict, item.by], ["moves against prod", "item"]);
  // Evidence for wins over evidence against, and the conflict is said.
  const mixed = evalProdVerdict({
    release: { oriented: -0.8, oriented_ci: [-0.95, -0.3], n: 9 },
    item: { auc: 0.6, ci: [0.55, 0.65], n: 900 },
  });
  assert.equal(mixed.verdict, "predicts prod");
  assert.match(mixed.because, /other way/);
});
