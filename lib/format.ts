/**
 * Numbers as the report and the notebooks print them: a true minus sign, `–` for a value
 * that is missing or not finite, an explicit `+` on differences, percentages, intervals.
 * One place, so a notebook's table reads like the report's.
 *
 * @module
 */

/**
 * A number with `digits` decimals and a true minus sign (`−0.25`); `–` when missing.
 * A value that rounds to zero prints without a sign.
 *
 * @example
 * ```ts
 * import { fmt } from "./format.ts";
 * if (fmt(-0.254) !== "−0.25" || fmt(null) !== "–" || fmt(-0.001) !== "0.00") throw new Error();
 * if (fmt(0.12345, 4) !== "0.1235") throw new Error();
 * ```
 */
export function fmt(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "–";
  const s = Math.abs(x).toFixed(digits);
  return x < 0 && Number(s) !== 0 ? `−${s}` : s;
}

/**
 * A difference with its sign always shown (`+0.28`, `−0.09`); zero and missing as {@link fmt}.
 *
 * @example
 * ```ts
 * import { signed } from "./format.ts";
 * if (signed(0.28) !== "+0.28" || signed(-0.09) !== "−0.09" || signed(0) !== "0.00") throw new Error();
 * ```
 */
export function signed(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "–";
  const s = Math.abs(x).toFixed(digits);
  if (Number(s) === 0) return s;
  return x < 0 ? `−${s}` : `+${s}`;
}

/**
 * A share as a percentage (`0.123` → `12.3%`); `–` when missing.
 *
 * @example
 * ```ts
 * import { pct } from "./format.ts";
 * if (pct(0.123) !== "12.3%" || pct(undefined) !== "–" || pct(1, 0) !== "100%") throw new Error();
 * ```
 */
export function pct(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "–";
  return `${(x * 100).toFixed(digits)}%`;
}

/**
 * An interval as `[lo, hi]`, signed by default (a difference's interval); `no interval`
 * when either end is missing.
 *
 * @example
 * ```ts
 * import { interval } from "./format.ts";
 * if (interval([-0.15, -0.03]) !== "[−0.15, −0.03]") throw new Error();
 * if (interval([0.7, 0.9], false) !== "[0.70, 0.90]" || interval([null, 1]) !== "no interval") {
 *   throw new Error();
 * }
 * ```
 */
export function interval(
  ci: readonly (number | null)[] | null | undefined,
  sign = true,
): string {
  if (!ci || ci[0] === null || ci[1] === null) return "no interval";
  const f = sign ? signed : fmt;
  return `[${f(ci[0])}, ${f(ci[1])}]`;
}

/**
 * An estimate with its interval, as agreement tables print it: `0.73 [0.61, 0.84]`, or
 * `n/a (why)` when it is not estimable.
 *
 * @example
 * ```ts
 * import { estimate } from "./format.ts";
 * if (estimate({ value: 0.734, ci: [0.61, 0.84] }) !== "0.73 [0.61, 0.84]") throw new Error();
 * if (estimate({ value: null, ci: [null, null], reason: "no items" }) !== "n/a (no items)") {
 *   throw new Error();
 * }
 * ```
 */
export function estimate(
  e: { value: number | null; ci: readonly (number | null)[]; reason?: string },
  digits = 2,
): string {
  if (e.value === null) return `n/a (${e.reason ?? "not estimable"})`;
  const end = (x: number | null | undefined) =>
    x === null || x === undefined ? "–" : fmt(x, digits);
  return `${fmt(e.value, digits)} [${end(e.ci[0])}, ${end(e.ci[1])}]`;
}
