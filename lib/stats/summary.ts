/**
 * Summary statistics taken as they are from simple-statistics (7.12), re-exported
 * so that callers import every statistic from one place:
 *
 * - `mean(x)`: the arithmetic mean (Kahan–Babuška summation); throws `Error` for empty `x`.
 * - `median(x)`: the median; throws `Error` for empty `x`.
 * - `sampleVariance(x)`: the variance with Bessel's correction (n − 1); throws `Error`
 *   for fewer than 2 values.
 * - `sampleStandardDeviation(x)`: its square root; throws `Error` for fewer than 2 values.
 *
 * None of them modifies its input.
 *
 * @example
 * ```ts
 * import { mean, sampleStandardDeviation } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(mean([1, 2, 3, 4]), 2.5);
 * assert.equal(sampleStandardDeviation([2, 4, 4, 4, 5, 5, 7, 9]).toFixed(2), "2.14");
 * ```
 *
 * @module
 */
export { mean, median, sampleStandardDeviation, sampleVariance } from "simple-statistics";
