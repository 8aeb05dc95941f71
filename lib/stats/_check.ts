/**
 * Argument checks shared by the statistics, with messages in one format:
 * `fn(): what is wrong, got value`.
 *
 * @module
 */

/** Throws a RangeError unless `a` and `b` have the same length. */
export function checkSameLength(
  fn: string,
  a: ArrayLike<unknown>,
  b: ArrayLike<unknown>,
  names: readonly [string, string] = ["a", "b"],
): void {
  if (a.length !== b.length) {
    throw new RangeError(
      `${fn}(): ${names[0]} and ${
        names[1]
      } must have the same length, got ${a.length} and ${b.length}`,
    );
  }
}

/** Throws a RangeError at the first value of `values` that is not a finite number. */
export function checkFinite(fn: string, name: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new RangeError(`${fn}(): ${name}[${i}] must be a finite number, got ${String(v)}`);
    }
  }
}

/** Whether any value is NaN. */
export function hasNaN(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) return true;
  return false;
}

/** Whether every value equals the first (true for fewer than two values). */
export function isConstant(values: ArrayLike<number>): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return false;
  return true;
}

/** Throws a RangeError unless 0 < level < 1. */
export function checkLevel(fn: string, level: number): void {
  if (!(level > 0 && level < 1)) {
    throw new RangeError(`${fn}(): level must be between 0 and 1 (exclusive), got ${level}`);
  }
}

/** Throws a RangeError unless `resamples` is a positive integer. */
export function checkResamples(fn: string, resamples: number): void {
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(`${fn}(): resamples must be a positive integer, got ${resamples}`);
  }
}

/** Throws a RangeError unless `seed` is a safe integer. */
export function checkSeed(fn: string, seed: number): void {
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`${fn}(): seed must be a safe integer, got ${seed}`);
  }
}
