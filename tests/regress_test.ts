/**
 * Tests of the regression gate (`evalkit regress`) and of `evalkit regress add`.
 * LLM calls go to the local OpenAI-compatible test server, never a live API.
 */
import assert from "node:assert/strict";
import { sha256 } from "../lib/_hash.ts";
import { readManifest, verifyArtifact, writeArtifact } from "../lib/artifacts.ts";
import { toJsonl } from "../lib/io/write.ts";
import { readRecords } from "../lib/io/read.ts";
import { RegressionCase, type Response } from "../lib/schemas.ts";
import { buildJudgeMessages, loadPrompt } from "../lib/judge/prompt.ts";
import { checkCase, normalizePhrase, normalizeQuery } from "../lib/regress/checks.ts";
import { caseToJudgeItem, gateVerdict, readCases, runGate } from "../lib/regress/gate.ts";
import { addCase, nextCaseId } from "../lib/regress/add.ts";
import { startOpenAIServer } from "../lib/testing/openai_server.ts";
import { runCliJson } from "../lib/testing/cli.ts";

const DEMO = new URL("../data/demo/", import.meta.url).pathname;
const CASES = `${DEMO}regression_cases.jsonl`;
const RELEASES = ["r01", "r02", "r03", "r04", "r05", "r06", "r07", "r08", "r09", "r10"];

const cli = runCliJson;

function jsonl<T>(path: string): T[] {
  return Deno.readTextFileSync(path).trimEnd().split("\n").map((l) => JSON.parse(l) as T);
}

const SCORES = { correctness: 4, relevance: 4, clarity: 4, calibration: 4, length: 4 };
const CASE: RegressionCase = {
  id: "case-001",
  query: "Can I undo a void?",
  expected_behavior: "Says a voided invoice cannot be undone; never points to Settings > Labs.",
  added_on: "2026-06-04",
  source: "INC-1",
  min_scores: { correctness: 3, calibration: 3 },
  must_include: ["cannot be undone"],
  must_not_include: ["Settings > Labs"],
};

function response(item_id: string, text: string, model = "mistral-medium-ledgerly-v9"): Response {
  return {
    item_id,
    model,
    response: text,
    latency_ms: 10,
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  };
}

// ---------------------------------------------------------------- the checks

Deno.test("checkCase() passes a case whose scores and phrases are all fine", () => {
  const r = checkCase(CASE, { response: "A voided invoice cannot be undone.", scores: SCORES });
  assert.deepEqual(r, { id: "case-001", passed: true, failures: [], reason: "" });
});

Deno.test("checkCase() fails a dimension below its min_scores, naming score and minimum", () => {
  const r = checkCase(CASE, {
    response: "A voided invoice cannot be undone.",
    scores: { ...SCORES, calibration: 2 },
  });
  assert.equal(r.passed, false);
  assert.deepEqual(r.failures, [{ kind: "min_score", dimension: "calibration", min: 3, got: 2 }]);
  assert.equal(r.reason, "calibration 2 < 3");
  // A dimension without a minimum may score anything.
  assert.equal(
    checkCase(CASE, {
      response: "It cannot be undone.",
      scores: { ...SCORES, length: 1, clarity: 1 },
    }).passed,
    true,
  );
});

Deno.test("checkCase() matches phrases case-insensitively after normalising whitespace", () => {
  const found = checkCase(CASE, {
    response: "Sorry: a voided invoice CANNOT\n  be   UNDONE.",
    scores: SCORES,
  });
  assert.equal(found.passed, true, found.reason);
  const missing = checkCase(CASE, { response: "A void can't be reversed.", scores: SCORES });
  assert.equal(missing.reason, 'missing "cannot be undone"');
  const forbidden = checkCase(CASE, {
    response: "It cannot be undone, but try settings\t>   LABS.",
    scores: SCORES,
  });
  assert.equal(forbidden.reason, 'says "Settings > Labs"');
  assert.equal(
    normalizePhrase("Ｓettings\u00a0> Labs"),
    "settings > labs",
    "NFKC folds full-width and no-break space",
  );
});

Deno.test("checkCase() lists every failed check in order: min_scores, must_include, must_not_include", () => {
  const r = checkCase(CASE, {
    response: "Just open Settings > Labs.",
    scores: { ...SCORES, correctness: 1, calibration: 2 },
  });
  assert.equal(
    r.reason,
    'correctness 1 < 3; calibration 2 < 3; missing "cannot be undone"; says "Settings > Labs"',
  );
});

Deno.test("checkCase() fails a case with no response, and one with min_scores whose judgment failed", () => {
  const none = checkCase(CASE, { response: null, scores: null, responseError: "refused: policy" });
  assert.deepEqual(none.failures, [{ kind: "no_response", error: "refused: policy" }]);
  assert.equal(none.reason, "no response (refused: policy)");
  const unjudged = checkCase(CASE, {
    response: "It cannot be undone.",
    scores: null,
    judgeError: "invalid JSON twice",
  });
  assert.equal(unjudged.reason, "not judged (invalid JSON twice)");
  const phrasesOnly = { ...CASE, min_scores: undefined };
  assert.equal(
    checkCase(phrasesOnly, { response: "It cannot be undone.", scores: null }).passed,
    true,
    "without min_scores a failed judgment cannot fail the case",
  );
});

Deno.test("checkCase() with the demo's true scores fails as many cases per release as data/demo/README.md says", async () => {
  const cases = await readCases(CASES);
  const expected = [21, 24, 16, 25, 11, 9, 7, 3, 8, 4];
  const got = RELEASES.map((r) => {
    const text = new Map(
      jsonl<Response>(`${DEMO}case_responses/${r}.jsonl`).map((x) => [x.item_id, x.response]),
    );
    const truth = new Map(
      jsonl<{ item_id: string; scores: typeof SCORES }>(`${DEMO}truth/cases/${r}.jsonl`)
        .map((x) => [x.item_id, x.scores]),
    );
    return cases.filter((c) =>
      !checkCase(c, { response: text.get(String(c.id))!, scores: truth.get(String(c.id))! }).passed
    ).length;
  });
  assert.deepEqual(got, expected);
});

Deno.test("gateVerdict() counts regressions against the baseline; without one any failure fails", () => {
  const now = [
    { id: "a", passed: false, failures: [], reason: 'missing "x"' },
    { id: "b", passed: true, failures: [], reason: "" },
    { id: "c", passed: false, failures: [], reason: "correctness 2 < 3" },
    { id: "d", passed: false, failures: [], reason: 'says "y"' },
  ];
  const v = gateVerdict(now, new Map([["a", true], ["b", false], ["c", false]]));
  assert.equal(v.verdict, "failed");
  assert.deepEqual(v.regressions, [{ id: "a", reason: 'missing "x"' }]);
  assert.deepEqual(v.fixed, ["b"]);
  assert.deepEqual(v.still_failing, ["c"]);
  assert.deepEqual(v.new_failing, ["d"], "a case added since the baseline is not a regression");
  const noRegression = gateVerdict(now.slice(1), new Map([["b", true], ["c", false]]));
  assert.equal(
    noRegression.verdict,
    "passed",
    "still-failing and new cases do not fail a baselined gate",
  );
  const alone = gateVerdict(now, null);
  assert.equal(alone.verdict, "failed");
  assert.deepEqual(alone.new_failing, ["a", "c", "d"]);
  assert.equal(gateVerdict([now[1]], null).verdict, "passed");
});

Deno.test("caseToJudgeItem() puts the case's expected behaviour into the judge's prompt", async () => {
  const prompt = await loadPrompt();
  const item = caseToJudgeItem(CASE);
  assert.equal(item.expected_behavior, CASE.expected_behavior);
  const [, user] = buildJudgeMessages(prompt, item, "It cannot be undone.");
  assert.match(user.content, /Expected behaviour \(a known past failure/);
  assert.ok(user.content.includes(CASE.expected_behavior));
});

// ---------------------------------------------------------------- the gate on the demo world

Deno.test("evalkit regress on the demo: r09 regresses on the six r08-passing cases the truth says, listed with reasons, exit 1", async () => {
  const out = await Deno.makeTempDir({ prefix: "evalkit-regress-" });
  const base = await cli([
    "regress",
    "--cases",
    CASES,
    "--responses",
    `${DEMO}case_responses/r08.jsonl`,
    "--judge",
    "heuristic",
    "--out",
    out,
  ]);
  assert.equal(base.code, 1, "no baseline: a failing case fails the gate");
  assert.equal(base.json.cases, 30);
  assert.equal(base.json.failed, 3, "r08 fails 3 cases, as the demo's true scores do");
  assert.deepEqual(base.json.regressions, []);
  const gate = await cli([
    "regress",
    "--cases",
    CASES,
    "--responses",
    `${DEMO}case_responses/r09.jsonl`,
    "--judge",
    "heuristic",
    "--baseline",
    base.json.artifact as string,
    "--out",
    out,
  ]);
  assert.equal(gate.code, 1, gate.stderr);
  for (const key of ["artifact", "cases", "failed", "regressions"]) {
    assert.ok(key in gate.json, key);
  }
  assert.equal(gate.json.failed, 8, "r09 fails 8 cases, as the demo's true scores do");
  assert.deepEqual(gate.json.regressions, [
    { id: "case-001", reason: "calibration 2 < 3" },
    {
      id: "case-011",
      reason: 'correctness 1 < 3; missing "Settings > Developers"; says "URL query string"',
    },
    { id: "case-013", reason: 'correctness 1 < 3; missing "which screen"' },
    { id: "case-014", reason: "calibration 2 < 3" },
    { id: "case-021", reason: "calibration 2 < 3" },
    {
      id: "case-025",
      reason:
        'correctness 2 < 3; missing "Payments > Refund"; says "instant on all payment methods"',
    },
  ]);
  assert.deepEqual(gate.json.fixed, ["case-004"]);
  assert.deepEqual(gate.json.still_failing, ["case-008", "case-016"]);
  assert.match(
    gate.stderr,
    /regression case-011: correctness 1 < 3; missing "Settings > Developers"/,
  );
  const dir = gate.json.artifact as string;
  assert.match(dir, /\/gate-[0-9a-f]{12}$/);
  assert.deepEqual(await verifyArtifact(dir), []);
  const manifest = await readManifest(dir);
  assert.equal(manifest.kind, "gate");
  assert.equal(manifest.command, "regress");
  const report = JSON.parse(await Deno.readTextFile(`${dir}/gate.json`));
  assert.equal(report.verdict, "failed");
  assert.equal(report.results.length, 30);
  assert.equal(report.baseline.artifact, (base.json.artifact as string).split("/").pop());
  assert.equal(jsonl(`${dir}/judgments.jsonl`).length, 30);
});

Deno.test("evalkit regress passes (exit 0) against a baseline the version does not regress on, and reruns byte-identically", async () => {
  const out = await Deno.makeTempDir({ prefix: "evalkit-regress-" });
  const args = (extra: string[]) => [
    "regress",
    "--cases",
    CASES,
    "--responses",
    `${DEMO}case_responses/r08.jsonl`,
    "--judge",
    "heuristic",
    "--out",
    out,
    ...extra,
  ];
  const base = await cli(args([]));
  const same = await cli(args(["--baseline", base.json.artifact as string]));
  assert.equal(same.code, 0, same.stderr);
  assert.deepEqual(same.json.regressions, []);
  assert.deepEqual(same.json.still_failing, ["case-004", "case-008", "case-016"]);
  const gateJson = await Deno.readTextFile(`${same.json.artifact}/gate.json`);
  const again = await cli(args(["--baseline", base.json.artifact as string]));
  assert.equal(again.code, 0);
  assert.equal(again.json.artifact, same.json.artifact);
  assert.equal(again.json.reused, true);
  assert.equal(await Deno.readTextFile(`${again.json.artifact}/gate.json`), gateJson);
});

Deno.test("runGate() fails a case the responses file does not answer, and reads a responses artifact folder", async () => {
  const root = await Deno.makeTempDir({ prefix: "evalkit-regress-" });
  await Deno.writeTextFile(
    `${root}/cases.jsonl`,
    toJsonl([CASE, { ...CASE, id: "case-002", query: "Other?" }]),
  );
  const artifact = await writeArtifact({
    kind: "responses",
    out: `${root}/in`,
    command: "generate",
    params: {},
    files: { "responses.jsonl": toJsonl([response("case-001", "It cannot be undone.")]) },
  });
  const gate = await runGate({
    cases: `${root}/cases.jsonl`,
    responses: artifact.dir,
    judge: "heuristic",
    out: `${root}/runs`,
  });
  assert.equal(gate.exitCode, 1);
  const failing = gate.report!.results.filter((r) => !r.passed);
  assert.deepEqual(failing.map((r) => r.id), ["case-002"]);
  assert.match(failing[0].reason, /^no response \(none in .*responses\.jsonl\)$/);
});

// ---------------------------------------------------------------- the gate with a model under test

Deno.test("evalkit regress --model generates each case's answer and judges it through the test server", async () => {
  const root = await Deno.makeTempDir({ prefix: "evalkit-regress-" });
  const cases = [
    CASE,
    {
      ...CASE,
      id: "case-002",
      query: "How do I refund a client?",
      must_include: ["Payments > Refund"],
      must_not_include: undefined,
    },
    {
      ...CASE,
      id: "case-003",
      query: undefined,
      messages: [
        { role: "user" as const, content: "how do I add a teammate" },
        { role: "assistant" as const, content: "Settings > Team." },
        { role: "user" as const, content: "and remove one?" },
      ],
      must_include: ["Remove"],
      must_not_include: undefined,
    },
  ];
  await Deno.writeTextFile(`${root}/cases.jsonl`, toJsonl(cases));
  const server = await startOpenAIServer({
    answer: (messages) => {
      const last = messages[messages.length - 1].content;
      if (last.includes("undo")) return "A voided invoice cannot be undone.";
      if (last.includes("refund")) return "I'm 100% sure: open Settings > Labs.";
      return "Open Settings > Team and choose Remove.";
    },
    scores: (text) =>
      text.includes("100% sure")
        ? { correctness: 1, relevance: 3, clarity: 4, calibration: 1, length: 4 }
        : { correctness: 5, relevance: 5, clarity: 5, calibration: 5, length: 5 },
  });
  try {
    const args = [
      "regress",
      "--cases",
      `${root}/cases.jsonl`,
      "--model",
      "mistral-small-ledgerly-v3",
      "--base-url",
      server.url,
      "--judge",
      "gpt-4o-mini",
      "--judge-base-url",
      server.url,
      "--out",
      `${root}/runs`,
    ];
    const first = await cli(args);
    assert.equal(first.code, 1, first.stderr);
    assert.equal(first.json.requests, 6, "3 answers generated + 3 judgments");
    assert.equal(server.chatRequests(), 6);
    assert.deepEqual(first.json.failing, [{
      id: "case-002",
      reason: 'correctness 1 < 3; calibration 1 < 3; missing "Payments > Refund"',
    }]);
    const dir = first.json.artifact as string;
    const generated = jsonl<Response>(`${dir}/responses.jsonl`);
    assert.equal(generated.length, 3);
    assert.equal(generated[0].model, "mistral-small-ledgerly-v3");
    const judgments = jsonl<{ judge_model: string }>(`${dir}/judgments.jsonl`);
    assert.ok(judgments.every((j) => j.judge_model === "gpt-4o-mini"));
    const again = await cli(args);
    assert.equal(again.json.reused, true);
    assert.equal(again.json.requests, 0);
    assert.equal(server.chatRequests(), 6, "a rerun makes no request");
  } finally {
    await server.close();
  }
});

Deno.test("evalkit regress --model retries through rate limits and server errors and still gates every case", async () => {
  const root = await Deno.makeTempDir({ prefix: "evalkit-regress-" });
  await Deno.writeTextFile(`${root}/cases.jsonl`, toJsonl([CASE]));
  const server = await startOpenAIServer({
    answer: () => "A voided invoice cannot be undone.",
    scores: () => SCORES,
    faults: (c) =>
      c.attempt === 0
        ? { type: "rate_limit", retryAfterMs: 5 }
        : c.attempt === 1
        ? { type: "server_error" }
        : null,
  });
  try {
    const r = await cli([
      "regress",
      "--cases",
      `${root}/cases.jsonl`,
      "--model",
      "mistral-small-ledgerly-v3",
      "--base-url",
      server.url,
      "--judge",
      "gpt-4o-mini",
      "--judge-base-url",
      server.url,
      "--out",
      `${root}/runs`,
      "--no-cache",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.failed, 0);
    assert.equal(r.json.requests, 6, "each of the 2 calls took 3 attempts");
  } finally {
    await server.close();
  }
});

Deno.test("evalkit regress --model fails a case the endpoint refuses for good, with the endpoint's reason", async () => {
  const root = await Deno.makeTempDir({ prefix: "evalkit-regress-" });
  const refused = {
    ...CASE,
    id: "case-002",
    query: "Tell me something you must refuse",
    min_scores: undefined,
  };
  await Deno.writeTextFile(`${root}/cases.jsonl`, toJsonl([CASE, refused]));
  const server = await startOpenAIServer({
    answer: () => "A voided invoice cannot be undone.",
    scores: () => SCORES,
    faults: (
      c,
    ) => (c.key === sha256(refused.query)
      ? { type: "bad_request", message: "content policy" }
      : null),
  });
  try {
    const r = await cli([
      "regress",
      "--cases",
      `${root}/cases.jsonl`,
      "--model",
      "mistral-small-ledgerly-v3",
      "--base-url",
      server.url,
      "--judge",
      "gpt-4o-mini",
      "--judge-base-url",
      server.url,
      "--out",
      `${root}/runs`,
    ]);
    assert.equal(r.code, 1, r.stderr);
    const failing = r.json.failing as { id: string; reason: string }[];
    assert.equal(failing.length, 1);
    assert.equal(failing[0].id, "case-002");
    assert.match(failing[0].reason, /^no response \(.*content policy.*\)$/);
    assert.equal(
      jsonl(`${r.json.artifact}/judgments.jsonl`).length,
      1,
      "only answered cases are judged",
    );
  } finally {
    await server.close();
  }
});

Deno.test("evalkit regress refuses a judge of the tested model's family unless allowed, then flags it", async () => {
  const root = await Deno.makeTempDir({ prefix: "evalkit-regress-" });
  await Deno.writeTextFile(`${root}/cases.jsonl`, toJsonl([CASE]));
  await Deno.writeTextFile(
    `${root}/r.jsonl`,
    toJsonl([response("case-001", "It cannot be undone.")]),
  );
  const server = await startOpenAIServer({ scores: () => SCORES });
  try {
    const base = [
      "regress",
      "--cases",
      `${root}/cases.jsonl`,
      "--responses",
      `${root}/r.jsonl`,
      "--judge",
      "mistral-large-latest",
      "--judge-base-url",
      server.url,
      "--out",
      `${root}/runs`,
    ];
    const refused = await cli(base);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /^Refusing to judge "mistral-medium-ledgerly-v9" with "mistral-large-latest": both are mistral models/m,
    );
    const allowed = await cli([...base, "--allow-self-judge"]);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal(allowed.json.self_judged, true);
    const report = JSON.parse(await Deno.readTextFile(`${allowed.json.artifact}/gate.json`));
    assert.equal(report.judge.self_judged, true);
    assert.match(report.warnings[0], /^self-judged: the judge "mistral-large-latest"/);
  } finally {
    await server.close();
  }
});

// ---------------------------------------------------------------- bad usage and bad input

Deno.test("evalkit regress reports bad usage and bad input with exit 2, naming file, line and field", async () => {
  const root = await Deno.makeTempDir({ prefix: "evalkit-regress-" });
  await Deno.writeTextFile(`${root}/cases.jsonl`, toJsonl([CASE]));
  const r08 = `${DEMO}case_responses/r08.jsonl`;
  const both = await cli([
    "regress",
    "--cases",
    CASES,
    "--model",
    "m",
    "--responses",
    r08,
    "--judge",
    "heuristic",
    "--out",
    root,
  ]);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /^Give exactly one of --model M and --responses DIR/);
  const neither = await cli(["regress", "--cases", CASES, "--judge", "heuristic", "--out", root]);
  assert.equal(neither.code, 2);
  assert.match(neither.stderr, /^Give exactly one of --model M and --responses DIR/);
  const noJudge = await cli(["regress", "--cases", CASES, "--responses", r08, "--out", root]);
  assert.equal(noJudge.code, 2);
  assert.match(noJudge.stderr, /^Missing required flag --judge/);

  await Deno.writeTextFile(
    `${root}/stray.jsonl`,
    toJsonl([response("case-001", "x"), response("case-999", "y")]),
  );
  const stray = await cli([
    "regress",
    "--cases",
    `${root}/cases.jsonl`,
    "--responses",
    `${root}/stray.jsonl`,
    "--judge",
    "heuristic",
    "--out",
    root,
  ]);
  assert.equal(stray.code, 2);
  assert.match(
    stray.stderr,
    /^Cannot read ".*stray\.jsonl": line 2: field "item_id": no regression case has id "case-999"/,
  );

  await Deno.writeTextFile(
    `${root}/bad_cases.jsonl`,
    JSON.stringify(CASE) + "\n" +
      JSON.stringify({ ...CASE, id: "case-002", expected_behavior: "" }) + "\n",
  );
  const badCases = await cli([
    "regress",
    "--cases",
    `${root}/bad_cases.jsonl`,
    "--responses",
    r08,
    "--judge",
    "heuristic",
    "--out",
    root,
  ]);
  assert.equal(badCases.code, 2);
  assert.match(
    badCases.stderr,
    /^Cannot read ".*bad_cases\.jsonl": line 2: field "expected_behavior": expected >= 1 characters/,
  );

  const notGate = await writeArtifact({
    kind: "comparison",
    out: `${root}/in`,
    command: "compare",
    params: {},
    files: { "comparison.json": "{}\n" },
  });
  const wrongBaseline = await cli([
    "regress",
    "--cases",
    CASES,
    "--responses",
    r08,
    "--judge",
    "heuristic",
    "--baseline",
    notGate.dir,
    "--out",
    root,
  ]);
  assert.equal(wrongBaseline.code, 2);
  assert.match(
    wrongBaseline.stderr,
    /^Cannot read ".*comparison-[0-9a-f]+": a comparison artifact, not a gate artifact/,
  );
  const missingBaseline = await cli([
    "regress",
    "--cases",
    CASES,
    "--responses",
    r08,
    "--judge",
    "heuristic",
    "--baseline",
    `${root}/nope`,
    "--out",
    root,
  ]);
  assert.equal(missingBaseline.code, 2);
  assert.match(
    missingBaseline.stderr,
    /^Cannot read ".*nope": no such folder; --baseline takes a gate artifact/,
  );
});

// ---------------------------------------------------------------- regress add

async function addSetup() {
  const root = await Deno.makeTempDir({ prefix: "evalkit-regress-add-" });
  const items = [
    {
      id: "item-1",
      query: "How do I refund jane.doe@example.com? she paid twice",
      stratum: "billing",
      source_id: "log-1",
    },
    {
      id: "item-2",
      messages: [
        { role: "user", content: "my card 4111 1111 1111 1111 was charged twice" },
        { role: "assistant", content: "Sorry about that." },
        { role: "user", content: "can you refund it" },
      ],
      stratum: "billing",
      source_id: "log-2",
    },
    { id: "item-3", query: "Can I undo a void?!", stratum: "billing", source_id: "log-3" },
  ];
  const evalset = await writeArtifact({
    kind: "evalset",
    out: `${root}/in`,
    command: "sample",
    params: {},
    files: { "evalset.jsonl": toJsonl(items) },
  });
  const run = await writeArtifact({
    kind: "judge",
    out: `${root}/in`,
    command: "judge",
    params: {},
    files: { "judgments.jsonl": "" },
    meta: { evalset: { path: evalset.dir, file: `${evalset.dir}/evalset.jsonl` } },
  });
  const cases = `${root}/cases.jsonl`;
  await Deno.writeTextFile(
    cases,
    toJsonl([CASE, { ...CASE, id: "case-007", query: "Something else?" }]),
  );
  return { root, cases, run: run.dir, evalset: evalset.dir };
}

Deno.test("evalkit regress add appends an anonymised, dated case with the next id, never rewriting the file", async () => {
  const t = await addSetup();
  const before = await Deno.readFile(t.cases);
  const r = await cli([
    "regress",
    "add",
    "--cases",
    t.cases,
    "--from-run",
    t.run,
    "--item",
    "item-1",
    "--expected",
    "Explains Payments > Refund for jane.doe@example.com's double charge.",
    "--source",
    "INC-123",
    "--must-include",
    "Payments > Refund",
    "--must-not-include",
    "cannot be refunded",
    "--min-score",
    "relevance=4",
  ]);
  assert.equal(r.code, 0, r.stderr);
  const after = await Deno.readFile(t.cases);
  assert.deepEqual(after.subarray(0, before.length), before, "the existing bytes are untouched");
  const cases = await readRecords(t.cases, RegressionCase, { key: ["id"] });
  assert.equal(cases.length, 3);
  const added = cases[2];
  assert.equal(added.id, "case-008");
  assert.equal(added.query, "How do I refund <EMAIL_1>? she paid twice");
  assert.equal(
    added.expected_behavior,
    "Explains Payments > Refund for <EMAIL_1>'s double charge.",
  );
  assert.equal(added.source, "INC-123");
  assert.match(added.added_on, /^\d{4}-\d{2}-\d{2}$/);
  assert.deepEqual(added.min_scores, { relevance: 4 });
  assert.deepEqual(added.must_include, ["Payments > Refund"]);
  assert.deepEqual(added.must_not_include, ["cannot be refunded"]);
  assert.equal((r.json.pii as Record<string, number>).email, 2);
  assert.match(
    r.stderr,
    /warning: item "item-1" is in the eval set .*: sample the next eval set with --exclude/,
  );
  const valid = await cli(["validate", "--kind", "cases", t.cases]);
  assert.equal(valid.code, 0, valid.stderr);
});

Deno.test("addCase() dates the case with the day now gives, anonymises every turn, and defaults to correctness 3", async () => {
  const t = await addSetup();
  const r = await addCase(t.cases, t.evalset, {
    item: "item-2",
    expected: "Offers a refund of the duplicate charge.",
    source: "TICKET-9",
    now: () => new Date("2026-09-14T23:30:00Z"),
  });
  assert.equal(r.case.added_on, "2026-09-14");
  assert.equal(r.case.messages![0].content, "my card <CARD_1> was charged twice");
  assert.equal(r.case.messages!.length, 3);
  assert.deepEqual(r.case.min_scores, { correctness: 3 });
  assert.equal(r.created, false);
  assert.equal(r.cases, 3);
});

Deno.test("evalkit regress add refuses a duplicate id and a duplicate normalised query, leaving the file as it was", async () => {
  const t = await addSetup();
  const before = await Deno.readTextFile(t.cases);
  const sameId = await cli([
    "regress",
    "add",
    "--cases",
    t.cases,
    "--from-run",
    t.run,
    "--item",
    "item-1",
    "--expected",
    "x",
    "--source",
    "INC-1",
    "--id",
    "case-007",
  ]);
  assert.equal(sameId.code, 2);
  assert.match(
    sameId.stderr,
    /^Refusing to add "case-007" to ".*cases\.jsonl": a case with this id exists/,
  );
  const sameQuery = await cli([
    "regress",
    "add",
    "--cases",
    t.cases,
    "--from-run",
    t.run,
    "--item",
    "item-3",
    "--expected",
    "x",
    "--source",
    "INC-2",
  ]);
  assert.equal(sameQuery.code, 2);
  assert.match(
    sameQuery.stderr,
    /^Refusing to add item "item-3" to ".*": its query is already case "case-001"/,
  );
  assert.equal(
    normalizeQuery({ query: "Can I undo a void?!" }),
    normalizeQuery({ query: "can i  undo a VOID" }),
  );
  assert.equal(await Deno.readTextFile(t.cases), before);
});

Deno.test("evalkit regress add creates a missing file, completes a last line without newline, and reports bad input with exit 2", async () => {
  const t = await addSetup();
  const fresh = `${t.root}/new_cases.jsonl`;
  const created = await cli([
    "regress",
    "add",
    "--cases",
    fresh,
    "--from-run",
    t.evalset,
    "--item",
    "item-3",
    "--expected",
    "Says voids are final.",
    "--source",
    "INC-5",
  ]);
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.json.created, true);
  assert.equal((created.json.case as RegressionCase).id, "case-001");

  const noNewline = `${t.root}/no_newline.jsonl`;
  await Deno.writeTextFile(noNewline, JSON.stringify(CASE));
  const appended = await addCase(noNewline, t.evalset, {
    item: "item-1",
    expected: "x y",
    source: "INC-6",
  });
  assert.equal(appended.case.id, "case-002");
  assert.equal((await readRecords(noNewline, RegressionCase)).length, 2);

  const unknown = await cli([
    "regress",
    "add",
    "--cases",
    t.cases,
    "--from-run",
    t.run,
    "--item",
    "item-404",
    "--expected",
    "x",
    "--source",
    "INC-1",
  ]);
  assert.equal(unknown.code, 2);
  assert.match(
    unknown.stderr,
    /^Cannot read ".*evalset\.jsonl": field "id": no item has id "item-404"/,
  );
  const badScore = await cli([
    "regress",
    "add",
    "--cases",
    t.cases,
    "--from-run",
    t.run,
    "--item",
    "item-1",
    "--expected",
    "x",
    "--source",
    "INC-1",
    "--min-score",
    "helpfulness=9",
  ]);
  assert.equal(badScore.code, 2);
  assert.match(
    badScore.stderr,
    /^Refusing to add the case: --min-score helpfulness: the run's rubric scores correctness, relevance, clarity, calibration, length \(on 1–5\)/,
  );
  const noSource = await cli([
    "regress",
    "add",
    "--cases",
    t.cases,
    "--from-run",
    t.run,
    "--item",
    "item-1",
    "--expected",
    "x",
  ]);
  assert.equal(noSource.code, 2);
  assert.match(noSource.stderr, /^Missing required flag --source/);
  const notRun = await cli([
    "regress",
    "add",
    "--cases",
    t.cases,
    "--from-run",
    t.root,
    "--item",
    "item-1",
    "--expected",
    "x",
    "--source",
    "INC-1",
  ]);
  assert.equal(notRun.code, 2);
  assert.match(
    notRun.stderr,
    /not an artifact folder \(no manifest\.json\): --from-run takes a judgment run or an eval set/,
  );
  await Deno.writeTextFile(`${t.root}/broken.jsonl`, JSON.stringify(CASE) + "\n{not json\n");
  const broken = await cli([
    "regress",
    "add",
    "--cases",
    `${t.root}/broken.jsonl`,
    "--from-run",
    t.run,
    "--item",
    "item-1",
    "--expected",
    "x",
    "--source",
    "INC-1",
  ]);
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /^Cannot read ".*broken\.jsonl": line 2: malformed JSON/);
});

Deno.test("nextCaseId() continues the highest case-NNN and keeps its width", () => {
  assert.equal(nextCaseId([]), "case-001");
  assert.equal(nextCaseId(["case-009", "case-030", "other"]), "case-031");
  assert.equal(nextCaseId(["case-0999"]), "case-1000");
});
