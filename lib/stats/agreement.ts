/**
 * Agreement between two raters who scored the same items: Cohen's kappa (as
 * scikit-learn's `cohen_kappa_score`), the confusion matrix behind it, and the
 * plain shares of exact and adjacent agreement.
 *
 * Ratings are numbers used as categories. Every function throws a `RangeError`
 * when the two raters' arrays differ in length or hold a value that is not a
 * finite number (scikit-learn would treat `NaN` as one more category).
 *
 * @module
 */
import { checkFinite, checkSameLength } from "./_check.ts";

/** Options for {@link cohenKappa}. */
export interface CohenKappaOptions {
  /**
   * How a disagreement is weighted: `"none"` counts every disagreement as 1, `"linear"` by
   * |i − j| and `"quadratic"` by (i − j)², where i and j are the two labels' positions in
   * `labels` (positions, not values, as scikit-learn). Quadratic weights give the QWK.
   * @default "none"
   */
  weights?: "none" | "linear" | "quadratic";
  /**
   * The categories, in order. Pairs in which either rating is not among them are left out,
   * as scikit-learn. At least one must occur in `a`.
   * @default the distinct values of `a` and `b`, ascending
   */
  labels?: readonly number[];
}

/** The labels to use: checked `labels`, or the sorted distinct values of `a` and `b`. */
function resolveLabels(
  fn: string,
  a: readonly number[],
  b: readonly number[],
  labels: readonly number[] | undefined,
): number[] {
  if (labels === undefined) {
    return [...new Set([...a, ...b])].sort((u, v) => u - v);
  }
  checkFinite(fn, "labels", labels);
  if (labels.length === 0) throw new RangeError(`${fn}(): labels must not be empty`);
  const unique = new Set<number>();
  for (const label of labels) {
    if (unique.has(label)) {
      throw new RangeError(`${fn}(): labels must be distinct, got ${label} more than once`);
    }
    unique.add(label);
  }
  if (a.length > 0 && !a.some((v) => unique.has(v))) {
    throw new RangeError(`${fn}(): at least one of labels [${labels.join(", ")}] must occur in a`);
  }
  return [...labels];
}

function confusionCore(
  fn: string,
  a: readonly number[],
  b: readonly number[],
  labels: readonly number[] | undefined,
): number[][] {
  checkSameLength(fn, a, b);
  checkFinite(fn, "a", a);
  checkFinite(fn, "b", b);
  const resolved = resolveLabels(fn, a, b, labels);
  const index = new Map(resolved.map((label, i) => [label, i]));
  const k = resolved.length;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < a.length; i++) {
    const row = index.get(a[i]);
    const col = index.get(b[i]);
    if (row !== undefined && col !== undefined) matrix[row][col]++;
  }
  return matrix;
}

/**
 * The confusion matrix of two raters, as scikit-learn's `confusion_matrix(a, b, labels=labels)`:
 * entry [i][j] counts items that `a` rated `labels[i]` and `b` rated `labels[j]`.
 *
 * @param a The first rater's ratings (rows).
 * @param b The second rater's ratings (columns), paired with `a` by position.
 * @param labels The categories, in order; pairs with a rating outside them are left out.
 * Default: the distinct values of `a` and `b`, ascending.
 * @returns A labels × labels matrix of counts (all zero for empty input).
 * @throws {RangeError} If `a` and `b` differ in length, hold a non-finite value, or `labels`
 * is empty, repeats a label, or (for non-empty `a`) shares no label with `a`.
 *
 * @example
 * ```ts
 * import { confusionMatrix } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(confusionMatrix([1, 2, 2, 3], [1, 2, 3, 3]), [
 *   [1, 0, 0],
 *   [0, 1, 1],
 *   [0, 0, 1],
 * ]);
 * ```
 */
export function confusionMatrix(
  a: readonly number[],
  b: readonly number[],
  labels?: readonly number[],
): number[][] {
  return confusionCore("confusionMatrix", a, b, labels);
}

/**
 * Cohen's kappa between two raters, as scikit-learn's `cohen_kappa_score(a, b, labels=…,
 * weights=…)`: 1 − Σ w·observed / Σ w·expected, where expected comes from the two raters'
 * marginals. With `weights: "quadratic"` this is the quadratic weighted kappa (QWK).
 *
 * Degenerate cases return `NaN`, as scikit-learn: empty input, no pair left inside
 * `labels`, and both raters giving one and the same label to every item (expected
 * disagreement is 0). Two raters who are each constant but differ get 0.
 * Unlike scikit-learn, non-integer ratings are accepted (as categories).
 *
 * @param a The first rater's ratings.
 * @param b The second rater's ratings, paired with `a` by position.
 * @param options `weights` and `labels`.
 * @returns Kappa, at most 1; `NaN` in the degenerate cases above.
 * @throws {RangeError} If `a` and `b` differ in length, hold a non-finite value, or `labels`
 * is empty, repeats a label, or (for non-empty `a`) shares no label with `a`.
 *
 * @example Quadratic weighted kappa on 1–5 scores
 * ```ts
 * import { cohenKappa } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const judge = [5, 4, 4, 2, 1, 3, 5, 2];
 * const human = [5, 4, 3, 2, 1, 3, 4, 1];
 * const qwk = cohenKappa(judge, human, { weights: "quadratic", labels: [1, 2, 3, 4, 5] });
 * assert.ok(Math.abs(qwk - 0.9047619047619048) < 1e-12);
 * ```
 */
export function cohenKappa(
  a: readonly number[],
  b: readonly number[],
  options: CohenKappaOptions = {},
): number {
  const { weights = "none", labels } = options;
  if (weights !== "none" && weights !== "linear" && weights !== "quadratic") {
    throw new RangeError(
      `cohenKappa(): weights must be "none", "linear" or "quadratic", got "${String(weights)}"`,
    );
  }
  const matrix = confusionCore("cohenKappa", a, b, labels);
  const k = matrix.length;
  const rowSums = new Array<number>(k).fill(0);
  const colSums = new Array<number>(k).fill(0);
  let total = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      rowSums[i] += matrix[i][j];
      colSums[j] += matrix[i][j];
      total += matrix[i][j];
    }
  }
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const d = Math.abs(i - j);
      const w = weights === "none" ? (d === 0 ? 0 : 1) : weights === "linear" ? d : d * d;
      observed += w * matrix[i][j];
      expected += (w * colSums[i] * rowSums[j]) / total;
    }
  }
  return 1 - observed / expected;
}

/**
 * The share of items on which two raters gave exactly the same rating.
 *
 * @param a The first rater's ratings.
 * @param b The second rater's ratings, paired with `a` by position.
 * @returns A share in [0, 1]; `NaN` for empty input.
 * @throws {RangeError} If `a` and `b` differ in length or hold a non-finite value.
 *
 * @example
 * ```ts
 * import { exactAgreement } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(exactAgreement([1, 2, 3, 4], [1, 2, 4, 4]), 0.75);
 * ```
 */
export function exactAgreement(a: readonly number[], b: readonly number[]): number {
  checkSameLength("exactAgreement", a, b);
  checkFinite("exactAgreement", "a", a);
  checkFinite("exactAgreement", "b", b);
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return a.length === 0 ? NaN : same / a.length;
}

/**
 * The share of items on which two raters' ratings differ by at most `tolerance`
 * (|a − b| ≤ tolerance, compared exactly, with no floating-point slack).
 *
 * @param a The first rater's ratings.
 * @param b The second rater's ratings, paired with `a` by position.
 * @param tolerance The largest difference that still counts as agreement (0 gives
 * {@link exactAgreement}).
 * @returns A share in [0, 1]; `NaN` for empty input.
 * @throws {RangeError} If `a` and `b` differ in length, hold a non-finite value, or
 * `tolerance` is negative or not finite.
 *
 * @example Within one point on a 1–5 scale
 * ```ts
 * import { adjacentAgreement } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(adjacentAgreement([1, 2, 3, 5], [2, 2, 5, 4]), 0.75);
 * assert.equal(adjacentAgreement([1, 2, 3, 5], [2, 2, 5, 4], 2), 1);
 * ```
 */
export function adjacentAgreement(
  a: readonly number[],
  b: readonly number[],
  tolerance = 1,
): number {
  checkSameLength("adjacentAgreement", a, b);
  checkFinite("adjacentAgreement", "a", a);
  checkFinite("adjacentAgreement", "b", b);
  if (!(Number.isFinite(tolerance) && tolerance >= 0)) {
    throw new RangeError(
      `adjacentAgreement(): tolerance must be a finite number ≥ 0, got ${tolerance}`,
    );
  }
  let close = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) <= tolerance) close++;
  return a.length === 0 ? NaN : close / a.length;
}
