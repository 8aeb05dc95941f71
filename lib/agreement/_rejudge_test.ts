import assert from "node:assert/strict";
import { loadPrompt } from "../judge/prompt.ts";
import type { RunItem } from "../review/source.ts";
import type { Judgment } from "../schemas.ts";
import { itemsToRejudge, rejudgeMetaOf, type RunMeta, sameJudge, samePrompt } from "./_rejudge.ts";
import type { JudgeRun } from "../judge/run.ts";

const judgment = (item_id: string): Judgment => ({
  item_id,
  judge_model: "m",
  prompt_sha256: "0".repeat(64),
  scores: { correctness: 3, relevance: 3, clarity: 3, calibration: 3, length: 3 },
  rationale: "",
  usage: { prompt_tokens: 0, completion_tokens: 0 },
  status: "ok",
});
const entry = (id: string, response: string | null): RunItem => ({
  item: { id, query: `question ${id}`, stratum: "billing", source_id: `l-${id}` },
  response,
  model: "bot-1",
});

Deno.test("itemsToRejudge() takes the judged items the eval set holds with a response, in judgment order", () => {
  const items = new Map([
    ["q1", entry("q1", "answer 1")],
    ["q2", entry("q2", null)],
    ["q3", entry("q3", "answer 3")],
  ]);
  const again = itemsToRejudge(
    [judgment("q3"), judgment("q2"), judgment("q9"), judgment("q1")],
    items,
  );
  assert.deepEqual(
    again.items.map((i) => i.id),
    ["q3", "q1"],
    "q2 has no response, q9 is not in the set",
  );
  assert.deepEqual(again.responses, [
    { item_id: "q3", response: "answer 3", model: "bot-1" },
    { item_id: "q1", response: "answer 1", model: "bot-1" },
  ]);
});

Deno.test("sameJudge() keeps the run's judge settings: bands only for the heuristic judge, a null seed, one model family", () => {
  const meta = {
    judge_model: "gpt-judge",
    prompt_sha256: "a".repeat(64),
    temperature: 0.2,
    seed: null,
    self_judged: true,
    judge_family: "openai",
    model_family: { "bot-1": "acme", "bot-2": "acme" },
    prompt: { bands: { defaultBand: [10, 20] } },
  } as unknown as RunMeta;
  const options = sameJudge(meta, undefined, { budgetUsd: 1 });
  assert.equal(options.judge, "gpt-judge");
  assert.equal(options.temperature, 0.2);
  assert.equal(options.seed, null, "a run sent without a seed is re-judged without one");
  assert.equal(options.heuristic, undefined, "bands are the heuristic judge's only");
  assert.equal(options.allowSelfJudge, true);
  assert.equal(options.judgeFamily, "openai");
  assert.equal(options.modelFamily, "acme");
  assert.equal(options.budgetUsd, 1);
  const heuristic = sameJudge(
    {
      ...meta,
      judge_model: "heuristic",
      judge_family: "heuristic",
      seed: undefined,
      model_family: { a: "x", b: "y" },
    } as RunMeta,
    undefined,
    {},
  );
  assert.deepEqual(heuristic.heuristic, { defaultBand: [10, 20] });
  assert.equal(heuristic.seed, 0, "no recorded seed: the default 0");
  assert.equal(heuristic.judgeFamily, undefined);
  assert.equal(heuristic.modelFamily, undefined, "two model families: none to check against");
});

Deno.test("samePrompt() falls back to the bundled prompt of the same version and refuses another version", async () => {
  const bundled = await loadPrompt();
  const meta = {
    judge_model: "m",
    prompt_sha256: bundled.sha256,
    prompt: { path: "gone.md" },
  } as RunMeta;
  assert.equal((await samePrompt("runs/judge-1", meta)).sha256, bundled.sha256);
  await assert.rejects(
    () => samePrompt("runs/judge-1", { ...meta, prompt_sha256: "b".repeat(64) }),
    {
      name: "RangeError",
      message: `Cannot re-judge "runs/judge-1": its prompt "gone.md" (sha256 bbbbbbbbbbbb…) ` +
        "is not found unchanged; re-judging needs the same prompt version",
    },
  );
});

Deno.test("rejudgeMetaOf() names the manifest and the field when the run records no judge", () => {
  const run = {
    dir: "runs/judge-1",
    manifest: { meta: { prompt_sha256: "a".repeat(64) } },
  } as unknown as JudgeRun;
  assert.throws(() => rejudgeMetaOf(run), (e: Error) => {
    assert.equal(e.name, "TypeError");
    assert.match(e.message, /runs\/judge-1\/manifest\.json/);
    assert.match(e.message, /judge_model/);
    return true;
  });
});
