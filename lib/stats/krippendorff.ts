/**
 * Krippendorff's alpha for any number of raters, missing ratings and the
 * nominal, ordinal, interval and ratio levels of measurement, computed as in
 * Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", through
 * the coincidence matrix.
 *
 * @module
 */

/** The level of measurement, which picks the difference function δ² of the ratings. */
export type KrippendorffLevel = "nominal" | "ordinal" | "interval" | "ratio";

/** Options for {@link krippendorffAlpha}. */
export interface KrippendorffAlphaOptions {
  /**
   * The level of measurement: `"nominal"` (δ² = 0 for equal values, else 1),
   * `"ordinal"` (δ² from the ranks of the pairable values, weighted by their frequencies
   * n_c, as the paper), `"interval"` (δ² = (c − k)²) or `"ratio"` (δ² = ((c − k)/(c + k))²,
   * for values ≥ 0). No default: the level changes the answer, so say which.
   */
  level: KrippendorffLevel;
}

const LEVELS: readonly string[] = ["nominal", "ordinal", "interval", "ratio"];

function isMissing(v: number | null | undefined): boolean {
  return v === null || v === undefined || Number.isNaN(v);
}

/**
 * Krippendorff's alpha, 1 − D_o / D_e, with D_o the observed and D_e the expected
 * disagreement from the coincidence matrix (Krippendorff 2011).
 *
 * Only pairable values count: an item contributes when at least 2 raters rated it, and
 * the expected disagreement comes from the frequencies n_c of those pairable values.
 * Runs in O(items × raters²) plus a sort of the distinct values (the ratio level adds
 * O(distinct values²)), never O(pairs across items).
 *
 * Edge cases: no item rated by 2 or more raters (including empty `data`) gives `NaN`;
 * a single distinct value among the pairable values gives `NaN` (D_e = 0, alpha is
 * undefined; nltk returns 1 here). Perfect agreement with some variation gives 1; alpha
 * can be negative when raters disagree more than chance.
 *
 * @param data Ratings as raters × items: `data[r][u]` is rater r's rating of item u, and
 * `null`, `undefined` or `NaN` means rater r did not rate item u. Not modified.
 * @param options The `level` of measurement.
 * @returns Alpha, at most 1; `NaN` in the edge cases above.
 * @throws {RangeError} If the raters' rows differ in length, a rating is ±Infinity or not
 * a number, a ratio-level rating is negative, or `level` is unknown.
 *
 * @example The worked example of Krippendorff (2011): 4 raters, 12 items, missing values
 * ```ts
 * import { krippendorffAlpha } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const _ = null;
 * const data = [
 *   [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
 *   [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
 *   [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
 *   [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
 * ];
 * assert.equal(krippendorffAlpha(data, { level: "nominal" }).toFixed(3), "0.743");
 * assert.equal(krippendorffAlpha(data, { level: "ordinal" }).toFixed(3), "0.815");
 * assert.equal(krippendorffAlpha(data, { level: "interval" }).toFixed(3), "0.849");
 * ```
 */
export function krippendorffAlpha(
  data: readonly (readonly (number | null | undefined)[])[],
  options: KrippendorffAlphaOptions,
): number {
  const level = options?.level;
  if (!LEVELS.includes(level)) {
    const got = String(level);
    throw new RangeError(
      `krippendorffAlpha(): level must be "nominal", "ordinal", "interval" or "ratio", got "${got}"`,
    );
  }
  const raters = data.length;
  if (raters === 0) return NaN;
  const items = data[0].length;
  // Pass 1: check the ratings and count the values m_u of each item.
  const m = new Int32Array(items);
  for (let r = 0; r < raters; r++) {
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
  // Frequencies n_c of the pairable values (the coincidence matrix's margins).
  const frequency = new Map<number, number>();
  let n = 0;
  for (let r = 0; r < raters; r++) {
    const row = data[r];
    for (let u = 0; u < items; u++) {
      const v = row[u];
      if (m[u] < 2 || isMissing(v)) continue;
      frequency.set(v as number, (frequency.get(v as number) ?? 0) + 1);
      n++;
    }
  }
  if (n === 0) return NaN;
  const values = [...frequency.keys()].sort((a, b) => a - b);

  // Ordinal δ²(c, k) = (Σ_{g=c..k} n_g − (n_c + n_k)/2)² = (M_k − M_c)², where
  // M_c = Σ_{g<c} n_g + n_c/2; so ordinal is interval on the positions M.
  const position = new Map<number, number>();
  if (level === "ordinal") {
    let before = 0;
    for (const c of values) {
      const nc = frequency.get(c) as number;
      position.set(c, before + nc / 2);
      before += nc;
    }
  } else {
    for (const c of values) position.set(c, c);
  }

  // Expected disagreement numerator Σ_c Σ_k n_c n_k δ²(c, k).
  let expected = 0;
  if (level === "nominal") {
    let sumSquares = 0;
    for (const nc of frequency.values()) sumSquares += nc * nc;
    expected = n * n - sumSquares;
  } else if (level === "ratio") {
    for (const c of values) {
      for (const k of values) {
        if (c + k === 0) continue;
        const d = (c - k) / (c + k);
        expected += (frequency.get(c) as number) * (frequency.get(k) as number) * d * d;
      }
    }
  } else {
    // Σ_c Σ_k n_c n_k (x_c − x_k)² = 2n Σ_c n_c (x_c − x̄)².
    let weighted = 0;
    for (const c of values) weighted += (frequency.get(c) as number) * (position.get(c) as number);
    const mean = weighted / n;
    let spread = 0;
    for (const c of values) {
      const d = (position.get(c) as number) - mean;
      spread += (frequency.get(c) as number) * d * d;
    }
    expected = 2 * n * spread;
  }
  if (expected === 0) return NaN;

  // Observed disagreement numerator Σ_c Σ_k o_ck δ²(c, k), item by item:
  // o_ck collects 1/(m_u − 1) for every ordered pair of values (c, k) in item u.
  const buffer = new Float64Array(raters);
  let observed = 0;
  for (let u = 0; u < items; u++) {
    if (m[u] < 2) continue;
    let count = 0;
    for (let r = 0; r < raters; r++) {
      const v = data[r][u];
      if (isMissing(v)) continue;
      buffer[count++] = level === "ratio" || level === "nominal"
        ? (v as number)
        : (position.get(v as number) as number);
    }
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const c = buffer[i];
      for (let j = i + 1; j < count; j++) {
        const k = buffer[j];
        if (level === "nominal") {
          if (c !== k) sum += 1;
        } else if (level === "ratio") {
          if (c + k !== 0) sum += ((c - k) / (c + k)) ** 2;
        } else {
          sum += (c - k) * (c - k);
        }
      }
    }
    observed += (2 * sum) / (count - 1);
  }
  return 1 - ((n - 1) * observed) / expected;
}
