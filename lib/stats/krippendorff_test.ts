import assert from "node:assert/strict";
import { krippendorffAlpha, type KrippendorffLevel } from "./krippendorff.ts";
import { assertClose, expectedOf, frozen, references } from "./_test_utils.ts";

const LEVELS: KrippendorffLevel[] = ["nominal", "ordinal", "interval", "ratio"];

for (const level of LEVELS) {
  Deno.test(`krippendorffAlpha() matches Krippendorff (2011) at the ${level} level`, () => {
    const cases = references.krippendorff_alpha.filter((c) => c.level === level);
    assert.ok(cases.length >= 8);
    for (const c of cases) {
      assertClose(krippendorffAlpha(c.data, { level }), expectedOf(c).alpha, c.name);
    }
  });
}

Deno.test("krippendorffAlpha() reproduces the published values of the paper's worked example", () => {
  const cases = references.krippendorff_alpha.filter((c) => c.published !== undefined);
  assert.equal(cases.length, 4);
  for (const c of cases) {
    const alpha = krippendorffAlpha(c.data, { level: c.level });
    assert.equal(alpha.toFixed(3), (c.published as number).toFixed(3), c.name);
  }
});

Deno.test("krippendorffAlpha() agrees with nltk's AnnotationTask where nltk gives a number", () => {
  let compared = 0;
  for (const c of references.krippendorff_alpha) {
    if (typeof c.nltk !== "number" || c.expected.alpha === null) continue;
    assertClose(krippendorffAlpha(c.data, { level: c.level }), c.nltk, `nltk: ${c.name}`);
    compared++;
  }
  assert.ok(compared >= 10);
});

Deno.test("krippendorffAlpha() returns NaN without pairable values or with a single value", () => {
  for (const level of LEVELS) {
    assert.ok(Number.isNaN(krippendorffAlpha([], { level })), `${level}: no raters`);
    assert.ok(Number.isNaN(krippendorffAlpha([[1, null], [null, 2]], { level })), level);
    assert.ok(Number.isNaN(krippendorffAlpha([[4, 4], [4, 4]], { level })), `${level}: D_e = 0`);
  }
});

Deno.test("krippendorffAlpha() treats null, undefined and NaN alike as missing", () => {
  const withNull = [[1, 2, 3, null, 2], [1, 3, 3, 4, null], [null, 2, 3, 4, 1]];
  const withOthers = [[1, 2, 3, undefined, 2], [1, 3, 3, 4, NaN], [NaN, 2, 3, 4, 1]];
  for (const level of LEVELS) {
    assert.equal(
      krippendorffAlpha(withOthers, { level }),
      krippendorffAlpha(withNull, { level }),
      level,
    );
  }
});

Deno.test("krippendorffAlpha() is 1 under perfect agreement and negative under systematic disagreement", () => {
  assert.equal(krippendorffAlpha([[1, 2, 3], [1, 2, 3]], { level: "interval" }), 1);
  assert.ok(krippendorffAlpha([[1, 2, 1, 2], [2, 1, 2, 1]], { level: "nominal" }) < 0);
});

Deno.test("krippendorffAlpha() rejects ragged rows, infinite values, bad levels and negative ratios", () => {
  assert.throws(() => krippendorffAlpha([[1, 2, 3], [1, 2]], { level: "nominal" }), {
    name: "RangeError",
    message:
      "krippendorffAlpha(): every rater must have one entry per item, got 2 in data[1] and 3 in data[0]",
  });
  assert.throws(() => krippendorffAlpha([[1, Infinity], [1, 2]], { level: "interval" }), {
    name: "RangeError",
    message: "krippendorffAlpha(): data[0][1] must be a finite number or null, got Infinity",
  });
  assert.throws(() => krippendorffAlpha([[1, -2], [1, 2]], { level: "ratio" }), {
    name: "RangeError",
    message: "krippendorffAlpha(): data[0][1] must be ≥ 0 at the ratio level, got -2",
  });
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => krippendorffAlpha([[1, 2], [1, 2]], { level: "rank" as any }),
    {
      name: "RangeError",
      message:
        'krippendorffAlpha(): level must be "nominal", "ordinal", "interval" or "ratio", got "rank"',
    },
  );
});

Deno.test("krippendorffAlpha() does not modify its input", () => {
  const data = frozen([[1, 2, null, 4], [1, 3, 3, null], [2, 2, 3, 4]]);
  for (const level of LEVELS) krippendorffAlpha(data, { level });
});

Deno.test("krippendorffAlpha() ordinal does not depend on the spacing of the values", () => {
  const data = [[1, 2, 3, 3, 2, 1, 4], [1, 2, 3, 3, 2, 2, 4], [null, 3, 3, 3, 2, 3, 4]];
  const stretched = data.map((row) => row.map((v) => (v === null ? null : v ** 3)));
  assertClose(
    krippendorffAlpha(stretched, { level: "ordinal" }),
    krippendorffAlpha(data, { level: "ordinal" }),
    "ordinal",
  );
});
