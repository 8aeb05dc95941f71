import assert from "node:assert/strict";
import { estimate, fmt, interval, pct, signed } from "./format.ts";

Deno.test("fmt() uses a true minus, prints missing and non-finite values as –, and no −0.00", () => {
  assert.deepEqual(
    [fmt(1.005, 1), fmt(-2.5), fmt(-0.004), fmt(null), fmt(undefined), fmt(NaN), fmt(Infinity)],
    ["1.0", "−2.50", "0.00", "–", "–", "–", "–"],
  );
});

Deno.test("signed() always shows the sign of a difference, but not of a zero", () => {
  assert.deepEqual(
    [signed(0.284), signed(-0.09), signed(0.004), signed(-0.004), signed(null), signed(1.5, 1)],
    ["+0.28", "−0.09", "0.00", "0.00", "–", "+1.5"],
  );
});

Deno.test("pct() and interval() and estimate() format shares, intervals and estimates", () => {
  assert.equal(pct(0.0456), "4.6%");
  assert.equal(pct(null), "–");
  assert.equal(interval([-0.15, 0.01]), "[−0.15, +0.01]");
  assert.equal(interval(null), "no interval");
  assert.equal(interval([0.2, 0.4], false), "[0.20, 0.40]");
  assert.equal(estimate({ value: 0.8, ci: [0.7, null] }), "0.80 [0.70, –]");
  assert.equal(estimate({ value: null, ci: [null, null] }), "n/a (not estimable)");
});
