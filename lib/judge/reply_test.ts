import assert from "node:assert/strict";
import { DEFAULT_SCALE, parseJudgeReply, readScore, type ScoreScale } from "./reply.ts";

const ALL = (v: unknown) =>
  JSON.stringify({
    rationale: "r",
    scores: Object.fromEntries(DEFAULT_SCALE.dimensions.map((d) => [d, v])),
  });

Deno.test('parseJudgeReply() reads 4, "4", 4.0, "4.0" and "4/5" as 4, flagging the lenient ones', () => {
  for (
    const [v, lenient] of [[4, false], [4.0, false], ["4", true], ["4.0", true], ["4/5", true], [
      " 4 / 5 ",
      true,
    ]] as const
  ) {
    const r = parseJudgeReply(ALL(v));
    assert.ok(r.ok, JSON.stringify(v));
    assert.ok(Object.values(r.output.scores).every((s) => s === 4));
    assert.equal(r.lenient, lenient, JSON.stringify(v));
  }
});

Deno.test("parseJudgeReply() refuses out-of-scale, fractional, worded and foreign-scale scores, naming each", () => {
  for (
    const [v, words] of [
      [6, "received 6 (out of scale)"],
      ["0", 'received "0" (out of scale)'],
      [3.5, "received 3.5 (not a whole number)"],
      ["3.5", 'received "3.5"'],
      ["four", 'received "four"'],
      ["8/10", 'received "8/10"'],
      [null, "received null"],
    ] as const
  ) {
    const r = parseJudgeReply(ALL(v));
    assert.ok(!r.ok, JSON.stringify(v));
    assert.match(r.error, /^scores\.correctness: expected an integer from 1 to 5, /);
    assert.ok(r.error.includes(words), r.error);
  }
});

Deno.test("parseJudgeReply() names a missing dimension, a foreign one, and a missing rationale", () => {
  const r = parseJudgeReply(
    '{"scores":{"correctness":4,"relevance":4,"clarity":4,"calibration":4,"tone":4}}',
  );
  assert.ok(!r.ok);
  assert.match(r.error, /rationale: expected string, missing/);
  assert.match(r.error, /scores\.length: expected an integer from 1 to 5, missing/);
  assert.match(r.error, /scores\.tone: not a dimension of the rubric/);
});

Deno.test("parseJudgeReply() follows a rubric's own dimensions and scale (0–10)", () => {
  const scale: ScoreScale = { dimensions: ["accuracy", "tone"], min: 0, max: 10 };
  const ok = parseJudgeReply('{"rationale":"r","scores":{"accuracy":"7/10","tone":0}}', scale);
  assert.ok(ok.ok);
  assert.deepEqual(ok.output.scores, { accuracy: 7, tone: 0 });
  const bad = parseJudgeReply('{"rationale":"r","scores":{"accuracy":"4/5","tone":11}}', scale);
  assert.ok(!bad.ok);
  assert.match(bad.error, /scores\.accuracy: expected an integer from 0 to 10, received "4\/5"/);
  assert.match(bad.error, /scores\.tone: .*received 11 \(out of scale\)/);
});

Deno.test("parseJudgeReply() finds the object after a <think> block, in a fence or in prose", () => {
  const json =
    '{"rationale":"r","scores":{"correctness":4,"relevance":5,"clarity":3,"calibration":4,"length":5}}';
  for (
    const text of [
      `<think>{"not": "this"}</think>\n${json}`,
      "```json\n" + json + "\n```",
      `Here: ${json} done`,
    ]
  ) {
    assert.ok(parseJudgeReply(text).ok, text);
  }
  assert.match((parseJudgeReply("no json") as { error: string }).error, /^not a JSON object/);
});

Deno.test("readScore() says missing for an absent score", () => {
  assert.deepEqual(readScore(undefined, DEFAULT_SCALE), {
    problem: "expected an integer from 1 to 5, missing",
  });
});
