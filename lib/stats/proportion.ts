/**
 * The Wilson score interval of a binomial proportion (Wilson 1927), as statsmodels'
 * `proportion_confint(count, nobs, method="wilson")`.
 *
 * @module
 */
import { checkLevel } from "./_check.ts";
import { normalQuantile } from "./_special.ts";

/** Options for {@link wilsonInterval}. */
export interface WilsonOptions {
  /** The confidence level. @default 0.95 */
  level?: number;
}

/** A proportion with its Wilson interval. */
export interface WilsonInterval {
  /** successes / n (`NaN` when n = 0). */
  estimate: number;
  lo: number;
  hi: number;
  level: number;
}

/**
 * The Wilson score interval of `successes` out of `n`:
 * `(p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n)`.
 *
 * Edge cases: `NaN` everywhere when `n` is 0; at 0 or n successes the interval still has
 * width (it reaches 0 or 1 on one side).
 *
 * @param successes A count between 0 and `n`.
 * @param n The number of trials, a non-negative integer.
 * @param options `level`.
 * @returns `{ estimate, lo, hi, level }`.
 * @throws {RangeError} When the counts are not integers with 0 ≤ successes ≤ n.
 *
 * @example
 * ```ts
 * import { wilsonInterval } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const w = wilsonInterval(3, 40);
 * assert.ok(w.lo > 0 && w.lo < 0.075 && w.hi > 0.075 && w.hi < 0.25);
 * ```
 */
export function wilsonInterval(
  successes: number,
  n: number,
  options: WilsonOptions = {},
): WilsonInterval {
  const { level = 0.95 } = options;
  checkLevel("wilsonInterval", level);
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`wilsonInterval(): n must be a non-negative integer, got ${n}`);
  }
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(
      `wilsonInterval(): successes must be an integer between 0 and n = ${n}, got ${successes}`,
    );
  }
  if (n === 0) return { estimate: NaN, lo: NaN, hi: NaN, level };
  const p = successes / n;
  const z = normalQuantile(1 - (1 - level) / 2);
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { estimate: p, lo: center - half, hi: center + half, level };
}
