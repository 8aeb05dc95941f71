import assert from "node:assert/strict";
import type { HumanRating, Judgment, Scores } from "../schemas.ts";
import {
  byItemId,
  comparedItems,
  disagreementOf,
  disagreementOrder,
  indexRatings,
  raterCoverage,
  round4,
} from "./_items.ts";
import type { Disagreement } from "./compute.ts";

const same = (v: number): Scores => ({
  correctness: v,
  relevance: v,
  clarity: v,
  calibration: v,
  length: v,
});
const rating = (item_id: string, rater: string, v: number, notes?: string): HumanRating => ({
  item_id,
  rater,
  ...same(v),
  ...(notes ? { notes } : {}),
});
const judgment = (item_id: string, v: number | null): Judgment => ({
  item_id,
  judge_model: "m",
  prompt_sha256: "0".repeat(64),
  scores: v === null ? null : same(v),
  rationale: `judged ${v}`,
  usage: { prompt_tokens: 0, completion_tokens: 0 },
  status: v === null ? "failed" : "ok",
});

Deno.test("indexRatings() puts each rater in a sorted column and refuses a rater rating an item twice", () => {
  const index = indexRatings([
    rating("q2", "ben", 3),
    rating("q1", "ana", 4),
    rating("q2", "ana", 5),
  ]);
  assert.deepEqual(index.raters, ["ana", "ben"]);
  assert.deepEqual(index.byItem.get("q1")!.map((r) => r?.correctness ?? null), [4, null]);
  assert.deepEqual(index.byItem.get("q2")!.map((r) => r?.correctness ?? null), [5, 3]);
  assert.throws(
    () => indexRatings([rating("q1", "ana", 4), rating("q1", "ana", 2)]),
    { name: "RangeError", message: 'computeAgreement(): item "q1" is rated twice by "ana"' },
  );
});

Deno.test("comparedItems() keeps rated items judged ok in natural order and counts the rest by reason", () => {
  const rated = new Map([["q10", null], ["q2", null], ["q3", null], ["q1", null]]);
  const items = comparedItems(rated, [
    judgment("q10", 4),
    judgment("q2", 3),
    judgment("q3", null),
    judgment("q99", 5),
  ]);
  assert.deepEqual(items.ids, ["q2", "q10"], "q2 before q10; q3 failed; q1 not judged");
  assert.equal(items.notInRun, 1);
  assert.equal(items.judgeFailed, 1);
  assert.equal(items.judged.size, 4, "every judgment is kept for lookup, rated or not");
});

Deno.test("raterCoverage() counts compared items per rater and the items two or more raters share", () => {
  const index = indexRatings([
    rating("q1", "ana", 4),
    rating("q1", "ben", 4),
    rating("q2", "ana", 3),
    rating("q3", "cy", 2),
    rating("q4", "ben", 1),
  ]);
  assert.deepEqual(raterCoverage(["q1", "q2", "q3"], index), {
    per_rater: { ana: 2, ben: 1, cy: 1 },
    overlap: 1,
  });
  assert.deepEqual(raterCoverage([], index), { per_rater: { ana: 0, ben: 0, cy: 0 }, overlap: 0 });
});

Deno.test("disagreementOf() records the gap judge − mean rounded, each rater's score and only the notes given", () => {
  const index = indexRatings([
    rating("q1", "ana", 2, "misses the refund rule"),
    rating("q1", "ben", 1),
  ]);
  const d = disagreementOf(judgment("q1", 5), "clarity", 5 / 3, index.byItem.get("q1")!);
  assert.deepEqual(d, {
    item_id: "q1",
    dimension: "clarity",
    judge: 5,
    human_mean: 1.6667,
    gap: 3.3333,
    humans: { ana: 2, ben: 1 },
    rationale: "judged 5",
    notes: { ana: "misses the refund rule" },
  });
});

Deno.test("disagreementOrder() sorts by dimension order, then largest |gap|, then item in natural order", () => {
  const x = (item_id: string, dimension: string, gap: number) =>
    ({ item_id, dimension, gap }) as unknown as Disagreement;
  const list = [
    x("q1", "relevance", 3),
    x("q10", "correctness", -2),
    x("q2", "correctness", 2),
    x("q3", "correctness", -3),
  ];
  list.sort(disagreementOrder(["correctness", "relevance"]));
  assert.deepEqual(list.map((d) => d.item_id), ["q3", "q2", "q10", "q1"]);
});

Deno.test("round4() rounds to 4 decimals and never writes −0; byItemId() orders numbers inside ids", () => {
  assert.equal(round4(0.123456), 0.1235);
  assert.ok(Object.is(round4(-0.00001), 0));
  assert.deepEqual(["q10", "q9", "a1"].sort(byItemId), ["a1", "q9", "q10"]);
});
