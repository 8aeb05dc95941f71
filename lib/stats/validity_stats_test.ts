/**
 * The item-level validity statistics against scikit-learn, scipy and statsmodels
 * (tests/fixtures/stats/validity_references.json, made by make_validity_references.py).
 */
import assert from "node:assert/strict";
import raw from "../../tests/fixtures/stats/validity_references.json" with { type: "json" };
import { aucBootstrapCI, delongAuc, mannWhitneyAuc } from "./auc.ts";
import { wilsonInterval } from "./proportion.ts";
import { logisticRegression, varianceInflation } from "./logistic.ts";
import { assertClose, frozen } from "./_test_utils.ts";

const refs = raw as unknown as {
  auc: {
    name: string;
    positives: number[];
    negatives: number[];
    positive_weights?: number[];
    negative_weights?: number[];
    expected: { auc: number; mannwhitney_u?: number };
  }[];
  delong: {
    name: string;
    positives: number[];
    negatives: number[];
    level: number;
    expected: Record<string, number | null>;
    nan: string[];
  }[];
  wilson: {
    name: string;
    successes: number;
    n: number;
    level: number;
    expected: { estimate: number; lo: number; hi: number };
  }[];
  logistic: {
    name: string;
    x: number[][];
    y: number[];
    expected: { coefficients: number[]; standard_errors: number[]; log_likelihood: number };
  }[];
  vif: { name: string; x: number[][]; expected: number[] }[];
};

Deno.test("mannWhitneyAuc() matches roc_auc_score and mannwhitneyu's U / (n1·n0)", () => {
  assert.ok(refs.auc.length >= 10);
  for (const c of refs.auc) {
    const auc = mannWhitneyAuc(frozen([...c.positives]), frozen([...c.negatives]), {
      positiveWeights: c.positive_weights,
      negativeWeights: c.negative_weights,
    });
    assertClose(auc, c.expected.auc, `${c.name}: auc`);
    if (c.expected.mannwhitney_u !== undefined) {
      assertClose(
        auc * c.positives.length * c.negatives.length,
        c.expected.mannwhitney_u,
        `${c.name}: U`,
      );
    }
  }
});

Deno.test("mannWhitneyAuc() is NaN for an empty group and refuses bad weights", () => {
  assert.ok(Number.isNaN(mannWhitneyAuc([], [1, 2])));
  assert.ok(Number.isNaN(mannWhitneyAuc([1], [])));
  assert.throws(
    () => mannWhitneyAuc([1, 2], [1], { positiveWeights: [1] }),
    { name: "RangeError", message: /positiveWeights must hold one weight per score, got 1 for 2/ },
  );
  assert.throws(
    () => mannWhitneyAuc([1], [1], { negativeWeights: [0] }),
    { name: "RangeError", message: /negativeWeights\[0\] must be a positive number, got 0/ },
  );
  assert.throws(() => mannWhitneyAuc([NaN], [1]), {
    name: "RangeError",
    message: /positives\[0\] must be a finite number/,
  });
});

Deno.test("delongAuc() matches the DeLong (1988) reference, ties and tiny groups included", () => {
  assert.ok(refs.delong.some((c) => c.nan.includes("variance")));
  for (const c of refs.delong) {
    const r = delongAuc(c.positives, c.negatives, { level: c.level });
    for (const key of ["auc", "variance", "se", "lo", "hi"] as const) {
      const expected = c.expected[key];
      assert.equal(expected === null, c.nan.includes(key));
      assertClose(r[key], expected === null ? NaN : expected, `${c.name}: ${key}`);
    }
  }
});

Deno.test("aucBootstrapCI() is seeded and agrees with DeLong's interval on a large sample", () => {
  const c = refs.auc.find((x) => x.name.startsWith("integer scores, 400"))!;
  const a = aucBootstrapCI(c.positives, c.negatives, { resamples: 2000, seed: 5 });
  assert.deepEqual(aucBootstrapCI(c.positives, c.negatives, { resamples: 2000, seed: 5 }), a);
  assert.notDeepEqual(aucBootstrapCI(c.positives, c.negatives, { resamples: 2000, seed: 6 }), a);
  const d = delongAuc(c.positives, c.negatives);
  assert.equal(a.estimate, d.auc);
  // Two estimates of one interval: they agree to Monte Carlo and asymptotic error.
  assert.ok(Math.abs(a.lo - d.lo) < 0.02, `${a.lo} vs ${d.lo}`);
  assert.ok(Math.abs(a.hi - d.hi) < 0.02, `${a.hi} vs ${d.hi}`);
  const empty = aucBootstrapCI([], [1, 2]);
  assert.ok(Number.isNaN(empty.lo) && Number.isNaN(empty.hi));
});

Deno.test("aucBootstrapCI() resamples weights with their scores", () => {
  const c = refs.auc.find((x) => x.positive_weights !== undefined)!;
  const options = { positiveWeights: c.positive_weights, negativeWeights: c.negative_weights };
  const ci = aucBootstrapCI(c.positives, c.negatives, { ...options, resamples: 500, seed: 1 });
  assertClose(ci.estimate, c.expected.auc, "weighted estimate");
  assert.ok(ci.lo < ci.estimate && ci.estimate < ci.hi);
});

Deno.test("wilsonInterval() matches statsmodels' proportion_confint(method='wilson')", () => {
  for (const c of refs.wilson) {
    const w = wilsonInterval(c.successes, c.n, { level: c.level });
    assertClose(w.estimate, c.expected.estimate, `${c.name}: estimate`);
    assertClose(w.lo, c.expected.lo, `${c.name}: lo`);
    assertClose(w.hi, c.expected.hi, `${c.name}: hi`);
  }
  const none = wilsonInterval(0, 0);
  assert.ok(Number.isNaN(none.estimate) && Number.isNaN(none.lo));
  assert.throws(() => wilsonInterval(3, 2), {
    name: "RangeError",
    message: "wilsonInterval(): successes must be an integer between 0 and n = 2, got 3",
  });
});

Deno.test("logisticRegression() matches unpenalised scikit-learn and statsmodels' standard errors", () => {
  for (const c of refs.logistic) {
    const fit = logisticRegression(c.x, c.y);
    assert.ok(fit.converged, c.name);
    assert.equal(fit.reason, undefined, c.name);
    c.expected.coefficients.forEach((b, j) =>
      assertClose(fit.coefficients[j], b, `${c.name}: coefficient ${j}`, 1e-6)
    );
    c.expected.standard_errors.forEach((se, j) =>
      assertClose(fit.standardErrors[j], se, `${c.name}: se ${j}`, 1e-6)
    );
    assertClose(fit.logLikelihood, c.expected.log_likelihood, `${c.name}: log-likelihood`, 1e-9);
    fit.ci.forEach(([lo, hi], j) =>
      assert.ok(lo < fit.coefficients[j] && fit.coefficients[j] < hi)
    );
  }
});

Deno.test("logisticRegression() says when the design is singular or the outcome separated", () => {
  const y = [0, 1, 0, 1, 1, 0];
  const singular = logisticRegression([[1, 2], [2, 4], [3, 6], [1, 2], [2, 4], [5, 10]], y);
  assert.match(singular.reason!, /singular design/);
  assert.ok(singular.coefficients.every(Number.isNaN));
  const separated = logisticRegression([[1], [2], [3], [4], [5], [6]], [0, 0, 0, 1, 1, 1]);
  assert.equal(separated.converged && separated.reason === undefined, false);
  assert.match(separated.reason!, /separation/);
  assert.throws(() => logisticRegression([[1]], [2]), {
    name: "RangeError",
    message: "logisticRegression(): y[0] must be 0 or 1, got 2",
  });
});

Deno.test("varianceInflation() matches statsmodels' variance_inflation_factor", () => {
  for (const c of refs.vif) {
    const vif = varianceInflation(c.x);
    c.expected.forEach((v, j) => assertClose(vif[j], v, `${c.name}: VIF ${j}`, 1e-9));
  }
  assert.deepEqual(varianceInflation([[1, 5], [2, 5], [3, 5]]), [Infinity, Infinity]);
});
