/**
 * Unpenalised logistic regression by Newton–Raphson (iteratively reweighted least
 * squares), with model-based standard errors from the inverse Fisher information, and
 * variance inflation factors to say when predictors are too collinear to separate.
 *
 * Checked against scikit-learn's `LogisticRegression(penalty=None)` (coefficients) and
 * statsmodels' `Logit` (standard errors).
 *
 * @module
 */
import { checkLevel } from "./_check.ts";
import { normalQuantile, normalSf } from "./_special.ts";

/** Options for {@link logisticRegression}. */
export interface LogisticOptions {
  /** Prepend an intercept column of ones (reported first). @default true */
  intercept?: boolean;
  /** Stop when no coefficient moves more than this in one step. @default 1e-10 */
  tolerance?: number;
  /** Give up (and say so) after this many Newton steps. @default 100 */
  maxIterations?: number;
  /** Confidence level of the coefficient intervals. @default 0.95 */
  level?: number;
}

/** A fitted logistic regression. */
export interface LogisticFit {
  /** Intercept first (when fitted), then one per column of `x`. */
  coefficients: number[];
  standardErrors: number[];
  /** Wald intervals `b ± z·se`. */
  ci: [number, number][];
  /** Two-sided Wald p-values. */
  pValues: number[];
  logLikelihood: number;
  iterations: number;
  converged: boolean;
  /** Why the fit is not to be trusted (singular design, separation); absent when fine. */
  reason?: string;
}

/** Solves `a·x = b` for symmetric positive definite `a` (Cholesky); null when singular. */
export function choleskySolve(a: readonly number[][], b: readonly number[]): number[] | null {
  const n = a.length;
  const l = a.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      if (i === j) {
        if (!(s > 1e-12 * Math.max(1, Math.abs(a[i][i])))) return null;
        l[i][i] = Math.sqrt(s);
      } else l[i][j] = s / l[j][j];
    }
  }
  const y = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i][k] * y[k];
    y[i] = s / l[i][i];
  }
  const x = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k][i] * x[k];
    x[i] = s / l[i][i];
  }
  return x;
}

/** The inverse of a symmetric positive definite matrix, or null when singular. */
export function choleskyInverse(a: readonly number[][]): number[][] | null {
  const n = a.length;
  const columns: number[][] = [];
  for (let j = 0; j < n; j++) {
    const e = new Array<number>(n).fill(0);
    e[j] = 1;
    const c = choleskySolve(a, e);
    if (c === null) return null;
    columns.push(c);
  }
  return columns[0] ? columns[0].map((_, i) => columns.map((c) => c[i])) : [];
}

function sigmoid(t: number): number {
  return t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
}

/** One Newton step's pieces: gradient, information matrix and log-likelihood at `beta`. */
function newtonPieces(rows: readonly number[][], y: readonly number[], beta: readonly number[]) {
  const p = beta.length;
  const grad = new Array<number>(p).fill(0);
  const info = beta.map(() => new Array<number>(p).fill(0));
  let ll = 0;
  for (let i = 0; i < rows.length; i++) {
    const x = rows[i];
    let eta = 0;
    for (let j = 0; j < p; j++) eta += x[j] * beta[j];
    const mu = sigmoid(eta);
    ll += y[i] ? Math.min(0, eta) - Math.log1p(Math.exp(-Math.abs(eta))) : Math.min(0, -eta) -
      Math.log1p(Math.exp(-Math.abs(eta)));
    const w = mu * (1 - mu);
    for (let j = 0; j < p; j++) {
      grad[j] += x[j] * (y[i] - mu);
      for (let k = 0; k <= j; k++) info[j][k] += w * x[j] * x[k];
    }
  }
  for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) info[k][j] = info[j][k];
  return { grad, info, ll };
}

/**
 * Fit `P(y = 1) = 1 / (1 + exp(−(b₀ + x·b)))` by maximum likelihood (no penalty).
 *
 * Edge cases: a singular design (a constant or duplicated column, more columns than
 * rows) returns `NaN` coefficients with `reason`; perfect or quasi-perfect separation
 * shows as coefficients that keep growing: `converged` false (or |b| > 30) and `reason`.
 *
 * @param x Rows of predictors (one array per observation).
 * @param y Outcomes, 0 or 1, one per row.
 * @param options `intercept`, `tolerance`, `maxIterations`, `level`.
 * @returns Coefficients, standard errors, Wald intervals and p-values, and diagnostics.
 * @throws {RangeError} On mismatched lengths, ragged rows, non-finite values or y not 0/1.
 *
 * @example
 * ```ts
 * import { logisticRegression } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const x = [[1], [2], [3], [4], [5], [1], [2], [3], [4], [5]];
 * const y = [1, 1, 0, 1, 0, 1, 0, 0, 0, 0];
 * const fit = logisticRegression(x, y);
 * assert.ok(fit.converged && fit.coefficients[1] < 0);
 * ```
 */
export function logisticRegression(
  x: readonly (readonly number[])[],
  y: readonly number[],
  options: LogisticOptions = {},
): LogisticFit {
  const { intercept = true, tolerance = 1e-10, maxIterations = 100, level = 0.95 } = options;
  checkLevel("logisticRegression", level);
  checkDesign(x, y);
  const rows = x.map((r) => (intercept ? [1, ...r] : [...r]));
  const p = rows[0]?.length ?? 0;
  let beta = new Array<number>(p).fill(0);
  let iterations = 0;
  let converged = false;
  let pieces = newtonPieces(rows, y, beta);
  const nan = () => new Array<number>(p).fill(NaN);
  const failed = (reason: string): LogisticFit => ({
    coefficients: nan(),
    standardErrors: nan(),
    ci: nan().map(() => [NaN, NaN] as [number, number]),
    pValues: nan(),
    logLikelihood: NaN,
    iterations,
    converged: false,
    reason,
  });
  while (iterations < maxIterations) {
    const step = choleskySolve(pieces.info, pieces.grad);
    if (step === null) {
      return failed(
        iterations === 0
          ? "singular design: a predictor is constant or a combination of others"
          : "the information matrix became singular (separation: an outcome is perfectly predicted)",
      );
    }
    beta = beta.map((b, j) => b + step[j]);
    iterations++;
    pieces = newtonPieces(rows, y, beta);
    if (Math.max(...step.map(Math.abs)) < tolerance * Math.max(1, ...beta.map(Math.abs))) {
      converged = true;
      break;
    }
  }
  return summarizeFit(beta, pieces, iterations, converged, level);
}

function summarizeFit(
  beta: number[],
  pieces: { info: number[][]; ll: number },
  iterations: number,
  converged: boolean,
  level: number,
): LogisticFit {
  const cov = choleskyInverse(pieces.info);
  const se = beta.map((_, j) => (cov ? Math.sqrt(cov[j][j]) : NaN));
  const z = normalQuantile(1 - (1 - level) / 2);
  const fit: LogisticFit = {
    coefficients: beta,
    standardErrors: se,
    ci: beta.map((b, j) => [b - z * se[j], b + z * se[j]]),
    pValues: beta.map((b, j) => 2 * normalSf(Math.abs(b / se[j]))),
    logLikelihood: pieces.ll,
    iterations,
    converged,
  };
  if (!converged || beta.some((b) => Math.abs(b) > 30)) {
    fit.reason = "did not converge: coefficients keep growing (separation: an outcome is " +
      "perfectly or almost perfectly predicted)";
  }
  return fit;
}

function checkDesign(x: readonly (readonly number[])[], y: readonly number[]): void {
  if (x.length !== y.length) {
    throw new RangeError(
      `logisticRegression(): x and y must have the same length, got ${x.length} and ${y.length}`,
    );
  }
  const width = x[0]?.length ?? 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i].length !== width) {
      throw new RangeError(
        `logisticRegression(): x[${i}] must hold ${width} values, got ${x[i].length}`,
      );
    }
    for (let j = 0; j < width; j++) {
      if (!Number.isFinite(x[i][j])) {
        throw new RangeError(
          `logisticRegression(): x[${i}][${j}] must be a finite number, got ${x[i][j]}`,
        );
      }
    }
    if (y[i] !== 0 && y[i] !== 1) {
      throw new RangeError(`logisticRegression(): y[${i}] must be 0 or 1, got ${y[i]}`);
    }
  }
}

/**
 * Variance inflation factors of the columns of `x`: `1 / (1 − R²ⱼ)` from regressing each
 * column on the others (the diagonal of the inverse correlation matrix). Above 10, a
 * column's own effect cannot be told apart from the others'.
 *
 * Edge cases: `Infinity` for every column when the columns are exactly collinear (the
 * correlation matrix is singular) or a column is constant.
 *
 * @param x Rows of predictors, at least two rows.
 * @returns One VIF per column.
 *
 * @example
 * ```ts
 * import { varianceInflation } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const vif = varianceInflation([[1, 2], [2, 1], [3, 5], [4, 3]]);
 * assert.ok(vif.every((v) => v >= 1 && v < 10));
 * assert.deepEqual(varianceInflation([[1, 2], [2, 4], [3, 6]]), [Infinity, Infinity]);
 * ```
 */
export function varianceInflation(x: readonly (readonly number[])[]): number[] {
  const p = x[0]?.length ?? 0;
  const n = x.length;
  const means = Array.from({ length: p }, (_, j) => x.reduce((s, r) => s + r[j], 0) / n);
  const cov = Array.from(
    { length: p },
    (_, j) =>
      Array.from(
        { length: p },
        (_, k) => x.reduce((s, r) => s + (r[j] - means[j]) * (r[k] - means[k]), 0),
      ),
  );
  const sd = cov.map((row, j) => Math.sqrt(row[j]));
  if (sd.some((s) => !(s > 0))) return new Array<number>(p).fill(Infinity);
  const corr = cov.map((row, j) => row.map((c, k) => c / (sd[j] * sd[k])));
  const inv = choleskyInverse(corr);
  return inv ? inv.map((row, j) => row[j]) : new Array<number>(p).fill(Infinity);
}
