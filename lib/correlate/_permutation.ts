/**
 * The steps of {@link permutationTest}: walking orderings of y (every one by Heap's
 * algorithm, or seeded random shuffles) and counting those whose |Pearson| and
 * |Spearman| statistic reach the observed ones.
 *
 * @module
 */
import { rank } from "../stats/correlation.ts";

/**
 * Every ordering of n positions once, by Heap's algorithm: `visit` for the identity,
 * then one `swap(i, j)` and one `visit` per further ordering (n! visits in all).
 */
export function eachOrdering(
  n: number,
  swap: (i: number, j: number) => void,
  visit: () => void,
): void {
  const c = new Array<number>(n).fill(0);
  visit();
  let i = 1;
  while (i < n) {
    if (c[i] < i) {
      swap(i % 2 === 0 ? 0 : c[i], i);
      visit();
      c[i]++;
      i = 1;
    } else {
      c[i] = 0;
      i++;
    }
  }
}

/**
 * `count` random orderings, each a Fisher–Yates shuffle (by `swap`) of the one before,
 * `visit` after each.
 */
export function randomOrderings(
  n: number,
  count: number,
  random: () => number,
  swap: (i: number, j: number) => void,
  visit: () => void,
): void {
  for (let b = 0; b < count; b++) {
    for (let i = n - 1; i > 0; i--) swap(i, Math.floor(random() * (i + 1)));
    visit();
  }
}

function centred(v: readonly number[]): number[] {
  const m = v.reduce((s, a) => s + a, 0) / v.length;
  return v.map((a) => a - m);
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function scale(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] * b[i]);
  return s;
}

/** Counts of orderings of y at least as extreme as the observed pairing. */
export interface OrderingCounter {
  /** Count the current ordering. */
  visit(): void;
  /** Swap y's values (and their ranks) at positions i and j. */
  swap(i: number, j: number): void;
  /** Orderings counted, and those reaching the observed |Σ (x − x̄)·y| and the same on ranks. */
  counts(): { total: number; pearson: number; spearman: number };
}

/**
 * A counter over orderings of y against x. Under a permutation only Σ x·y changes, so it
 * compares Σ (x − x̄)·y, which ranks orderings exactly as Pearson's r does (and the same on
 * ranks for Spearman's rho), with relative slack 1e-12 so rounding cannot break ties.
 */
export function orderingCounter(x: readonly number[], y: readonly number[]): OrderingCounter {
  const xp = centred(x);
  const yp = y.slice();
  const xs = centred(rank(x));
  const ys = rank(y);
  const tp = Math.abs(dot(xp, yp)) - 1e-12 * scale(xp, yp);
  const ts = Math.abs(dot(xs, ys)) - 1e-12 * scale(xs, ys);
  let pearson = 0;
  let spearman = 0;
  let total = 0;
  return {
    visit() {
      total++;
      if (Math.abs(dot(xp, yp)) >= tp) pearson++;
      if (Math.abs(dot(xs, ys)) >= ts) spearman++;
    },
    swap(i, j) {
      [yp[i], yp[j]] = [yp[j], yp[i]];
      [ys[i], ys[j]] = [ys[j], ys[i]];
    },
    counts: () => ({ total, pearson, spearman }),
  };
}
