import assert from "node:assert/strict";
import {
  kendallTauB,
  kendallTauBTest,
  pearson,
  pearsonTest,
  rank,
  spearman,
  spearmanTest,
} from "./correlation.ts";
import { assertClose, expectedOf, frozen, numbers, references } from "./_test_utils.ts";

const coefficient = { pearson, spearman, kendallTauB };
const withPValue = { pearsonTest, spearmanTest, kendallTauBTest };
const sections = {
  pearson: references.pearson,
  spearman: references.spearman,
  kendallTauB: references.kendall_tau_b,
};

for (
  const [name, fn] of Object.entries(coefficient) as [keyof typeof coefficient, typeof pearson][]
) {
  const scipyName = name === "kendallTauB" ? "kendalltau" : `${name}r`;
  Deno.test(`${name}() matches scipy.stats.${scipyName} on every reference case`, () => {
    assert.ok(sections[name].length >= 8);
    for (const c of sections[name]) {
      assertClose(fn(numbers(c.x), numbers(c.y)), expectedOf(c).statistic, `${name}: ${c.name}`);
    }
  });
}

for (
  const [name, fn] of Object.entries(withPValue) as [keyof typeof withPValue, typeof pearsonTest][]
) {
  const key = name.replace("Test", "") as keyof typeof sections;
  Deno.test(`${name}() matches scipy's statistic and two-sided p-value`, () => {
    for (const c of sections[key]) {
      const expected = expectedOf(c);
      const result = fn(numbers(c.x), numbers(c.y));
      assertClose(result.statistic, expected.statistic, `${name} statistic: ${c.name}`);
      assertClose(result.p_value, expected.pvalue, `${name} p-value: ${c.name}`);
      assert.equal(result.n, c.x.length);
      const undefinedValue = Number.isNaN(result.statistic) || Number.isNaN(result.p_value);
      assert.equal(typeof result.reason === "string", undefinedValue, `${name} reason: ${c.name}`);
    }
  });
}

Deno.test("kendallTauBTest() uses the exact p-value without ties and the normal one with ties", () => {
  // Without ties, n = 5, one discordant pair: P(≤ 1 inversion) = (1 + 4) / 5!, doubled.
  const exact = kendallTauBTest([1, 2, 3, 4, 5], [1, 2, 3, 5, 4]);
  assertClose(exact.statistic, 0.8, "tau");
  assertClose(exact.p_value, 0.08333333333333333, "exact p"); // 2 · (1 + 4) / 5!
  const tied = kendallTauBTest([1, 2, 3, 4, 5], [1, 2, 3, 4, 4]);
  assert.ok(tied.p_value > 0 && tied.p_value < 1);
});

Deno.test("rank() matches scipy.stats.rankdata with average ranks for ties", () => {
  for (const c of references.rank) {
    const got = rank(numbers(c.values));
    const expected = numbers(c.expected);
    assert.equal(got.length, expected.length, c.name);
    got.forEach((r, i) => assertClose(r, expected[i], `${c.name} [${i}]`));
  }
});

Deno.test("correlations return NaN for fewer than 2 pairs, constant input and NaN", () => {
  for (const fn of [pearson, spearman, kendallTauB]) {
    assert.ok(Number.isNaN(fn([], [])), `${fn.name} empty`);
    assert.ok(Number.isNaN(fn([1], [2])), `${fn.name} one pair`);
    assert.ok(Number.isNaN(fn([1, 1, 1], [1, 2, 3])), `${fn.name} constant x`);
    assert.ok(Number.isNaN(fn([1, 2, 3], [4, 4, 4])), `${fn.name} constant y`);
    assert.ok(Number.isNaN(fn([1, NaN, 3], [1, 2, 3])), `${fn.name} NaN`);
  }
});

Deno.test("correlation tests say why a result is NaN", () => {
  assert.equal(pearsonTest([], []).reason, "fewer than 2 pairs (n = 0)");
  assert.equal(spearmanTest([1], [1]).reason, "fewer than 2 pairs (n = 1)");
  assert.equal(kendallTauBTest([1, 1, 1], [1, 2, 3]).reason, "x is constant");
  assert.equal(pearsonTest([1, 2, 3], [4, 4, 4]).reason, "y is constant");
  assert.equal(spearmanTest([1, 2, 3], [1, NaN, 3]).reason, "y contains NaN");
  const two = spearmanTest([1, 2], [2, 1]);
  assertClose(two.statistic, -1, "rho");
  assert.ok(Number.isNaN(two.p_value));
  assert.equal(two.reason, "n = 2 leaves no degrees of freedom");
  assert.deepEqual(pearsonTest([1, 2], [2, 1]), { statistic: -1, p_value: 1, n: 2 });
});

Deno.test("correlations throw a RangeError naming both lengths when x and y differ", () => {
  const all = { pearson, spearman, kendallTauB, pearsonTest, spearmanTest, kendallTauBTest };
  for (const [name, fn] of Object.entries(all)) {
    assert.throws(() => fn([1, 2, 3], [1, 2]), {
      name: "RangeError",
      message: `${name}(): x and y must have the same length, got 3 and 2`,
    });
  }
});

Deno.test("correlations do not modify their inputs", () => {
  const x = frozen([3, 1, 2, 2, 5]);
  const y = frozen([1, 1, 4, 2, 3]);
  pearsonTest(x, y);
  spearmanTest(x, y);
  kendallTauBTest(x, y);
  rank(x);
  assert.deepEqual(x, [3, 1, 2, 2, 5]);
});

Deno.test("kendallTauB() agrees with a direct O(n²) count of pairs on tied data", () => {
  // A seeded LCG, so the case is fixed.
  let state = 12345;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const n = 400;
  const x = Array.from({ length: n }, () => Math.floor(next() * 7));
  const y = x.map((v) => Math.floor(v / 2 + next() * 4));
  let concordant = 0;
  let discordant = 0;
  let xOnly = 0;
  let yOnly = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = Math.sign(x[i] - x[j]) * Math.sign(y[i] - y[j]);
      if (s > 0) concordant++;
      else if (s < 0) discordant++;
      else if (x[i] === x[j] && y[i] !== y[j]) xOnly++;
      else if (y[i] === y[j] && x[i] !== x[j]) yOnly++;
    }
  }
  const direct = (concordant - discordant) /
    Math.sqrt((concordant + discordant + yOnly) * (concordant + discordant + xOnly));
  assertClose(kendallTauB(x, y), direct, "tau-b");
});
