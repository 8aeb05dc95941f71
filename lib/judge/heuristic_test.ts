import assert from "node:assert/strict";
import { canonicalJson, sha256 } from "../_hash.ts";
import { readRecords } from "../io/read.ts";
import { checkCase } from "../regress/checks.ts";
import { caseToJudgeItem, runGate } from "../regress/gate.ts";
import { DIMENSIONS, EvalItem, RegressionCase, Response, Scores } from "../schemas.ts";
import { spearman } from "../stats/correlation.ts";
import {
  expectedBehaviorCorrectness,
  heuristicJudge,
  heuristicSha,
  lengthScore,
  parseExpectedBehavior,
  readLengthBands,
} from "./heuristic.ts";
import { toJudgeItem } from "./run.ts";
import { runCliJson } from "../testing/cli.ts";

const ITEM = {
  id: "q1",
  query: "How do I void invoice INV-1042?",
  stratum: "billing",
  reference: [
    "Invoices can be voided within 30 days of issue",
    "Open the invoice and choose More > Void",
  ],
};

Deno.test("heuristicJudge() scores correctness by the reference facts stated", () => {
  const all = heuristicJudge(
    ITEM,
    "Invoices can be voided within 30 days of issue. Open the invoice and choose More > Void.",
  );
  const half = heuristicJudge(
    ITEM,
    "Invoices can be voided within 30 days of issue. Delete it from Settings.",
  );
  const none = heuristicJudge(ITEM, "Invoices can be deleted permanently at any time.");
  assert.equal(all.scores.correctness, 5);
  assert.equal(half.scores.correctness, 3);
  assert.equal(none.scores.correctness, 1);
  const noRef = heuristicJudge({ ...ITEM, reference: undefined }, "Anything.");
  assert.equal(noRef.scores.correctness, 3);
  assert.deepEqual(noRef.flags, ["no_reference"]);
});

Deno.test("heuristicJudge() scores clarity by structure, then sentence length", () => {
  const steps = heuristicJudge(
    ITEM,
    "Here's how.\n\n1. Open the invoice.\n2. Choose More > Void.\n3. Confirm.",
  );
  const bullets = heuristicJudge(
    ITEM,
    "Here's how.\n- Open the invoice.\n- Choose More > Void.\n- Confirm.",
  );
  const prose = heuristicJudge(
    ITEM,
    "Open the invoice. Choose More and then Void. Confirm the dialog. It is done.",
  );
  const runOn = heuristicJudge(
    ITEM,
    "so basically you open the invoice and then you go to the menu and then you pick void and then it asks you to confirm and you confirm and then it is voided and the client sees it in the portal and then you might also want to send a new one and that is about it really",
  );
  assert.deepEqual(
    [steps.scores.clarity, bullets.scores.clarity, prose.scores.clarity, runOn.scores.clarity],
    [5, 4, 3, 1],
  );
});

Deno.test("heuristicJudge() weighs hedging against the correctness estimate", () => {
  const right =
    "Invoices can be voided within 30 days of issue. Open the invoice and choose More > Void.";
  const wrong = "Invoices can be deleted permanently at any time.";
  const confident = " This is how it works.";
  const hedged =
    " I'm not certain about this, so please confirm with support before relying on it.";
  assert.equal(heuristicJudge(ITEM, right + confident).scores.calibration, 5);
  assert.equal(heuristicJudge(ITEM, right + hedged).scores.calibration, 2);
  assert.equal(heuristicJudge(ITEM, wrong + hedged).scores.calibration, 5);
  assert.equal(heuristicJudge(ITEM, wrong + " I'm 100% sure about this.").scores.calibration, 1);
});

Deno.test("heuristicJudge() lowers relevance for asides and a generic opening", () => {
  const onTopic = heuristicJudge(ITEM, "To void an invoice, open it and choose More > Void.");
  const generic = heuristicJudge(ITEM, "Sure, happy to help. Open it and choose More > Void.");
  const drifting = heuristicJudge(
    ITEM,
    "Sure, happy to help. By the way, our blog has lots of tips. Did you know you can add colours?",
  );
  assert.equal(onTopic.scores.relevance, 5);
  assert.equal(generic.scores.relevance, 4);
  assert.ok(drifting.scores.relevance <= 2);
});

Deno.test("lengthScore() is 5 inside the band and loses a point per factor of √2 beyond its nearer edge", () => {
  const band = [60, 120] as const;
  // 120·√2 = 169.7, 120·2 = 240, 120·2√2 = 339.4; 60/√2 = 42.4, 60/2 = 30, 60/(2√2) = 21.2.
  assert.deepEqual(
    [60, 120, 121, 169, 170, 240, 241, 339, 340, 59, 43, 42, 30, 29, 22, 21, 0].map((w) =>
      lengthScore(w, band)
    ),
    [5, 5, 4, 4, 3, 3, 2, 2, 1, 4, 4, 3, 3, 2, 2, 1, 1],
  );
});

Deno.test("readLengthBands() reads a bands file and names a bad band's stratum", async () => {
  const file = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await Deno.writeTextFile(file, '{"billing": [60, 120], "other": [25, 60]}');
    assert.deepEqual(await readLengthBands(file), { billing: [60, 120], other: [25, 60] });
    await Deno.writeTextFile(file, '{"billing": [120, 60]}');
    await assert.rejects(
      () => readLengthBands(file),
      (e: Error) =>
        e instanceof TypeError &&
        e.message === `Cannot read "${file}": field "billing": expected [lo, hi] with lo <= hi`,
    );
    await Deno.writeTextFile(file, '{"billing": [60,');
    await assert.rejects(() => readLengthBands(file), SyntaxError);
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("heuristicSha() changes with the bands (a new cache key)", () => {
  assert.notEqual(heuristicSha(), heuristicSha({ lengthBands: { billing: [60, 120] } }));
  assert.equal(heuristicSha(), heuristicSha({}));
});

Deno.test("heuristicSha() changes with the version (regression-case judgments are not served from v1 caches)", () => {
  const v1 = sha256(canonicalJson({
    judge: "heuristic-v1",
    bands: {},
    default_band: [40, 150],
  }));
  assert.notEqual(heuristicSha(), v1);
});

// ---------------------------------------------------------------- expected behaviour

Deno.test("parseExpectedBehavior() reads facts after their introducing verb, label or parenthesis", () => {
  const facts = (text: string) => parseExpectedBehavior(text).facts;
  assert.deepEqual(facts("States that voids are final."), ["voids are final"]);
  assert.deepEqual(facts("Says a void cannot be undone."), ["a void cannot be undone"]);
  assert.deepEqual(facts("Gives the correct answer: open the invoice and choose Void."), [
    "open the invoice and choose Void",
  ]);
  assert.deepEqual(facts("Answers with the documented behaviour (refunds take 5 days)."), [
    "refunds take 5 days",
  ]);
  assert.deepEqual(facts("Correct answer: refunds take 5 days."), ["refunds take 5 days"]);
  assert.deepEqual(facts("The answer should explain that exports are CSV files."), [
    "exports are CSV files",
  ]);
  // A sentence with no introducing verb is a fact as it stands; a noun is not a verb.
  assert.deepEqual(facts("Voids are final and never expire. Notes are private."), [
    "Voids are final and never expire",
    "Notes are private",
  ]);
  assert.deepEqual(parseExpectedBehavior(""), { facts: [], wrongClaims: [] });
  assert.deepEqual(parseExpectedBehavior("States that."), { facts: [], wrongClaims: [] });
});

Deno.test("parseExpectedBehavior() reads forbidding sentences and clauses as wrong claims", () => {
  assert.deepEqual(
    parseExpectedBehavior("States that voids are final. Must not claim that a void can be undone."),
    { facts: ["voids are final"], wrongClaims: ["a void can be undone"] },
  );
  assert.deepEqual(
    parseExpectedBehavior(
      "Gives the correct answer: use Settings > Team. Does not say only admins can invite.",
    ),
    { facts: ["use Settings > Team"], wrongClaims: ["only admins can invite"] },
  );
  assert.deepEqual(
    parseExpectedBehavior(
      "Answers with the documented behaviour (exports are CSV) and avoids the known wrong claim that exports are PDF.",
    ),
    { facts: ["exports are CSV"], wrongClaims: ["exports are PDF"] },
  );
  assert.deepEqual(
    parseExpectedBehavior(
      "The answer should say that refunds take 5 days; it must never promise instant refunds. " +
        "Explains the fee, without claiming that it is waived. Doesn't suggest deleting the account.",
    ),
    {
      facts: ["refunds take 5 days", "the fee"],
      wrongClaims: ["instant refunds", "it is waived", "deleting the account"],
    },
  );
});

const CASE_ITEM = {
  id: "case-1",
  query: "Can I get my money back for a subscription charge?",
  expected_behavior:
    "Gives the correct answer: refunds are issued under Settings > Billing > Refunds. Does not say all refunds arrive the same day.",
};
const RIGHT =
  "Refunds are issued under Settings > Billing > Refunds. Card refunds arrive in 5 days.";
const WRONG = "All refunds arrive the same day, straight to your card.";
const SURE = " I'm 100% sure about this.";
const MILD = " This is how it works.";
const LIGHT_HEDGE = " You may want to double-check this in your settings.";
const STRONG_HEDGE = " I might be wrong here, so please check the Help Center or contact support.";

Deno.test("heuristicJudge() scores correctness from the expected behaviour when an item has no reference", () => {
  const right = heuristicJudge(CASE_ITEM, RIGHT);
  assert.equal(right.scores.correctness, 4);
  assert.deepEqual(right.flags, []);
  assert.equal(right.features.facts, 1);
  assert.equal(right.features.factsStated, 1);
  assert.deepEqual([right.features.wrongClaims, right.features.wrongClaimsStated], [1, 0]);
  assert.match(right.rationale, /1 of 1 expected facts stated, 0 of 1 known wrong claims made/);
  const wrong = heuristicJudge(CASE_ITEM, WRONG);
  assert.equal(wrong.scores.correctness, 1);
  assert.equal(wrong.features.wrongClaimsStated, 1);
  // Neither the fact nor the wrong claim: the fact is missing, so the answer is wrong.
  assert.equal(heuristicJudge(CASE_ITEM, "Contact your bank.").scores.correctness, 2);
  // The wrong claim's qualifiers count: "arrive in 5 days" is not "all … arrive the same day".
  assert.equal(
    heuristicJudge(CASE_ITEM, "Card refunds arrive in 5 days.").features.wrongClaimsStated,
    0,
  );
  // Without expected behaviour or reference: neutral 3, flagged.
  const bare = heuristicJudge({ id: "case-1", query: CASE_ITEM.query }, RIGHT);
  assert.equal(bare.scores.correctness, 3);
  assert.deepEqual(bare.flags, ["no_reference"]);
});

Deno.test("heuristicJudge() does not read a negated sentence as the claim it negates", () => {
  const item = {
    id: "case-2",
    query: "Are webhooks signed?",
    expected_behavior:
      "States that webhooks are configured under Settings > Developers. Does not say webhooks are not signed.",
  };
  const signed = heuristicJudge(
    item,
    "Webhooks are configured under Settings > Developers. Webhooks are signed.",
  );
  assert.equal(signed.features.wrongClaimsStated, 0);
  assert.equal(signed.scores.correctness, 4);
  const unsigned = heuristicJudge(item, "Webhooks are not signed, so anyone can send them.");
  assert.equal(unsigned.features.wrongClaimsStated, 1);
  assert.equal(unsigned.scores.correctness, 1);
  // And a fact stated with "not" is not stated by its opposite.
  const unavailable = {
    id: "case-3",
    query: "Can I add purchase orders?",
    expected_behavior: "States that this feature is not available yet.",
  };
  assert.equal(
    heuristicJudge(unavailable, "This feature is not available yet.").scores.correctness,
    4,
  );
  assert.equal(
    heuristicJudge(unavailable, "This feature is available under Labs.").scores.correctness,
    2,
  );
});

Deno.test("heuristicJudge() lowers calibration for a wrong claim stated confidently, not when hedged", () => {
  const cal = (response: string) => heuristicJudge(CASE_ITEM, response).scores.calibration;
  assert.equal(cal(WRONG + SURE), 1);
  assert.equal(cal(WRONG + MILD), 2);
  assert.equal(cal(WRONG), 3);
  assert.equal(cal(WRONG + LIGHT_HEDGE), 4);
  assert.equal(cal(WRONG + STRONG_HEDGE), 5);
});

Deno.test("heuristicJudge() scores calibration of a right answer against every correctness the expected behaviour allows", () => {
  // The fact stated and the wrong claim avoided bound correctness to 3-5: the stance must fit a
  // half-right answer (+1) and a right one (-1), and the worse fit counts.
  const right = heuristicJudge(CASE_ITEM, RIGHT);
  assert.match(right.rationale, /so 3-5; .*where -1 or \+1 fits/);
  const cal = (response: string) => heuristicJudge(CASE_ITEM, response).scores.calibration;
  assert.equal(cal(RIGHT), 4);
  assert.equal(cal(RIGHT + MILD), 3);
  assert.equal(cal(RIGHT + LIGHT_HEDGE), 3);
  assert.equal(cal(RIGHT + SURE), 2);
  assert.equal(cal(RIGHT + STRONG_HEDGE), 2);
  assert.equal(cal(RIGHT + STRONG_HEDGE + LIGHT_HEDGE), 1);
});

Deno.test("expectedBehaviorCorrectness() bounds correctness by the facts stated and the wrong claims made", () => {
  assert.deepEqual(expectedBehaviorCorrectness(1, 0), { correctness: 4, range: [3, 5] });
  assert.deepEqual(expectedBehaviorCorrectness(0.5, 0), { correctness: 3, range: [2, 4] });
  assert.deepEqual(expectedBehaviorCorrectness(0, 0), { correctness: 2, range: [1, 2] });
  assert.deepEqual(expectedBehaviorCorrectness(0, 1), { correctness: 1, range: [1, 2] });
  assert.deepEqual(expectedBehaviorCorrectness(1, 1), { correctness: 2, range: [1, 2] });
  assert.deepEqual(expectedBehaviorCorrectness(null, 0), { correctness: 3, range: [3, 5] });
  assert.deepEqual(expectedBehaviorCorrectness(null, 2), { correctness: 1, range: [1, 2] });
});

Deno.test("heuristicJudge() ignores the expected behaviour when the item has reference facts", () => {
  const withBoth = { ...ITEM, expected_behavior: "Does not say invoices can be voided." };
  for (
    const response of [
      "Invoices can be voided within 30 days of issue. I'm 100% sure about this.",
      "Invoices can be deleted permanently at any time.",
    ]
  ) {
    assert.deepEqual(heuristicJudge(withBoth, response), heuristicJudge(ITEM, response));
  }
});

const DEMO = new URL("../../data/demo/", import.meta.url);

/** The lower end of the 95% Fisher-z interval of a correlation over n pairs. */
function lowerBound(rho: number, n: number): number {
  return Math.tanh(Math.atanh(rho) - 1.959964 / Math.sqrt(n - 3));
}

Deno.test({
  name:
    "heuristicJudge() beats chance on every dimension against the demo world's true scores (95% interval above 0)",
  fn: async () => {
    // Measured on our own generator's data: a floor (better than chance), not a measured
    // threshold. The judge gets the demo team's declared bands, not the generator's.
    const lengthBands = await readLengthBands(
      new URL("../../data/demo_team/length_bands.json", import.meta.url).pathname,
    );
    const items = (await readRecords(new URL("eval_queries.jsonl", DEMO).pathname, EvalItem)).map(
      toJudgeItem,
    );
    const byId = new Map(items.map((i) => [i.id, i]));
    const got: Record<string, number[]> = {};
    const want: Record<string, number[]> = {};
    for (const d of DIMENSIONS) [got[d], want[d]] = [[], []];
    for (let r = 1; r <= 10; r++) {
      const release = `r${String(r).padStart(2, "0")}`;
      const responses = await readRecords(
        new URL(`responses/${release}.jsonl`, DEMO).pathname,
        Response,
      );
      const truth = new Map(
        (await Deno.readTextFile(new URL(`truth/${release}.jsonl`, DEMO))).trim().split("\n")
          .map((l) => JSON.parse(l) as { item_id: string; scores: Scores })
          .map((t) => [t.item_id, t.scores]),
      );
      for (const resp of responses) {
        const item = byId.get(String(resp.item_id))!;
        const h = heuristicJudge(item, resp.response, { lengthBands });
        const t = truth.get(String(resp.item_id))!;
        for (const d of DIMENSIONS) {
          got[d].push(h.scores[d]);
          want[d].push(t[d]);
        }
      }
    }
    for (const d of DIMENSIONS) {
      const rho = spearman(got[d], want[d]);
      assert.ok(lowerBound(rho, got[d].length) > 0, `${d}: Spearman ${rho}`);
    }
  },
});

Deno.test({
  name:
    "the heuristic gate beats chance on the demo world's true case failures and stops r09 against r08",
  fn: async () => {
    const casesFile = new URL("regression_cases.jsonl", DEMO).pathname;
    const cases = await readRecords(casesFile, RegressionCase);
    const passedBy = async (release: string) => {
      const responses = new Map(
        (await readRecords(new URL(`case_responses/${release}.jsonl`, DEMO).pathname, Response))
          .map((r) => [String(r.item_id), r.response]),
      );
      const truth = new Map(
        (await Deno.readTextFile(new URL(`truth/cases/${release}.jsonl`, DEMO))).trim().split("\n")
          .map((l) => JSON.parse(l) as { item_id: string; scores: Scores })
          .map((t) => [t.item_id, t.scores]),
      );
      const judge = new Map<string, boolean>();
      const truly = new Map<string, boolean>();
      for (const c of cases) {
        const id = String(c.id);
        const response = responses.get(id)!;
        const scores = heuristicJudge(caseToJudgeItem(c), response).scores;
        judge.set(id, checkCase(c, { response, scores }).passed);
        truly.set(id, checkCase(c, { response, scores: truth.get(id)! }).passed);
      }
      return { judge, truly };
    };
    const releases = Array.from({ length: 10 }, (_, i) => `r${String(i + 1).padStart(2, "0")}`);
    const failing = { judge: [] as number[], truth: [] as number[] };
    let falseFailures = 0;
    let missed = 0;
    for (const release of releases) {
      const { judge, truly } = await passedBy(release);
      failing.judge.push([...judge.values()].filter((p) => !p).length);
      failing.truth.push([...truly.values()].filter((p) => !p).length);
      for (const [id, passed] of judge) {
        if (!passed && truly.get(id)) falseFailures++;
        if (passed && !truly.get(id)) missed++;
      }
    }
    // The README's cases failed per release, judged by the true scores and the phrase checks.
    assert.deepEqual(failing.truth, [21, 24, 16, 25, 11, 9, 7, 3, 8, 4]);
    // Better than chance (a floor, not a measured threshold): a truly failing case is flagged
    // more often than a truly passing one. Measured on our own generator's data.
    const trulyFailing = failing.truth.reduce((a, b) => a + b, 0);
    const trulyPassing = releases.length * cases.length - trulyFailing;
    const recall = (trulyFailing - missed) / trulyFailing;
    const falseAlarms = falseFailures / trulyPassing;
    assert.ok(recall > falseAlarms, `recall ${recall}, false alarms ${falseAlarms}`);

    // Through the gate itself (expected_behavior reaches the judge via caseToJudgeItem).
    const out = await Deno.makeTempDir({ prefix: "evalkit-heuristic-" });
    const gate = (release: string, baseline?: string) =>
      runGate({
        cases: casesFile,
        responses: new URL(`case_responses/${release}.jsonl`, DEMO).pathname,
        judge: "heuristic",
        out,
        baseline,
      });
    const r08 = await gate("r08");
    const r09 = await gate("r09", r08.artifact);
    const truth08 = (await passedBy("r08")).truly;
    const truth09 = (await passedBy("r09")).truly;
    const trueRegressions = [...truth08].filter(([id, p]) => p && !truth09.get(id)).map(([id]) =>
      id
    );
    assert.equal(trueRegressions.length, 6);
    const found = r09.report!.regressions.map((r) => r.id);
    const falseRegressions = found.filter((id) => !trueRegressions.includes(id));
    // The gate stops r09 and most of what it calls a regression is one (precision above 1/2).
    assert.equal(r09.report!.verdict, "failed");
    assert.ok(
      found.length - falseRegressions.length > falseRegressions.length,
      `found ${found} of ${trueRegressions}`,
    );
    await Deno.remove(out, { recursive: true });
  },
});

Deno.test("evalkit judge --length-bands reads the bands file through LengthBands: a bad band exits 2 naming its stratum", async () => {
  const dir = await Deno.makeTempDir({ prefix: "evalkit-bands-" });
  try {
    await Deno.writeTextFile(`${dir}/bands.json`, '{"billing": [120, "60"]}');
    const demo = new URL("../../data/demo/", import.meta.url).pathname;
    const r = await runCliJson([
      "judge",
      "--evalset",
      `${demo}eval_queries.jsonl`,
      "--responses",
      `${demo}responses/r01.jsonl`,
      "--judge",
      "heuristic",
      "--length-bands",
      `${dir}/bands.json`,
      "--out",
      dir,
    ]);
    assert.equal(r.code, 2);
    assert.match(
      String((r.json.error as { message?: string }).message),
      new RegExp(`^Cannot read "${dir}/bands.json": field "billing\\.1": expected number`),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
