import assert from "node:assert/strict";
import { adjacentAgreement, cohenKappa, confusionMatrix, exactAgreement } from "./agreement.ts";
import { assertClose, expectedOf, frozen, references } from "./_test_utils.ts";

for (const weights of ["none", "linear", "quadratic"] as const) {
  const label = weights === "none" ? "without weights" : `with ${weights} weights`;
  Deno.test(`cohenKappa() matches scikit-learn ${label}`, () => {
    const cases = references.cohen_kappa.filter((c) => c.weights === weights);
    assert.ok(cases.length >= 8);
    for (const c of cases) {
      const kappa = cohenKappa(c.a, c.b, { weights, labels: c.labels });
      assertClose(kappa, expectedOf(c).kappa, c.name);
    }
  });
}

Deno.test("cohenKappa() returns NaN when both raters give one and the same label", () => {
  assert.ok(Number.isNaN(cohenKappa([3, 3, 3], [3, 3, 3])));
  assert.ok(Number.isNaN(cohenKappa([3, 3, 3], [3, 3, 3], { weights: "quadratic" })));
  assert.equal(cohenKappa([3, 3, 3], [4, 4, 4]), 0);
  assert.ok(Number.isNaN(cohenKappa([], [])));
});

Deno.test("cohenKappa() weights by label position, so labels change weighted kappa", () => {
  const a = [1, 2, 5, 5, 2, 1];
  const b = [2, 2, 5, 1, 1, 1];
  const byPosition = cohenKappa(a, b, { weights: "linear" });
  const withGap = cohenKappa(a, b, { weights: "linear", labels: [1, 2, 3, 4, 5] });
  assert.notEqual(byPosition, withGap);
  // Unweighted kappa ignores unused labels.
  assertClose(cohenKappa(a, b), cohenKappa(a, b, { labels: [1, 2, 3, 4, 5] }), "unweighted");
});

Deno.test("confusionMatrix() matches scikit-learn's confusion_matrix", () => {
  for (const c of references.confusion_matrix) {
    assert.deepEqual(confusionMatrix(c.a, c.b, c.labels), c.expected, c.name);
  }
});

Deno.test("agreement functions throw a RangeError when the raters' lengths differ", () => {
  const all = { cohenKappa, confusionMatrix, exactAgreement, adjacentAgreement };
  for (const [name, fn] of Object.entries(all)) {
    assert.throws(() => fn([1, 2, 3], [1, 2]), {
      name: "RangeError",
      message: `${name}(): a and b must have the same length, got 3 and 2`,
    });
  }
});

Deno.test("agreement functions throw a RangeError on a non-finite rating", () => {
  assert.throws(() => cohenKappa([1, NaN], [1, 2]), {
    name: "RangeError",
    message: "cohenKappa(): a[1] must be a finite number, got NaN",
  });
  assert.throws(() => exactAgreement([1, 2], [1, Infinity]), {
    name: "RangeError",
    message: "exactAgreement(): b[1] must be a finite number, got Infinity",
  });
});

Deno.test("cohenKappa() rejects labels that are empty, repeated or absent from a", () => {
  assert.throws(() => cohenKappa([1, 2], [1, 2], { labels: [] }), {
    name: "RangeError",
    message: "cohenKappa(): labels must not be empty",
  });
  assert.throws(() => cohenKappa([1, 2], [1, 2], { labels: [1, 2, 2] }), {
    name: "RangeError",
    message: "cohenKappa(): labels must be distinct, got 2 more than once",
  });
  assert.throws(() => cohenKappa([1, 2, 3], [1, 2, 3], { labels: [7, 8] }), {
    name: "RangeError",
    message: "cohenKappa(): at least one of labels [7, 8] must occur in a",
  });
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => cohenKappa([1, 2], [1, 2], { weights: "cubic" as any }),
    {
      name: "RangeError",
      message: 'cohenKappa(): weights must be "none", "linear" or "quadratic", got "cubic"',
    },
  );
});

Deno.test("exactAgreement() matches the share of equal pairs", () => {
  for (const c of references.exact_agreement) {
    assertClose(exactAgreement(c.a, c.b), expectedOf(c).share, c.name);
  }
});

Deno.test("adjacentAgreement() matches the share of pairs within the tolerance", () => {
  for (const c of references.adjacent_agreement) {
    assertClose(adjacentAgreement(c.a, c.b, c.tolerance), expectedOf(c).share, c.name);
  }
  assert.equal(adjacentAgreement([1, 3], [2, 5]), 0.5); // default tolerance 1
});

Deno.test("adjacentAgreement() rejects a negative or non-finite tolerance", () => {
  assert.throws(() => adjacentAgreement([1], [1], -1), {
    name: "RangeError",
    message: "adjacentAgreement(): tolerance must be a finite number ≥ 0, got -1",
  });
  assert.throws(() => adjacentAgreement([1], [1], NaN), RangeError);
});

Deno.test("agreement functions do not modify their inputs", () => {
  const a = frozen([1, 2, 3, 3]);
  const b = frozen([1, 3, 3, 2]);
  const labels = frozen([3, 2, 1]);
  cohenKappa(a, b, { weights: "quadratic", labels });
  confusionMatrix(a, b, labels);
  exactAgreement(a, b);
  adjacentAgreement(a, b);
});
