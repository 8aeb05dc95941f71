import assert from "node:assert/strict";
import { DIMENSIONS, type HumanRating, type Judgment, type Scores } from "../schemas.ts";
import {
  commonItems,
  differenceVerdict,
  humanMeans,
  metricDifference,
  recommend,
} from "./_compare.ts";
import type { MetricDifference, PromptDimensionComparison } from "./compare.ts";

const same = (v: number): Scores => ({
  correctness: v,
  relevance: v,
  clarity: v,
  calibration: v,
  length: v,
});
const rating = (item_id: string, rater: string, v: number): HumanRating => ({
  item_id,
  rater,
  ...same(v),
});
const judgment = (item_id: string, ok = true): Judgment => ({
  item_id,
  judge_model: "m",
  prompt_sha256: "0".repeat(64),
  scores: ok ? same(3) : null,
  rationale: "",
  usage: { prompt_tokens: 0, completion_tokens: 0 },
  status: ok ? "ok" : "failed",
});
const settings = { resamples: 500, level: 0.95, seed: 0 };

Deno.test("commonItems() keeps rated items judged ok by both runs, counts those judged ok by one, and needs 2", () => {
  const ratings = ["q10", "q2", "q3", "q4", "q5"].map((id) => rating(id, "ana", 3));
  const items = commonItems(
    ratings,
    [judgment("q10"), judgment("q2"), judgment("q3"), judgment("q4", false), judgment("q9")],
    [judgment("q10"), judgment("q2"), judgment("q4"), judgment("q9")],
  );
  assert.deepEqual(items.ids, ["q2", "q10"], "natural order; q9 is not rated");
  assert.equal(items.leftOut, 2, "q3 judged ok by the old run only, q4 by the new one only");
  assert.throws(
    () => commonItems(ratings, [judgment("q2")], [judgment("q2"), judgment("q3")]),
    {
      name: "RangeError",
      message: "comparePrompts(): the two runs judged 1 of the 5 rated items in common; " +
        "judge the same items with both prompts",
    },
  );
});

Deno.test("humanMeans() averages each dimension over an item's raters, only for the items asked", () => {
  const means = humanMeans(
    [
      rating("q1", "ana", 4),
      rating("q1", "ben", 1),
      rating("q2", "ana", 5),
      rating("q3", "ana", 2),
    ],
    new Set(["q1", "q2"]),
  );
  assert.deepEqual([...means.keys()], ["q1", "q2"]);
  for (const d of DIMENSIONS) assert.equal(means.get("q1")![d], 2.5);
  assert.equal(means.get("q2")!.correctness, 5, "one rater: their score");
});

Deno.test("metricDifference() of adjacent is the paired share difference with a p-value; qwk on constant scores says why it is undefined", () => {
  // The new run is within one point of the humans on all 8 items, the old on 2 of them.
  const scores = {
    old: [5, 5, 5, 5, 5, 5, 3, 2],
    new: [2, 2, 3, 2, 1, 2, 3, 2],
    humans: [2, 1.5, 2, 2, 1, 2.5, 3, 2],
  };
  const adjacent = metricDifference("adjacent", scores, 0.25, 1, settings);
  assert.equal(adjacent.diff, 0.75);
  assert.equal(adjacent.old, 0.25);
  assert.equal(adjacent.new, 1);
  assert.ok(adjacent.ci[0]! > 0, JSON.stringify(adjacent));
  assert.ok(adjacent.p_value! > 0 && adjacent.p_value! < 0.05, String(adjacent.p_value));
  const constant = { old: [3, 3, 3], new: [3, 3, 3], humans: [3, 3, 3] };
  assert.deepEqual(metricDifference("qwk", constant, null, null, settings), {
    old: null,
    new: null,
    diff: null,
    ci: [null, null],
    p_value: null,
    reason: "undefined for one of the runs (constant scores)",
  });
  const spearman = metricDifference("spearman", scores, null, null, settings);
  assert.equal(spearman.p_value, null, "no p-value for a metric that is not per item");
});

Deno.test("differenceVerdict() is better above 0, worse below, same when the interval reaches 0 or is missing", () => {
  const at = (lo: number | null, hi: number | null) =>
    ({ ci: [lo, hi] }) as unknown as MetricDifference;
  assert.equal(differenceVerdict(at(0.01, 0.2)), "better");
  assert.equal(differenceVerdict(at(-0.3, -0.01)), "worse");
  assert.equal(differenceVerdict(at(0, 0.2)), "same");
  assert.equal(differenceVerdict(at(null, null)), "same");
});

Deno.test("recommend() adopts only with no dimension worse and one better, naming them", () => {
  const of = (v: Partial<Record<string, PromptDimensionComparison["verdict"]>>) =>
    Object.fromEntries(
      DIMENSIONS.map((d) => [d, { verdict: v[d] ?? "same" }]),
    ) as unknown as Record<
      (typeof DIMENSIONS)[number],
      PromptDimensionComparison
    >;
  assert.deepEqual(recommend(of({ clarity: "better", length: "better" })), {
    adopt: true,
    recommendation: "adopt the new prompt: it agrees better on clarity, length and worse on none",
  });
  assert.deepEqual(recommend(of({ clarity: "better", relevance: "worse" })), {
    adopt: false,
    recommendation: "keep the old prompt: the new one agrees worse on relevance",
  });
  const none = recommend(of({}));
  assert.equal(none.adopt, false);
  assert.match(none.recommendation, /no dimension agrees clearly better/);
});
