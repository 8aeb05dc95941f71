import assert from "node:assert/strict";
import {
  bcaLevels,
  biasCorrection,
  jackknifeAcceleration,
  resampledStatistic,
} from "./_bootstrap.ts";
import { assertClose } from "./_test_utils.ts";

const mean = (s: readonly number[]) => s.reduce((a, b) => a + b, 0) / s.length;

Deno.test("resampledStatistic() draws each resample from the values, reproducibly per seed", () => {
  const values = [1, 10, 100, 1000];
  const seen: number[][] = [];
  const thetas = resampledStatistic(
    values,
    (s) => {
      seen.push([...s]);
      return s[0];
    },
    50,
    3,
  );
  assert.equal(thetas.length, 50);
  assert.deepEqual(values, [1, 10, 100, 1000], "the values are not modified");
  assert.ok(seen.every((s) => s.length === 4 && s.every((v) => values.includes(v))));
  assert.ok(new Set(seen.flat()).size > 1, "the resamples vary");
  assert.deepEqual(
    resampledStatistic(values, mean, 50, 3),
    resampledStatistic(values, mean, 50, 3),
  );
  assert.notDeepEqual(
    resampledStatistic(values, mean, 50, 3),
    resampledStatistic(values, mean, 50, 4),
  );
});

Deno.test("biasCorrection() is the normal quantile of the share below the estimate, ties counting half", () => {
  const thetas = [1, 2, 3, 4];
  assert.equal(biasCorrection(thetas, 2.5), 0);
  // 1 below and 1 tie: (1 + 2) / 8 = 0.375; scipy.stats.norm.ppf(0.375)
  assertClose(biasCorrection(thetas, 2), -0.31863936396437514, "z0");
  assert.equal(biasCorrection(thetas, 0), -Infinity);
  assert.equal(biasCorrection(thetas, 5), Infinity);
  assert.equal(biasCorrection(thetas, NaN), -Infinity, "nothing compares below NaN");
});

Deno.test("jackknifeAcceleration() is 0 for symmetric or constant jackknife values and null on NaN", () => {
  assert.equal(jackknifeAcceleration([1, 2, 3], mean), 0);
  assert.equal(jackknifeAcceleration([4, 4, 4], mean), 0);
  // leave-one-out means 1.5, 1.5, 0; deviations from 1: −0.5, −0.5, 1
  assertClose(jackknifeAcceleration([0, 0, 3], mean)!, 0.75 / (6 * 1.5 ** 1.5), "a");
  assert.equal(jackknifeAcceleration([1, 2, 3], (s) => (s.includes(2) ? NaN : 1)), null);
});

Deno.test("bcaLevels() are the plain percentile levels without bias or skew, and shift with them", () => {
  const [lo, hi] = bcaLevels(0, 0, 0.025);
  assertClose(lo, 0.025, "lo");
  assertClose(hi, 0.975, "hi");
  const [biasedLo, biasedHi] = bcaLevels(0.2, 0, 0.025);
  assert.ok(biasedLo > 0.025 && biasedHi > 0.975);
  const [skewLo, skewHi] = bcaLevels(0, 0.1, 0.025);
  assert.ok(skewLo > 0.025 && skewHi > 0.975, `${skewLo} ${skewHi}`);
});
