/**
 * The judge's structured-output `response_format` is written out by hand (to keep
 * `openai/helpers/zod` off the start-up path); here it is checked against what the
 * openai package's own helper makes from the equivalent zod schema, byte for byte.
 */
import assert from "node:assert/strict";
import { z } from "zod";
import { zodResponseFormat } from "openai/helpers/zod";
import { JUDGE_RESPONSE_FORMAT, judgeResponseFormat } from "../lib/judge/judge.ts";
import { DIMENSIONS } from "../lib/schemas.ts";

function helperFormat(dimensions: readonly string[], min: number, max: number) {
  const score = z.number().int().min(min).max(max);
  const scores = z.object(Object.fromEntries(dimensions.map((d) => [d, score]))).strict();
  return zodResponseFormat(z.object({ rationale: z.string(), scores }), "judgment");
}

Deno.test("the judge's response_format equals openai's zodResponseFormat, for the kit's five and a rubric's own", () => {
  const cases: [readonly string[], number, number][] = [
    [DIMENSIONS, 1, 5],
    [["faithfulness", "citation_quality", "tone"], 1, 10],
    [["passes"], 0, 1],
  ];
  for (const [dimensions, min, max] of cases) {
    const ours = judgeResponseFormat({ dimensions: [...dimensions], min, max });
    assert.equal(JSON.stringify(ours), JSON.stringify(helperFormat(dimensions, min, max)));
  }
  assert.equal(
    JSON.stringify(JUDGE_RESPONSE_FORMAT),
    JSON.stringify(helperFormat(DIMENSIONS, 1, 5)),
  );
});
