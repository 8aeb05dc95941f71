import assert from "node:assert/strict";
import { driftPoint, type DriftRule, latestPerMonth } from "./_history.ts";
import type { HistoryEntry } from "./history.ts";

const entry = (date: string, value: number | null, ci: [number, number] | null = null) =>
  ({
    artifact: `runs/agreement-${date}`,
    id: date,
    date,
    created_at: date,
    run: null,
    judge_model: "m",
    prompt_sha256: null,
    report: {
      metric: "adjacent",
      threshold: 0.8,
      dimensions: value === null ? {} : {
        clarity: { judge_vs_humans: { adjacent: { value, ci: ci ?? [value, value], n: 50 } } },
      },
    },
  }) as unknown as HistoryEntry;
const rule: DriftRule = { metric: "adjacent", threshold: 0.8, maxDrop: 0.05 };

Deno.test("latestPerMonth() keeps each month's last entry, months in order", () => {
  const perMonth = latestPerMonth([
    entry("2026-07-01", 0.9),
    entry("2026-07-20", 0.8),
    entry("2026-08-02", 0.7),
  ]);
  assert.deepEqual([...perMonth.keys()], ["2026-07", "2026-08"]);
  assert.equal(perMonth.get("2026-07")!.date, "2026-07-20");
});

Deno.test("driftPoint() flags a fall larger than maxDrop, not one equal to it, and none in the first month", () => {
  const first = driftPoint("2026-07", entry("2026-07-10", 0.95), "clarity", null, rule);
  assert.deepEqual(first.flags, []);
  assert.equal(first.point.drop, null);
  assert.equal(first.point.verdict, "ok");
  const fell = driftPoint("2026-08", entry("2026-08-10", 0.85), "clarity", first.point, rule);
  assert.equal(fell.point.drop, 0.1);
  assert.deepEqual(fell.point.flags, ["drop"]);
  assert.deepEqual(fell.flags, [{
    month: "2026-08",
    previous_month: "2026-07",
    dimension: "clarity",
    kind: "drop",
    detail: "adjacent fell from 0.95 to 0.85 (by 0.1, more than 0.05)",
  }]);
  const edge = driftPoint("2026-08", entry("2026-08-10", 0.9), "clarity", first.point, rule);
  assert.equal(edge.point.drop, 0.05);
  assert.deepEqual(edge.flags, [], "a fall of exactly maxDrop is not flagged");
});

Deno.test("driftPoint() flags an interval moving below the threshold, and a missing figure as undetermined", () => {
  const before = driftPoint(
    "2026-07",
    entry("2026-07-10", 0.86, [0.81, 0.9]),
    "clarity",
    null,
    rule,
  );
  const after = driftPoint(
    "2026-08",
    entry("2026-08-10", 0.84, [0.79, 0.88]),
    "clarity",
    before.point,
    rule,
  );
  assert.deepEqual(after.point.flags, ["ci_below_threshold"]);
  assert.equal(
    after.flags[0].detail,
    "the adjacent interval's lower end moved below 0.8: 0.81 → 0.79",
  );
  const again = driftPoint(
    "2026-09",
    entry("2026-09-10", 0.84, [0.78, 0.88]),
    "clarity",
    after.point,
    rule,
  );
  assert.deepEqual(again.flags, [], "already below the month before: no new flag");
  const missing = driftPoint("2026-10", entry("2026-10-10", null), "clarity", again.point, rule);
  assert.equal(missing.point.value, null);
  assert.equal(missing.point.verdict, "undetermined");
  assert.equal(missing.point.drop, null);
});
