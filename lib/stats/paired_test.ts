import assert from "node:assert/strict";
import { pairedDifference, signFlipPValue } from "./paired.ts";
import { bootstrapCI } from "./bootstrap.ts";
import { assertClose, expectedOf, frozen, references } from "./_test_utils.ts";

Deno.test("signFlipPValue() matches an exact enumeration of all sign flips in Python", () => {
  assert.ok(references.sign_flip_exact.length >= 5);
  for (const c of references.sign_flip_exact) {
    const r = signFlipPValue(c.d);
    assert.equal(r.exact, true);
    assertClose(r.p_value, expectedOf(c).p_value, c.name);
  }
});

Deno.test("signFlipPValue() replays the Monte Carlo p-value with the +1 correction", () => {
  for (const c of references.sign_flip_monte_carlo) {
    const r = signFlipPValue(c.d, { resamples: c.resamples, seed: c.seed });
    assert.equal(r.exact, false);
    assertClose(r.p_value, expectedOf(c).p_value, c.name);
  }
});

Deno.test("signFlipPValue() meet-in-the-middle enumeration equals brute force for n = 17", () => {
  const d = [
    0.3,
    -1.2,
    0.8,
    2.1,
    -0.4,
    0.9,
    1.5,
    -0.7,
    0.2,
    1.1,
    -0.3,
    0.6,
    0.05,
    1.3,
    -2,
    0.4,
    0.7,
  ];
  const scale = d.reduce((s, v) => s + Math.abs(v), 0);
  const threshold = Math.abs(d.reduce((s, v) => s + v, 0)) - 1e-12 * scale;
  let count = 0;
  for (let mask = 0; mask < 2 ** d.length; mask++) {
    let s = 0;
    for (let i = 0; i < d.length; i++) s += (mask >>> i) & 1 ? d[i] : -d[i];
    if (Math.abs(s) >= threshold) count++;
  }
  assertClose(signFlipPValue(d).p_value, count / 2 ** d.length, "p");
  // Monte Carlo lands near the exact value.
  const monteCarlo = signFlipPValue(d, { exactMaxN: 0, resamples: 20000, seed: 9 });
  assert.equal(monteCarlo.exact, false);
  assert.ok(Math.abs(monteCarlo.p_value - count / 2 ** d.length) < 0.015);
});

Deno.test("pairedDifference() defines diff as mean(b) − mean(a): candidate minus baseline", () => {
  const baseline = [3, 3, 4, 2, 5, 3];
  const candidate = [4, 4, 4, 3, 5, 4];
  const r = pairedDifference(baseline, candidate, { resamples: 999 });
  assert.equal(r.n, 6);
  assertClose(r.mean_a, 20 / 6, "mean_a");
  assertClose(r.mean_b, 24 / 6, "mean_b");
  assertClose(r.diff, 4 / 6, "diff");
  assert.ok(r.ci[0] <= r.diff && r.diff <= r.ci[1]);
  assert.equal(r.level, 0.95);
  assert.equal(r.exact, true);
  // Four +1 differences and two zeros: only all-plus and all-minus reach |sum| = 4.
  assertClose(r.p_value, 2 / 16, "p");
  const swapped = pairedDifference(candidate, baseline, { resamples: 999 });
  assertClose(swapped.diff, -r.diff, "swapped diff");
  assertClose(swapped.p_value, r.p_value, "swapped p");
});

Deno.test("pairedDifference() returns p = 1 and the interval [0, 0] when all differences are 0", () => {
  const r = pairedDifference([1, 2, 3, 4], [1, 2, 3, 4]);
  assert.deepEqual([r.diff, r.ci, r.p_value], [0, [0, 0], 1]);
  const many = Array.from({ length: 50 }, (_, i) => i % 5);
  const big = pairedDifference(many, many);
  assert.deepEqual([big.diff, big.ci, big.p_value, big.exact], [0, [0, 0], 1, false]);
});

Deno.test("pairedDifference() interval is the bootstrap interval of the paired differences", () => {
  const c = references.bootstrap_replay.find((c) => c.name.startsWith("paired differences")) ??
    assert.fail();
  const expected = expectedOf(c);
  const zeros = c.values.map(() => 0);
  const options = { resamples: c.resamples, level: c.level, seed: c.seed };
  const bca = pairedDifference(zeros, c.values, options);
  assertClose(bca.ci[0], expected.bca_lo, "BCa lo");
  assertClose(bca.ci[1], expected.bca_hi, "BCa hi");
  const percentile = pairedDifference(zeros, c.values, { ...options, method: "percentile" });
  assertClose(percentile.ci[0], expected.percentile_lo, "percentile lo");
  assertClose(percentile.ci[1], expected.percentile_hi, "percentile hi");
  const mean = (s: readonly number[]) => s.reduce((t, v) => t + v, 0) / s.length;
  const direct = bootstrapCI(c.values, mean, options);
  assert.deepEqual(bca.ci, [direct.lo, direct.hi]);
});

Deno.test("pairedDifference() switches from the exact to the Monte Carlo p-value above exactMaxN", () => {
  const a = Array.from({ length: 24 }, (_, i) => (i * 7) % 5);
  const b = a.map((v, i) => v + ((i * 3) % 4 === 0 ? 1 : 0));
  const monteCarlo = pairedDifference(a, b, { resamples: 999, seed: 2 });
  assert.equal(monteCarlo.exact, false);
  assert.ok(monteCarlo.p_value >= 1 / 1000);
  const exact = pairedDifference(a, b, { resamples: 999, exactMaxN: 24 });
  assert.equal(exact.exact, true);
  // Six +1 differences among zeros: exact p = 2 / 2^6.
  assertClose(exact.p_value, 2 / 64, "exact p");
});

Deno.test("pairedDifference() is deterministic for a seed", () => {
  const a = Array.from({ length: 40 }, (_, i) => (i * 13) % 5 + 1);
  const b = a.map((v, i) => Math.min(5, v + ((i * 7) % 3 === 0 ? 1 : 0)));
  const options = { resamples: 2000, seed: 11 };
  assert.deepEqual(pairedDifference(a, b, options), pairedDifference(a, b, options));
  const other = pairedDifference(a, b, { ...options, seed: 12 });
  assert.notDeepEqual(other.ci, pairedDifference(a, b, options).ci);
});

Deno.test("pairedDifference() rejects mismatched lengths, short input and bad values", () => {
  assert.throws(() => pairedDifference([1, 2, 3], [1, 2]), {
    name: "RangeError",
    message: "pairedDifference(): a and b must have the same length, got 3 and 2",
  });
  assert.throws(() => pairedDifference([1], [2]), {
    name: "RangeError",
    message: "pairedDifference(): needs at least 2 pairs, got 1",
  });
  assert.throws(() => pairedDifference([1, NaN], [2, 3]), {
    name: "RangeError",
    message: "pairedDifference(): a[1] must be a finite number, got NaN",
  });
  assert.throws(() => pairedDifference([1, 2], [2, 3], { exactMaxN: 41 }), {
    name: "RangeError",
    message: "pairedDifference(): exactMaxN must be an integer from 0 to 40, got 41",
  });
  assert.throws(() => pairedDifference([1, 2], [2, 3], { level: 0 }), RangeError);
});

Deno.test("pairedDifference() does not modify its inputs", () => {
  const a = frozen([1, 2, 3, 4, 5]);
  const b = frozen([2, 2, 4, 4, 6]);
  pairedDifference(a, b, { resamples: 200 });
  assert.deepEqual(a, [1, 2, 3, 4, 5]);
});
