import assert from "node:assert/strict";
import { bootstrapCI, quantileSorted } from "./bootstrap.ts";
import { seededRandom } from "./_random.ts";
import { assertClose, expectedOf, frozen, references } from "./_test_utils.ts";

/** Left-to-right sum / n, as the reference script's statistic (bit-identical). */
function plainMean(sample: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < sample.length; i++) s += sample[i];
  return s / sample.length;
}

function plainMedian(sample: readonly number[]): number {
  const s = [...sample].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

const STATISTICS = { mean: plainMean, median: plainMedian };

Deno.test("bootstrapCI() percentile interval equals scipy's on the same resamples", () => {
  for (const c of references.bootstrap_replay) {
    const expected = expectedOf(c);
    const { resamples, level, seed } = c;
    const r = bootstrapCI(c.values, STATISTICS[c.statistic], {
      resamples,
      level,
      seed,
      method: "percentile",
    });
    assertClose(r.estimate, expected.estimate, `${c.name}: estimate`);
    assertClose(r.lo, expected.percentile_lo, `${c.name}: lo`);
    assertClose(r.hi, expected.percentile_hi, `${c.name}: hi`);
    assert.deepEqual([r.level, r.resamples, r.method], [level, resamples, "percentile"]);
  }
});

Deno.test("bootstrapCI() BCa interval equals scipy's _bca_interval on the same resamples", () => {
  assert.ok(references.bootstrap_replay.length >= 6);
  for (const c of references.bootstrap_replay) {
    const expected = expectedOf(c);
    const { resamples, level, seed } = c;
    const r = bootstrapCI(c.values, STATISTICS[c.statistic], { resamples, level, seed });
    assert.equal(r.method, "bca");
    assertClose(r.lo, expected.bca_lo, `${c.name}: lo`);
    assertClose(r.hi, expected.bca_hi, `${c.name}: hi`);
  }
});

Deno.test("bootstrapCI() with one seed gives one interval, and another seed another", () => {
  const values = references.bootstrap_replay[0].values;
  const options = { resamples: 500, seed: 3 };
  const first = bootstrapCI(values, plainMean, options);
  assert.deepEqual(bootstrapCI(values, plainMean, options), first);
  const other = bootstrapCI(values, plainMean, { ...options, seed: 4 });
  assert.notEqual(other.lo, first.lo);
  assert.notEqual(other.hi, first.hi);
  assert.equal(other.estimate, first.estimate);
});

Deno.test("bootstrapCI() percentile interval of a normal mean is close to scipy.stats.bootstrap's", () => {
  const c = references.bootstrap_scipy.find((c) => c.name.startsWith("normal")) ?? assert.fail();
  const expected = expectedOf(c);
  const r = bootstrapCI(c.values, plainMean, { resamples: c.resamples, method: "percentile" });
  // n = 1000, σ ≈ 1: the standard error is ≈ 0.032 and the Monte Carlo error of an
  // endpoint with 9999 resamples ≈ 0.001, so 0.005 is loose but still meaningful.
  assertClose(r.lo, expected.percentile_lo, "lo", 0.005);
  assertClose(r.hi, expected.percentile_hi, "hi", 0.005);
  const bca = bootstrapCI(c.values, plainMean, { resamples: c.resamples });
  assertClose(bca.lo, expected.bca_lo, "BCa lo", 0.005);
  assertClose(bca.hi, expected.bca_hi, "BCa hi", 0.005);
});

Deno.test("bootstrapCI() BCa shifts the interval of a right-skewed mean upward", () => {
  const c = references.bootstrap_scipy.find((c) => c.name.startsWith("lognormal")) ??
    assert.fail();
  const expected = expectedOf(c);
  const percentile = bootstrapCI(c.values, plainMean, { method: "percentile" });
  const bca = bootstrapCI(c.values, plainMean, { method: "bca" });
  assert.ok(bca.lo > percentile.lo, `BCa lo ${bca.lo} > percentile lo ${percentile.lo}`);
  assert.ok(bca.hi > percentile.hi, `BCa hi ${bca.hi} > percentile hi ${percentile.hi}`);
  // scipy shows the same shift, and the two libraries agree to Monte Carlo error.
  assert.ok(expected.bca_lo > expected.percentile_lo && expected.bca_hi > expected.percentile_hi);
  assertClose(bca.lo, expected.bca_lo, "BCa lo vs scipy", 0.03);
  assertClose(bca.hi, expected.bca_hi, "BCa hi vs scipy", 0.03);
  assertClose(percentile.lo, expected.percentile_lo, "percentile lo vs scipy", 0.03);
  assertClose(percentile.hi, expected.percentile_hi, "percentile hi vs scipy", 0.03);
});

Deno.test("bootstrapCI() resamples records, so a paired statistic sees whole pairs", () => {
  const pairs = frozen([[1, 10], [2, 20], [3, 30], [4, 40], [5, 50]] as [number, number][]);
  const seen = new Set<string>();
  const r = bootstrapCI(pairs, (sample) => {
    for (const p of sample) seen.add(p.join(","));
    return plainMean(sample.map((p) => p[1] / p[0]));
  }, { resamples: 200, method: "percentile" });
  assert.deepEqual([r.estimate, r.lo, r.hi], [10, 10, 10]);
  assert.deepEqual([...seen].sort(), ["1,10", "2,20", "3,30", "4,40", "5,50"]);
});

Deno.test("bootstrapCI() never modifies values, even if the statistic sorts its sample", () => {
  const values = frozen([5, 1, 4, 2, 3, 9, 7]);
  const sortingMedian = (s: readonly number[]) => {
    const m = s as number[];
    m.sort((a, b) => a - b);
    return m[(m.length - 1) / 2];
  };
  const r = bootstrapCI(values, sortingMedian, { resamples: 300 });
  assert.equal(r.estimate, 4);
  assert.deepEqual(values, [5, 1, 4, 2, 3, 9, 7]);
});

Deno.test("bootstrapCI() gives a NaN interval with a reason when the statistic is NaN", () => {
  const r = bootstrapCI([1, 2, 3], (s) => (s[0] === s[1] ? NaN : 1), { resamples: 100 });
  assert.ok(Number.isNaN(r.lo) && Number.isNaN(r.hi));
  assert.equal(r.reason, "the statistic is NaN on some resamples");
  // The number of distinct values of 20 distinct values: every resample repeats some
  // value, so the estimate (20) lies above every resampled value and BCa is undefined.
  const values = Array.from({ length: 20 }, (_, i) => i);
  const distinct = (s: readonly number[]) => new Set(s).size;
  const bca = bootstrapCI(values, distinct, { resamples: 2000 });
  assert.ok(Number.isNaN(bca.lo) && Number.isNaN(bca.hi));
  assert.equal(bca.reason, "the estimate lies outside the bootstrap distribution");
  const percentile = bootstrapCI(values, distinct, { resamples: 2000, method: "percentile" });
  assert.ok(percentile.hi < 20);
});

Deno.test("bootstrapCI() BCa of a constant sample is the constant", () => {
  const r = bootstrapCI([2, 2, 2, 2], plainMean, { resamples: 100 });
  assert.deepEqual([r.estimate, r.lo, r.hi], [2, 2, 2]);
});

Deno.test("bootstrapCI() rejects fewer than 2 values and out-of-range options", () => {
  assert.throws(() => bootstrapCI([1], plainMean), {
    name: "RangeError",
    message: "bootstrapCI(): values must hold at least 2 items, got 1",
  });
  assert.throws(() => bootstrapCI([1, 2], plainMean, { level: 1 }), {
    name: "RangeError",
    message: "bootstrapCI(): level must be between 0 and 1 (exclusive), got 1",
  });
  assert.throws(() => bootstrapCI([1, 2], plainMean, { resamples: 0.5 }), {
    name: "RangeError",
    message: "bootstrapCI(): resamples must be a positive integer, got 0.5",
  });
  assert.throws(() => bootstrapCI([1, 2], plainMean, { seed: 1.5 }), {
    name: "RangeError",
    message: "bootstrapCI(): seed must be a safe integer, got 1.5",
  });
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => bootstrapCI([1, 2], plainMean, { method: "basic" as any }),
    {
      name: "RangeError",
      message: 'bootstrapCI(): method must be "percentile" or "bca", got "basic"',
    },
  );
});

Deno.test("quantileSorted() interpolates linearly between order statistics, as numpy", () => {
  const sorted = [1, 2, 4, 8];
  assert.equal(quantileSorted(sorted, 0), 1);
  assert.equal(quantileSorted(sorted, 1), 8);
  assert.equal(quantileSorted(sorted, 0.5), 3);
  assertClose(quantileSorted(sorted, 0.9), 6.8, "q = 0.9");
});

Deno.test("seededRandom() repeats its sequence for a seed and stays in [0, 1)", () => {
  const a = seededRandom(2024);
  const b = seededRandom(2024);
  const c = seededRandom(2025);
  const xs = Array.from({ length: 1000 }, () => a());
  assert.deepEqual(Array.from({ length: 1000 }, () => b()), xs);
  assert.notDeepEqual(Array.from({ length: 1000 }, () => c()), xs);
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const average = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(average - 0.5) < 0.05);
  assert.throws(() => seededRandom(0.5), {
    name: "RangeError",
    message: "seededRandom(): seed must be a safe integer, got 0.5",
  });
  assert.notEqual(seededRandom(-1)(), seededRandom(2 ** 32 - 1)()); // high bits count
});
