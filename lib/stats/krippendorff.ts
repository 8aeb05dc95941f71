/**
 * Krippendorff's alpha for any number of raters, missing ratings and the
 * nominal, ordinal, interval and ratio levels of measurement, computed as in
 * Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", through
 * the coincidence matrix.
 *
 * @module
 */
import {
  expectedDisagreement,
  observedDisagreement,
  pairableValues,
  valueCounts,
  valuePositions,
} from "./_krippendorff.ts";

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
  if (data.length === 0) return NaN;
  const m = valueCounts(data, level);
  const pairable = pairableValues(data, m);
  if (pairable.n === 0) return NaN;
  const position = valuePositions(pairable, level);
  const expected = expectedDisagreement(pairable, position, level);
  if (expected === 0) return NaN;
  const observed = observedDisagreement(data, m, position, level);
  return 1 - ((pairable.n - 1) * observed) / expected;
}
