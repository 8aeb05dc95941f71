import assert from "node:assert/strict";
import { readRecords } from "../io/read.ts";
import { DIMENSIONS, EvalItem, Response, Scores } from "../schemas.ts";
import { spearman } from "../stats/correlation.ts";
import { heuristicJudge, heuristicSha, lengthScore } from "./heuristic.ts";
import { toJudgeItem } from "./run.ts";

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

Deno.test("lengthScore() is 5 inside the band and falls with the ratio to the nearer edge", () => {
  const band = [60, 120] as const;
  assert.deepEqual(
    [59, 60, 120, 150, 200, 300, 400, 20].map((w) => lengthScore(w, band)),
    [4, 5, 5, 4, 3, 2, 1, 1],
  );
});

Deno.test("heuristicSha() changes with the bands (a new cache key)", () => {
  assert.notEqual(heuristicSha(), heuristicSha({ lengthBands: { billing: [60, 120] } }));
  assert.equal(heuristicSha(), heuristicSha({}));
});

const DEMO = new URL("../../data/demo/", import.meta.url);
const haveDemo = await Deno.stat(new URL("truth/r01.jsonl", DEMO)).then(() => true, () => false);

Deno.test({
  name: "heuristicJudge() agrees with the demo world's true scores (Spearman per dimension)",
  ignore: !haveDemo,
  fn: async () => {
    const { LENGTH_BANDS } = await import("../../data/demo/generate.ts");
    const items = (await readRecords(new URL("eval_queries.jsonl", DEMO).pathname, EvalItem)).map(
      toJudgeItem,
    );
    const byId = new Map(items.map((i) => [i.id, i]));
    const got: Record<string, number[]> = {};
    const want: Record<string, number[]> = {};
    const withRef = { got: [] as number[], want: [] as number[] };
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
        const h = heuristicJudge(item, resp.response, { lengthBands: LENGTH_BANDS });
        const t = truth.get(String(resp.item_id))!;
        for (const d of DIMENSIONS) {
          got[d].push(h.scores[d]);
          want[d].push(t[d]);
        }
        if (item.reference) {
          withRef.got.push(h.scores.correctness);
          withRef.want.push(t.correctness);
        }
      }
    }
    const rho = Object.fromEntries(DIMENSIONS.map((d) => [d, spearman(got[d], want[d])]));
    // Measured 0.41 / 0.81 / 0.99 / 0.59 / 1.00 (correctness 0.82 on items with reference facts).
    assert.ok(rho.correctness > 0.35, `correctness ${rho.correctness}`);
    assert.ok(spearman(withRef.got, withRef.want) > 0.75, "correctness with reference facts");
    assert.ok(rho.relevance > 0.7, `relevance ${rho.relevance}`);
    assert.ok(rho.clarity > 0.95, `clarity ${rho.clarity}`);
    assert.ok(rho.calibration > 0.5, `calibration ${rho.calibration}`);
    assert.ok(rho.length > 0.98, `length ${rho.length}`);
  },
});
