/**
 * The steps of {@link krippendorffAlpha}, each a pure function of the ratings:
 * check them and count each item's values, the frequencies n_c of the pairable
 * values, the positions the level measures distances on, and the expected and
 * observed disagreement numerators (Krippendorff 2011).
 *
 * Ratings are raters × items (`data[r][u]`); `null`, `undefined` or `NaN` is missing.
 *
 * @module
 */
import type { KrippendorffLevel } from "./krippendorff.ts";

/** Ratings as raters × items; a missing rating is `null`, `undefined` or `NaN`. */
export type RatingMatrix = readonly (readonly (number | null | undefined)[])[];

/** Whether a rating is missing: `null`, `undefined` or `NaN`. */
export function isMissing(v: number | null | undefined): boolean {
  return v === null || v === undefined || Number.isNaN(v);
}

/**
 * Check every rating and count the values m_u each item has.
 *
 * @param data At least one rater's row.
 * @throws {RangeError} If the rows differ in length, a rating is not a finite number, or
 * a ratio-level rating is negative.
 */
export function valueCounts(data: RatingMatrix, level: KrippendorffLevel): Int32Array {
  const items = data[0].length;
  const m = new Int32Array(items);
  for (let r = 0; r < data.length; r++) {
    const row = data[r];
    if (row.length !== items) {
      throw new RangeError(
        `krippendorffAlpha(): every rater must have one entry per item, got ${row.length} in data[${r}] and ${items} in data[0]`,
      );
    }
    for (let u = 0; u < items; u++) {
      const v = row[u];
      if (isMissing(v)) continue;
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new RangeError(
          `krippendorffAlpha(): data[${r}][${u}] must be a finite number or null, got ${String(v)}`,
        );
      }
      if (level === "ratio" && v < 0) {
        throw new RangeError(
          `krippendorffAlpha(): data[${r}][${u}] must be ≥ 0 at the ratio level, got ${v}`,
        );
      }
      m[u]++;
    }
  }
  return m;
}

/** The pairable values: their frequencies n_c (the coincidence matrix's margins). */
export interface PairableValues {
  /** n_c per value, in the order first met (rater by rater). */
  frequency: Map<number, number>;
  /** n, the number of pairable values. */
  n: number;
  /** The distinct values, ascending. */
  values: number[];
}

/**
 * The frequencies of the pairable values: the values of items with at least 2.
 *
 * @param m Each item's count of values ({@link valueCounts}).
 */
export function pairableValues(data: RatingMatrix, m: Int32Array): PairableValues {
  const frequency = new Map<number, number>();
  let n = 0;
  for (let r = 0; r < data.length; r++) {
    const row = data[r];
    for (let u = 0; u < m.length; u++) {
      const v = row[u];
      if (m[u] < 2 || isMissing(v)) continue;
      frequency.set(v as number, (frequency.get(v as number) ?? 0) + 1);
      n++;
    }
  }
  return { frequency, n, values: [...frequency.keys()].sort((a, b) => a - b) };
}

/**
 * Where each value sits for the distance of its level: the value itself, or at the
 * ordinal level M_c = Σ_{g<c} n_g + n_c/2, since ordinal
 * δ²(c, k) = (Σ_{g=c..k} n_g − (n_c + n_k)/2)² = (M_k − M_c)².
 */
export function valuePositions(
  pairable: PairableValues,
  level: KrippendorffLevel,
): Map<number, number> {
  const position = new Map<number, number>();
  if (level !== "ordinal") {
    for (const c of pairable.values) position.set(c, c);
    return position;
  }
  let before = 0;
  for (const c of pairable.values) {
    const nc = pairable.frequency.get(c) as number;
    position.set(c, before + nc / 2);
    before += nc;
  }
  return position;
}

/** The expected disagreement numerator Σ_c Σ_k n_c n_k δ²(c, k). */
export function expectedDisagreement(
  pairable: PairableValues,
  position: ReadonlyMap<number, number>,
  level: KrippendorffLevel,
): number {
  const { frequency, n, values } = pairable;
  if (level === "nominal") {
    let sumSquares = 0;
    for (const nc of frequency.values()) sumSquares += nc * nc;
    return n * n - sumSquares;
  }
  if (level === "ratio") {
    let expected = 0;
    for (const c of values) {
      for (const k of values) {
        if (c + k === 0) continue;
        const d = (c - k) / (c + k);
        expected += (frequency.get(c) as number) * (frequency.get(k) as number) * d * d;
      }
    }
    return expected;
  }
  // Σ_c Σ_k n_c n_k (x_c − x_k)² = 2n Σ_c n_c (x_c − x̄)².
  let weighted = 0;
  for (const c of values) weighted += (frequency.get(c) as number) * (position.get(c) as number);
  const mean = weighted / n;
  let spread = 0;
  for (const c of values) {
    const d = (position.get(c) as number) - mean;
    spread += (frequency.get(c) as number) * d * d;
  }
  return 2 * n * spread;
}

/** δ² between two positions at a level (nominal and ratio on the values themselves). */
function delta2(c: number, k: number, level: KrippendorffLevel): number {
  if (level === "nominal") return c !== k ? 1 : 0;
  if (level === "ratio") return c + k !== 0 ? ((c - k) / (c + k)) ** 2 : 0;
  return (c - k) * (c - k);
}

/**
 * The observed disagreement numerator Σ_c Σ_k o_ck δ²(c, k), item by item: o_ck
 * collects 1/(m_u − 1) for every ordered pair of values (c, k) in item u.
 *
 * @param m Each item's count of values ({@link valueCounts}).
 * @param position The positions of the values ({@link valuePositions}).
 */
export function observedDisagreement(
  data: RatingMatrix,
  m: Int32Array,
  position: ReadonlyMap<number, number>,
  level: KrippendorffLevel,
): number {
  const buffer = new Float64Array(data.length);
  let observed = 0;
  for (let u = 0; u < m.length; u++) {
    if (m[u] < 2) continue;
    let count = 0;
    for (let r = 0; r < data.length; r++) {
      const v = data[r][u];
      if (isMissing(v)) continue;
      buffer[count++] = level === "ratio" || level === "nominal"
        ? (v as number)
        : (position.get(v as number) as number);
    }
    let sum = 0;
    for (let i = 0; i < count; i++) {
      for (let j = i + 1; j < count; j++) sum += delta2(buffer[i], buffer[j], level);
    }
    observed += (2 * sum) / (count - 1);
  }
  return observed;
}
