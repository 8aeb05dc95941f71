import assert from "node:assert/strict";
import { pairJudgments } from "../compare/pair.ts";
import type { Judgment } from "../schemas.ts";
import { dimensionDeltas, matchRuns, metricDeltas } from "./_deltas.ts";
import type { DeltaRelease, DeltaRun } from "./deltas.ts";

const run = (path: string, evalset = "e", judge = "j", prompt = "p", scores: number[] = []) => ({
  path,
  judge_model: judge,
  prompt_sha256: prompt,
  evalset_sha256: evalset,
  judgments: scores.map((v, i): Judgment => ({
    item_id: `q${i}`,
    judge_model: judge,
    prompt_sha256: "0".repeat(64),
    rationale: "",
    usage: { prompt_tokens: 0, completion_tokens: 0 },
    status: "ok",
    scores: { correctness: v, relevance: 3, clarity: 3, calibration: 3, length: 3 },
  })),
});
const release = (name: string, runs: DeltaRun[], metrics: Record<string, number> = {}) => ({
  release: name,
  date: "2026-01-01",
  runs,
  metrics,
});

Deno.test("matchRuns() pairs the main runs when they are judged alike, else a re-baselined run, else none", () => {
  const a = release("a", [run("a-main", "e1"), run("a-again", "e2")]);
  const same = matchRuns(a, release("b", [run("b-main", "e1")]));
  assert.equal(same?.ra.path, "a-main");
  assert.equal(same?.rebaselined, false);
  const rebased = matchRuns(a, release("b", [run("b-main", "e2")]));
  assert.equal(rebased?.ra.path, "a-again", "the earlier model judged again on the new eval set");
  assert.equal(rebased?.rebaselined, true);
  assert.equal(matchRuns(a, release("b", [run("b-main", "e1", "other-judge")])), undefined);
  assert.equal(matchRuns(a, release("b", [run("b-main", "e1", "j", "new-prompt")])), undefined);
});

Deno.test("metricDeltas() covers every metric either release has, null when one lacks it, no relative change from 0", () => {
  const a = release("a", [], { thumbs_down_rate: 0.1, csat: 0 });
  const b = release("b", [], {
    thumbs_down_rate: 0.08,
    csat: 2,
    tickets_per_1k: 3,
  }) as DeltaRelease;
  const prod = metricDeltas(a, b);
  assert.deepEqual(Object.keys(prod), ["thumbs_down_rate", "csat", "tickets_per_1k"]);
  assert.ok(Math.abs(prod.thumbs_down_rate!.delta + 0.02) < 1e-12);
  assert.ok(Math.abs(prod.thumbs_down_rate!.relative! + 0.2) < 1e-12);
  assert.deepEqual(prod.csat, { from: 0, to: 2, delta: 2, relative: null });
  assert.equal(prod.tickets_per_1k, null);
  assert.deepEqual(Object.keys(metricDeltas(a, b, ["csat"])), ["csat"], "only the metrics asked");
});

Deno.test("dimensionDeltas() says a dimension moved only when its interval excludes 0", () => {
  const paired = pairJudgments(
    run("a", "e", "j", "p", [2, 3, 2, 3, 2, 3]).judgments,
    run("b", "e", "j", "p", [4, 4, 4, 4, 4, 4]).judgments,
  );
  const deltas = dimensionDeltas(paired, { resamples: 999, level: 0.95, seed: 0 });
  assert.equal(deltas.correctness.diff, 1.5);
  assert.equal(deltas.correctness.mean_from, 2.5);
  assert.equal(deltas.correctness.mean_to, 4);
  assert.equal(deltas.correctness.moved, 1);
  assert.equal(deltas.relevance.diff, 0);
  assert.equal(deltas.relevance.moved, 0);
});
