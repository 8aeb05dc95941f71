import assert from "node:assert/strict";
import { checkSelfJudging, modelFamily } from "./family.ts";

Deno.test("modelFamily() reads the family from common model names", () => {
  const cases: [string, string | null][] = [
    ["gpt-4o", "openai"],
    ["gpt-4o-mini-2024-07-18", "openai"],
    ["o1", "openai"],
    ["o3-mini", "openai"],
    ["o4-mini", "openai"],
    ["ft:gpt-4o-mini:acme::abc123", "openai"],
    ["openai/gpt-oss-120b", "openai"],
    ["claude-3-5-sonnet-20241022", "anthropic"],
    ["anthropic/claude-sonnet-4", "anthropic"],
    ["gemini-2.5-pro", "google"],
    ["gemma-2-9b-it", "google"],
    ["meta-llama/Llama-3.1-70B-Instruct", "meta"],
    ["llama3.2:3b", "meta"],
    ["mistral-small-ledgerly-v1", "mistral"],
    ["mixtral-8x7b", "mistral"],
    ["Qwen/Qwen2.5-72B-Instruct", "qwen"],
    ["deepseek-chat", "deepseek"],
    ["phi-3-mini", "microsoft"],
    ["command-r-plus", "cohere"],
    ["grok-2", "xai"],
    ["my-house-model", null],
    ["test-judge", null],
    ["olmo-2", "ai2"],
  ];
  for (const [name, family] of cases) assert.equal(modelFamily(name), family, name);
});

Deno.test("checkSelfJudging() refuses a judge of the judged model's family with a usage error", () => {
  assert.throws(
    () => checkSelfJudging("gpt-4o", ["gpt-4o-mini"]),
    (e: unknown) =>
      e instanceof RangeError &&
      /^Refusing to judge "gpt-4o-mini" with "gpt-4o": both are openai models \(self-judging\)/
        .test(e.message) &&
      e.message.includes("--allow-self-judge"),
  );
});

Deno.test("checkSelfJudging() allows it with allowSelfJudge and flags the run", () => {
  const check = checkSelfJudging("gpt-4o", ["gpt-4o-mini"], { allowSelfJudge: true });
  assert.equal(check.self_judged, true);
  assert.equal(check.judge_family, "openai");
});

Deno.test("checkSelfJudging() passes different families and reports unknown names", () => {
  const check = checkSelfJudging("claude-sonnet-4", ["mistral-small-ledgerly-v1", "house-bot"]);
  assert.equal(check.self_judged, false);
  assert.deepEqual(check.model_families, ["mistral", null]);
  assert.deepEqual(check.unknown, ["house-bot"]);
});

Deno.test("checkSelfJudging() uses explicit families over names", () => {
  assert.throws(
    () =>
      checkSelfJudging("house-judge", ["house-bot"], { judgeFamily: "Acme", modelFamily: "acme" }),
    /both are acme models/,
  );
  const ok = checkSelfJudging("gpt-4o", ["house-bot"], { modelFamily: "anthropic" });
  assert.equal(ok.self_judged, false);
});
