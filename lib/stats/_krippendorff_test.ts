import assert from "node:assert/strict";
import {
  expectedDisagreement,
  observedDisagreement,
  pairableValues,
  valueCounts,
  valuePositions,
} from "./_krippendorff.ts";

// 2 raters, 3 items; item 2 has one value (not pairable). Pairable values 1, 1, 2, 3:
// n_1 = 2, n_2 = 1, n_3 = 1, n = 4. Worked by hand below.
const DATA = [[1, 2, 4], [1, 3, null]];

Deno.test("valueCounts() counts each item's values, passing over null, undefined and NaN", () => {
  assert.deepEqual([...valueCounts([[1, null, NaN], [undefined, 2, 3]], "interval")], [1, 1, 1]);
  assert.deepEqual([...valueCounts(DATA, "nominal")], [2, 2, 1]);
  assert.throws(
    () => valueCounts([[1, 2], [1]], "nominal"),
    new RangeError(
      "krippendorffAlpha(): every rater must have one entry per item, got 1 in data[1] and 2 in data[0]",
    ),
  );
  assert.throws(
    () => valueCounts([[1, -1]], "ratio"),
    new RangeError("krippendorffAlpha(): data[0][1] must be ≥ 0 at the ratio level, got -1"),
  );
  assert.deepEqual([...valueCounts([[1, -1]], "interval")], [1, 1]);
});

Deno.test("pairableValues() counts only the values of items rated at least twice", () => {
  const p = pairableValues(DATA, valueCounts(DATA, "nominal"));
  assert.equal(p.n, 4);
  assert.deepEqual(p.values, [1, 2, 3]);
  assert.deepEqual([...p.frequency].sort((a, b) => a[0] - b[0]), [[1, 2], [2, 1], [3, 1]]);
});

Deno.test("valuePositions() is the value itself, or the ordinal midpoint rank M_c", () => {
  const p = pairableValues(DATA, valueCounts(DATA, "ordinal"));
  assert.deepEqual([...valuePositions(p, "interval")], [[1, 1], [2, 2], [3, 3]]);
  // M_1 = 0 + 2/2, M_2 = 2 + 1/2, M_3 = 3 + 1/2
  assert.deepEqual([...valuePositions(p, "ordinal")], [[1, 1], [2, 2.5], [3, 3.5]]);
});

Deno.test("expectedDisagreement() and observedDisagreement() match a hand-worked example", () => {
  const m = valueCounts(DATA, "nominal");
  const p = pairableValues(DATA, m);
  const at = (level: "nominal" | "ordinal" | "interval" | "ratio") => {
    const position = valuePositions(p, level);
    return [
      expectedDisagreement(p, position, level),
      observedDisagreement(DATA, m, position, level),
    ];
  };
  // nominal: n² − Σ n_c² = 16 − 6; item 1 has one unequal pair: 2 · 1 / (2 − 1)
  assert.deepEqual(at("nominal"), [10, 2]);
  // interval: 2 · (2·1·1 + 2·1·4 + 1·1·1) over ordered pairs; item 1: 2 · (2 − 3)²
  assert.deepEqual(at("interval"), [22, 2]);
  // ordinal on positions 1, 2.5, 3.5: 2 · (2·1·2.25 + 2·1·6.25 + 1·1·1); item 1: 2 · 1²
  assert.deepEqual(at("ordinal"), [36, 2]);
  // ratio: 2 · (2·1·(1/3)² + 2·1·(1/2)² + 1·1·(1/5)²); item 1: 2 · (1/5)²
  const [expected, observed] = at("ratio");
  assert.ok(Math.abs(expected - 2 * (2 / 9 + 2 / 4 + 1 / 25)) < 1e-12, String(expected));
  assert.ok(Math.abs(observed - 2 / 25) < 1e-12, String(observed));
});
