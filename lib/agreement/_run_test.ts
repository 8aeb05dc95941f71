import assert from "node:assert/strict";
import type { JudgeMeta } from "../artifact_kinds.ts";
import { DIMENSIONS, type HumanRating, type Judgment, type Scores } from "../schemas.ts";
import { agreementWarnings, comparisonDimensions, judgeWarnings } from "./_run.ts";
import { comparePrompts } from "./compare.ts";
import { type AgreementReport, computeAgreement } from "./compute.ts";

const report = (
  raters: string[],
  overlap: number,
  notInRun = 0,
  judgeFailed = 0,
): AgreementReport =>
  ({
    raters,
    items: { overlap, left_out: { not_in_run: notInRun, judge_failed: judgeFailed } },
  }) as unknown as AgreementReport;

Deno.test("agreementWarnings() names what was left out and why no human–human figures exist", () => {
  assert.deepEqual(agreementWarnings(report(["ana", "ben"], 10), {}), []);
  assert.deepEqual(
    agreementWarnings(report(["ana", "ben"], 10, 3, 2), { "a.csv": 1, "b.csv": 4 }),
    [
      "3 rated items are not in the run: left out",
      "2 rated items failed judging: left out",
      "5 unrated rows (no dimension scored) skipped",
    ],
  );
  assert.deepEqual(agreementWarnings(report(["ana"], 0), {}), [
    "one rater: no human–human agreement, so no ceiling to compare the judge with",
  ]);
  assert.deepEqual(agreementWarnings(report(["ana", "ben"], 0), {}), [
    "no item is rated by two raters: no human–human agreement",
  ]);
});

Deno.test("judgeWarnings() says when two runs cannot differ, and when they compare judges rather than prompts", () => {
  const meta = (judge_model: string, sha: string) =>
    ({ judge_model, prompt_sha256: sha.repeat(64) }) as JudgeMeta;
  assert.deepEqual(judgeWarnings(meta("m", "a"), meta("m", "a")), [
    "both runs used the same judge and prompt version: expect no difference",
  ]);
  assert.deepEqual(judgeWarnings(meta("m", "a"), meta("n", "a")), [
    'the runs used different judges ("m", "n"): this compares judges, not only prompts',
  ]);
  assert.deepEqual(judgeWarnings(meta("m", "a"), meta("n", "b")).length, 1);
  assert.deepEqual(judgeWarnings(meta("m", "a"), meta("m", "b")), [], "a new prompt: the point");
});

Deno.test("comparisonDimensions() shows both runs' verdicts, the primary difference and the new run's figures", () => {
  const same = (v: number): Scores => ({
    correctness: v,
    relevance: v,
    clarity: v,
    calibration: v,
    length: v,
  });
  const human = [5, 4, 4, 2, 1, 3, 5, 2, 3, 4, 1, 2];
  const run = (f: (v: number) => number): Judgment[] =>
    human.map((v, i) => ({
      item_id: `q${i}`,
      judge_model: "m",
      prompt_sha256: "0".repeat(64),
      scores: same(f(v)),
      rationale: "",
      usage: { prompt_tokens: 0, completion_tokens: 0 },
      status: "ok",
    }));
  const ratings: HumanRating[] = human.map((v, i) => ({
    item_id: `q${i}`,
    rater: "ana",
    ...same(v),
  }));
  const c = comparePrompts(run((v) => (v <= 2 ? 5 : v)), run((v) => v), ratings, {
    resamples: 200,
  });
  const dims = comparisonDimensions(c) as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(dims), [...DIMENSIONS]);
  const x = dims.correctness;
  assert.equal(x.verdict, c.new.dimensions.correctness.verdict);
  assert.equal(x.comparison, c.dimensions.correctness.verdict);
  assert.deepEqual(x.diff, c.dimensions.correctness.differences.adjacent);
  assert.deepEqual(x.old, {
    verdict: c.old.dimensions.correctness.verdict,
    value: c.old.dimensions.correctness.value,
    ci: c.old.dimensions.correctness.ci,
  });
  const alone = computeAgreement(run((v) => v), ratings, { resamples: 200 });
  assert.deepEqual(x.judge_vs_humans, alone.dimensions.correctness.judge_vs_humans);
});

Deno.test("rationaleFor() ends a part at the next label of the run's own dimensions", async () => {
  const { rationaleFor } = await import("./run.ts");
  const r = "faithfulness: every claim is in passage 2; tone: curt; citation_quality: cites [1]";
  assert.equal(rationaleFor(r, "tone", ["faithfulness", "citation_quality", "tone"]), "tone: curt");
  assert.equal(
    rationaleFor(r, "tone"),
    "tone: curt; citation_quality: cites [1]",
    "the kit's five do not know the rubric's labels",
  );
});
