/**
 * Test helpers: the reference values of `tests/fixtures/stats/references.json`
 * (made by `make_references.py` beside it) and a tolerant comparison.
 *
 * @module
 */
import assert from "node:assert/strict";
import raw from "../../tests/fixtures/stats/references.json" with { type: "json" };

/** The tolerance of every reference comparison, absolute or relative. */
export const TOLERANCE = 1e-9;

/** JSON `null` in a numeric array stands for NaN. */
export function numbers(values: readonly (number | null)[]): number[] {
  return values.map((v) => (v === null ? NaN : v));
}

/** A case's expected values, with `null` read as NaN and checked against its `nan` list. */
export function expectedOf(
  c: { name: string; expected: Record<string, number | null>; nan: string[] },
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(c.expected)) {
    assert.equal(value === null, c.nan.includes(key), `${c.name}: ${key} null iff listed in nan`);
    out[key] = value === null ? NaN : value;
  }
  return out;
}

/** Asserts |actual − expected| ≤ tolerance × max(1, |expected|); NaN matches only NaN. */
export function assertClose(
  actual: number,
  expected: number,
  what: string,
  tolerance = TOLERANCE,
): void {
  if (Number.isNaN(expected)) {
    assert.ok(Number.isNaN(actual), `${what}: expected NaN, got ${actual}`);
    return;
  }
  const error = Math.abs(actual - expected);
  assert.ok(
    error <= tolerance * Math.max(1, Math.abs(expected)),
    `${what}: expected ${expected}, got ${actual} (off by ${error})`,
  );
}

/** Deep-freezes an array (and nested arrays), so any mutation throws in a test. */
export function frozen<T>(values: T[]): readonly T[] {
  for (const v of values) if (Array.isArray(v)) frozen(v);
  return Object.freeze(values);
}

interface Case {
  name: string;
  expected: Record<string, number | null>;
  nan: string[];
}

/** The reference file, typed loosely per section. */
export const references = raw as unknown as {
  tolerance: number;
  pearson: (Case & { x: (number | null)[]; y: (number | null)[] })[];
  spearman: (Case & { x: (number | null)[]; y: (number | null)[] })[];
  kendall_tau_b: (Case & { x: (number | null)[]; y: (number | null)[] })[];
  rank: { name: string; values: (number | null)[]; expected: (number | null)[] }[];
  cohen_kappa: (Case & {
    a: number[];
    b: number[];
    weights: "none" | "linear" | "quadratic";
    labels?: number[];
  })[];
  confusion_matrix: {
    name: string;
    a: number[];
    b: number[];
    labels?: number[];
    expected: number[][];
  }[];
  exact_agreement: (Case & { a: number[]; b: number[] })[];
  adjacent_agreement: (Case & { a: number[]; b: number[]; tolerance: number })[];
  krippendorff_alpha: (Case & {
    data: (number | null)[][];
    level: "nominal" | "ordinal" | "interval" | "ratio";
    nltk?: number | string | null;
    published?: number;
  })[];
  bootstrap_replay: (Case & {
    values: number[];
    statistic: "mean" | "median";
    resamples: number;
    level: number;
    seed: number;
  })[];
  bootstrap_scipy: (Case & { values: number[]; resamples: number; level: number })[];
  sign_flip_exact: (Case & { d: number[] })[];
  sign_flip_monte_carlo: (Case & { d: number[]; resamples: number; seed: number })[];
  special: {
    ndtr: { z: number; expected: number }[];
    erfc: { x: number; expected: number }[];
    ndtri: { p: number; expected: number }[];
    betainc: { x: number; a: number; b: number; expected: number }[];
    gammaincc: { a: number; x: number; expected: number }[];
    gammaln: { x: number; expected: number }[];
  };
};
