/**
 * `evalkit agreement`: judge–human agreement on the demo (exit 1 when a dimension needs
 * recalibration), 3 raters with partial overlap, the history's drift flags, the prompt
 * comparison, `--rejudge` against the local OpenAI-compatible test server, and refusal
 * of the held-out regression set. No live network: LLM judges talk to
 * lib/testing/openai_server.ts over HTTP.
 */
import assert from "node:assert/strict";
import { writeArtifact } from "../lib/artifacts.ts";
import { toCsv, toJsonl } from "../lib/io/write.ts";
import { demoPaths } from "../lib/demo_world.ts";
import { loadPrompt } from "../lib/judge/prompt.ts";
import { renderSvg } from "../lib/plot.ts";
import { readRatings } from "../lib/review/ratings.ts";
import {
  DIMENSIONS,
  type EvalItem,
  type HumanRating,
  type Judgment,
  type Response,
  type Scores,
} from "../lib/schemas.ts";
import { cohenKappa, krippendorffAlpha, seededRandom, spearman } from "../lib/stats/mod.ts";
import {
  agreementChart,
  agreementDrift,
  agreementFor,
  computeAgreement,
  confusionChart,
  driftChart,
  readAgreementHistory,
  roundHalfEven,
} from "../lib/agreement/mod.ts";
import { scoresFor, startOpenAIServer } from "../lib/testing/openai_server.ts";
import { runCliJson } from "../lib/testing/cli.ts";

const paths = demoPaths();
const ROOT = await Deno.makeTempDir({ prefix: "evalkit-agreement-" });
globalThis.addEventListener("unload", () => Deno.removeSync(ROOT, { recursive: true }));
const SPEC_KEYS = ["exact", "adjacent", "qwk", "spearman"];

const cli = runCliJson;

const same = (v: number): Scores => ({
  correctness: v,
  relevance: v,
  clarity: v,
  calibration: v,
  length: v,
});

/** A judge-run artifact holding exactly these judgments (for tests that need no real judging). */
async function fakeRun(out: string, scores: Record<string, Scores>, label = "m"): Promise<string> {
  const judgments: Judgment[] = Object.entries(scores).map(([item_id, s]) => ({
    item_id,
    judge_model: label,
    prompt_sha256: "a".repeat(64),
    scores: s,
    rationale: DIMENSIONS.map((d) => `${d}: judged ${s[d]}`).join("; "),
    usage: { prompt_tokens: 0, completion_tokens: 0 },
    status: "ok",
  }));
  const a = await writeArtifact({
    kind: "judge",
    out,
    command: "judge",
    params: { label, n: judgments.length },
    files: { "judgments.jsonl": toJsonl(judgments) },
    meta: { judge_model: label, prompt_sha256: "a".repeat(64), source: "responses" },
  });
  return a.dir;
}

async function ratingsFile(
  name: string,
  rater: string,
  scores: Record<string, Scores>,
): Promise<string> {
  const dir = await Deno.makeTempDir({ dir: ROOT, prefix: "ratings-in-" });
  const rows = Object.entries(scores).map(([item_id, s]) => ({ item_id, rater, ...s, notes: "" }));
  const file = `${dir}/${name}`;
  await Deno.writeTextFile(
    file,
    toCsv(rows, ["item_id", "rater", ...DIMENSIONS, "notes"]),
  );
  return file;
}

function scoreMap(ids: string[], f: (i: number) => number): Record<string, Scores> {
  return Object.fromEntries(ids.map((id, i) => [id, same(f(i))]));
}

const clamp = (v: number) => Math.max(1, Math.min(5, v));

Deno.test("evalkit agreement on the demo: the heuristic judge vs ana and ben, exit 1 with the SPEC keys and checked figures", async () => {
  const out = `${ROOT}/demo`;
  const judged = await cli([
    "judge",
    "--evalset",
    paths.evalItems,
    "--responses",
    paths.responses("r10"),
    "--judge",
    "heuristic",
    "--out",
    out,
  ]);
  assert.equal(judged.code, 0, judged.stderr);
  const run = judged.json.artifact as string;
  const args = ["agreement", "--run", run, "--ratings", ...paths.ratings, "--out", out];
  const r = await cli(args);
  assert.equal(r.code, 1, "a dimension needs recalibration: exit 1");
  assert.match(r.json.artifact as string, /\/agreement-[0-9a-f]{12}$/);
  assert.equal(r.json.verdict, "recalibrate");
  assert.equal(r.json.metric, "adjacent");
  assert.equal(r.json.threshold, 0.8);
  assert.deepEqual(r.json.raters, ["ana", "ben"]);
  const items = r.json.items as Record<string, unknown>;
  assert.equal(items.compared, 55);
  assert.equal(items.overlap, 45);
  assert.deepEqual(items.per_rater, { ana: 50, ben: 50 });
  const dims = r.json.dimensions as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(dims), [...DIMENSIONS]);
  for (const d of DIMENSIONS) {
    const x = dims[d];
    assert.ok(["ok", "recalibrate"].includes(x.verdict as string), d);
    for (const side of ["judge_vs_humans", "human_vs_human"]) {
      const set = x[side] as Record<string, { value: number; ci: [number, number] }>;
      for (const k of SPEC_KEYS) {
        assert.equal(typeof set[k].value, "number", `${d} ${side} ${k}`);
        assert.ok(
          set[k].ci[0] <= set[k].value && set[k].value <= set[k].ci[1],
          `${d} ${side} ${k} CI`,
        );
      }
    }
    assert.equal(typeof (x.alpha as { value: number }).value, "number");
    assert.equal(typeof x.reaches_ceiling, "boolean");
  }
  const recal = r.json.recalibrate as string[];
  assert.ok(recal.includes("correctness"), `recalibrate: ${recal}`);
  assert.match(r.stderr, /^ {2}correctness +recalibrate +judge~humans adjacent/m);
  assert.match(r.stderr, /^disagreements \(judge vs human mean ≥ 2 apart\): \d+/m);
  assert.match(
    r.stderr,
    /item-\d+ correctness: judge \d vs humans [\d.]+ \(ana \d(, ben \d)?\): correctness: /,
  );

  // The figures, recomputed here from the files with the statistics library.
  const judgments: Judgment[] = (await Deno.readTextFile(`${run}/judgments.jsonl`)).trimEnd().split(
    "\n",
  )
    .map((l) => JSON.parse(l));
  const ratings = (await readRatings(paths.ratings)).ratings;
  const byItem = new Map<string, HumanRating[]>();
  for (const x of ratings) {
    byItem.set(String(x.item_id), [...(byItem.get(String(x.item_id)) ?? []), x]);
  }
  const ids = [...byItem.keys()];
  const judge = ids.map((id) => judgments.find((j) => j.item_id === id)!.scores!.correctness);
  const means = ids.map((id) =>
    byItem.get(id)!.reduce((s, x) => s + x.correctness, 0) / byItem.get(id)!.length
  );
  const c = dims.correctness.judge_vs_humans as Record<string, { value: number }>;
  const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
  assert.equal(
    c.adjacent.value,
    round4(judge.filter((j, i) => Math.abs(j - means[i]) <= 1).length / ids.length),
  );
  assert.equal(
    c.exact.value,
    round4(judge.filter((j, i) => j === roundHalfEven(means[i])).length / ids.length),
  );
  assert.equal(
    c.qwk.value,
    round4(
      cohenKappa(judge, means.map(roundHalfEven), {
        weights: "quadratic",
        labels: [1, 2, 3, 4, 5],
      }),
    ),
  );
  assert.equal(c.spearman.value, round4(spearman(judge, means)));
  const both = ids.filter((id) => byItem.get(id)!.length === 2);
  const ana = both.map((id) => byItem.get(id)!.find((x) => x.rater === "ana")!.correctness);
  const ben = both.map((id) => byItem.get(id)!.find((x) => x.rater === "ben")!.correctness);
  const hh = dims.correctness.human_vs_human as Record<string, { value: number }>;
  assert.equal(
    hh.qwk.value,
    round4(cohenKappa(ana, ben, { weights: "quadratic", labels: [1, 2, 3, 4, 5] })),
  );
  const alphaData = ["ana", "ben"].map((rater) =>
    ids.map((id) => byItem.get(id)!.find((x) => x.rater === rater)?.correctness ?? null)
  );
  assert.equal(
    (dims.correctness.alpha as { value: number }).value,
    round4(krippendorffAlpha(alphaData, { level: "ordinal" })),
  );

  // The same inputs give the same artifact, byte for byte.
  const body = await Deno.readTextFile(`${r.json.artifact}/agreement.json`);
  const again = await cli(args);
  assert.equal(again.code, 1);
  assert.equal(again.json.artifact, r.json.artifact);
  assert.match(again.stderr, /\(identical, kept\)/);
  assert.equal(await Deno.readTextFile(`${r.json.artifact}/agreement.json`), body);

  // A stricter primary metric: QWK gates harder than adjacent agreement.
  const qwk = await cli([
    ...args.slice(0, -2),
    "--metric",
    "qwk",
    "--resamples",
    "500",
    "--out",
    out,
  ]);
  assert.equal(qwk.code, 1);
  assert.equal(qwk.json.metric, "qwk");
  assert.ok((qwk.json.recalibrate as string[]).length >= recal.length);
  const bad = await cli([...args, "--metric", "kappa"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Invalid --metric "kappa": expected exact, adjacent, qwk, spearman/);
});

Deno.test("agreement exits 0 when every dimension agrees, and says the judge reaches the human ceiling", async () => {
  const out = `${ROOT}/ok`;
  const ids = Array.from({ length: 40 }, (_, i) => `q${i + 1}`);
  const truth = (i: number) => 1 + ((i * 7) % 5);
  const run = await fakeRun(out, scoreMap(ids, truth));
  const ana = await ratingsFile("ana.csv", "ana", scoreMap(ids, truth));
  const ben = await ratingsFile(
    "ben.csv",
    "ben",
    scoreMap(ids, (i) => (i % 4 === 0 ? clamp(truth(i) - 1) : truth(i))),
  );
  const r = await cli([
    "agreement",
    "--run",
    run,
    "--ratings",
    ana,
    ben,
    "--resamples",
    "500",
    "--out",
    out,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.verdict, "ok");
  const c = (r.json.dimensions as Record<string, Record<string, unknown>>).correctness;
  assert.equal(c.verdict, "ok");
  assert.equal(c.reaches_ceiling, true);
  assert.equal(
    (c.judge_vs_rater as Record<string, { exact: { value: number } }>).ana.exact.value,
    1,
  );
  const differ = ids.filter((_, i) => i % 4 === 0 && truth(i) > 1).length;
  assert.equal(
    (c.human_vs_human as Record<string, { value: number }>).exact.value,
    1 - differ / 40,
  );
});

Deno.test("computeAgreement() works with 3 raters and partial overlap: every figure on the items its raters share", () => {
  const ids = Array.from({ length: 50 }, (_, i) => `q${i + 1}`);
  const rand = seededRandom(11);
  const truth = ids.map(() => 1 + Math.floor(rand() * 5));
  const noisy = (
    i: number,
    p: number,
  ) => (rand() < p ? clamp(truth[i] + (rand() < 0.5 ? -1 : 1)) : truth[i]);
  const judgments: Judgment[] = ids.map((id, i) => ({
    item_id: id,
    judge_model: "m",
    prompt_sha256: "a".repeat(64),
    scores: same(noisy(i, 0.3)),
    rationale: "",
    usage: { prompt_tokens: 0, completion_tokens: 0 },
    status: "ok",
  }));
  // ana rates 1–30, ben 11–40, cy 21–50.
  const ratings: HumanRating[] = [];
  const span = { ana: [0, 30], ben: [10, 40], cy: [20, 50] } as const;
  for (const [rater, [from, to]] of Object.entries(span)) {
    for (let i = from; i < to; i++) {
      ratings.push({ item_id: ids[i], rater, ...same(noisy(i, 0.2)), notes: null });
    }
  }
  const report = computeAgreement(judgments, ratings, { resamples: 300, seed: 4 });
  assert.deepEqual(report.raters, ["ana", "ben", "cy"]);
  assert.deepEqual(report.items.per_rater, { ana: 30, ben: 30, cy: 30 });
  assert.equal(report.items.compared, 50);
  assert.equal(report.items.overlap, 30); // items 11–40
  const d = report.dimensions.correctness;
  assert.deepEqual(d.human_vs_human.pairs.map((p) => [p.raters.join("-"), p.n]), [
    ["ana-ben", 20],
    ["ana-cy", 10],
    ["ben-cy", 20],
  ]);
  // The pair average is the mean of the three pairs.
  const pairMean = d.human_vs_human.pairs.reduce((s, p) => s + p.exact.value!, 0) / 3;
  assert.ok(Math.abs(d.human_vs_human.exact.value! - pairMean) < 1e-4);
  assert.equal(d.judge_vs_rater.cy.n, 30);
  // Alpha over the three raters, with null where a rater did not rate.
  const byRater = (r: string) =>
    ids.map((id) => ratings.find((x) => x.rater === r && x.item_id === id)?.correctness ?? null);
  const alpha = krippendorffAlpha([byRater("ana"), byRater("ben"), byRater("cy")], {
    level: "ordinal",
  });
  assert.equal(d.alpha.value, Math.round(alpha * 1e4) / 1e4);
  assert.equal(d.alpha.n, 30);
  for (const x of [d.value, d.ci[0], d.ci[1], d.alpha.ci[0], d.human_vs_human.qwk.ci[0]]) {
    assert.equal(typeof x, "number");
  }
  // Same seed, same report; the confusion matrix counts every compared item.
  assert.deepEqual(computeAgreement(judgments, ratings, { resamples: 300, seed: 4 }), report);
  assert.equal(d.confusion.flat().reduce((a, b) => a + b, 0), 50);
});

Deno.test("computeAgreement() with one rater has no human–human figures, and says why", () => {
  const judgments: Judgment[] = ["a", "b", "c", "d"].map((id, i) => ({
    item_id: id,
    judge_model: "m",
    prompt_sha256: "a".repeat(64),
    scores: same(i + 1),
    rationale: "",
    usage: { prompt_tokens: 0, completion_tokens: 0 },
    status: "ok",
  }));
  const ratings = ["a", "b", "c", "d"].map((id, i) => ({
    item_id: id,
    rater: "ana",
    ...same(i + 2 > 5 ? 5 : i + 2),
  }));
  const r = computeAgreement(judgments, ratings, { resamples: 200 });
  const d = r.dimensions.clarity;
  assert.deepEqual(d.human_vs_human.pairs, []);
  assert.equal(d.human_vs_human.exact.value, null);
  assert.equal(d.human_vs_human.exact.reason, "no items");
  assert.equal(d.alpha.value, null);
  assert.equal(d.alpha.reason, "no item rated by 2 or more raters");
  assert.equal(d.ceiling.reaches, null);
  assert.equal(d.judge_vs_humans.exact.value, 0);
  assert.equal(d.judge_vs_humans.adjacent.value, 1);
  // Half-to-even rounding of the human mean: 2.5 → 2, 3.5 → 4.
  assert.deepEqual([1.5, 2.5, 3.5, 4.5, 2.4, 2.6].map(roundHalfEven), [2, 2, 4, 4, 2, 3]);
  assert.throws(() => computeAgreement(judgments, ratings, { threshold: 2 }), {
    name: "RangeError",
    message: "computeAgreement(): threshold must be between -1 and 1, got 2",
  });
});

Deno.test("agreement --history flags a month-over-month drop > 0.05 and a CI moving below the threshold (exit 1)", async () => {
  const runs = `${ROOT}/history`;
  const ids = Array.from({ length: 60 }, (_, i) => `q${i + 1}`);
  const truth = (i: number) => 1 + (i % 5);
  const run = await fakeRun(runs, scoreMap(ids, truth));
  // June: humans agree with the judge everywhere; July: 3 of 60 items off by 2 (a fall of
  // exactly 0.05, not flagged); August: 12 of 60 off by 2.
  const off = (k: number) =>
  (
    i: number,
  ) => (i < k ? (truth(i) <= 3 ? truth(i) + 2 : truth(i) - 2) : truth(i));
  const months: [string, number][] = [["2026-06-15", 0], ["2026-07-14", 3], ["2026-08-12", 12]];
  for (const [date, k] of months) {
    const file = await ratingsFile("ana.csv", "ana", scoreMap(ids, off(k)));
    const r = await cli([
      "agreement",
      "--run",
      run,
      "--ratings",
      file,
      "--date",
      date,
      "--resamples",
      "1000",
      "--out",
      runs,
    ]);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    assert.equal(r.json.ratings_date, date);
  }
  const h = await cli(["agreement", "--history", runs]);
  assert.equal(h.code, 1, h.stderr);
  assert.deepEqual(h.json.months, ["2026-06", "2026-07", "2026-08"]);
  assert.equal(h.json.latest_flagged, true);
  const points =
    (h.json.dimensions as Record<string, { value: number; drop: number | null; flags: string[] }[]>)
      .correctness;
  assert.deepEqual(points.map((p) => p.value), [1, 0.95, 0.8]);
  assert.deepEqual(points.map((p) => p.drop), [null, 0.05, 0.15]);
  assert.deepEqual(points.map((p) => p.flags), [[], [], ["drop", "ci_below_threshold"]]);
  const flags = h.json.flags as { month: string; dimension: string; kind: string }[];
  assert.equal(flags.length, 10, "two flags for each of the five dimensions");
  assert.ok(flags.every((f) => f.month === "2026-08"));
  assert.match(
    h.stderr,
    /warning: 2026-08 correctness: adjacent fell from 0.95 to 0.8 \(by 0.15, more than 0.05\)/,
  );

  // Without August nothing is flagged: exit 0.
  const { entries } = await readAgreementHistory(runs);
  const calm = agreementDrift(entries.filter((e) => e.date < "2026-08"), {});
  assert.equal(calm.latest_flagged, false);
  assert.deepEqual(calm.flags, []);
  assert.ok(renderSvg(driftChart(agreementDrift(entries))).includes("<svg"));
  const empty = await cli(["agreement", "--history", `${ROOT}/nothing-here`]);
  assert.equal(empty.code, 2);
});

/** Items, responses and two sets of alternative responses for LLM-judge tests. */
async function llmSetup(root: string, n = 30) {
  const rand = seededRandom(5);
  const items: EvalItem[] = Array.from({ length: n }, (_, i) => ({
    id: `q${String(i + 1).padStart(2, "0")}`,
    query: `How do I do task ${i + 1} in Ledgerly?`,
    stratum: i % 3 === 0 ? "technical" : "billing",
    source_id: `log-${i + 1}`,
  }));
  const truth = new Map<string, Scores>();
  const responses: Response[] = items.map((item, i) => {
    const text = `Answer ${i + 1}: open Settings and choose option ${i + 1}.`;
    truth.set(text, {
      correctness: 1 + Math.floor(rand() * 5),
      relevance: 1 + Math.floor(rand() * 5),
      clarity: 1 + Math.floor(rand() * 5),
      calibration: 1 + Math.floor(rand() * 5),
      length: 1 + Math.floor(rand() * 5),
    });
    return {
      item_id: item.id,
      model: "mistral-small-ledgerly-v2",
      response: text,
      latency_ms: 100,
      usage: { prompt_tokens: 10, completion_tokens: 10 },
    };
  });
  const evalset = await writeArtifact({
    kind: "evalset",
    out: `${root}/in`,
    command: "sample",
    params: { n },
    files: { "evalset.jsonl": toJsonl(items) },
  });
  const gen = await writeArtifact({
    kind: "responses",
    out: `${root}/in`,
    command: "generate",
    params: { n },
    files: { "responses.jsonl": toJsonl(responses) },
  });
  const other = await writeArtifact({
    kind: "responses",
    out: `${root}/in`,
    command: "generate",
    params: { n, other: true },
    files: {
      "responses.jsonl": toJsonl(
        responses.map((r) => ({ ...r, response: r.response + " Other." })),
      ),
    },
  });
  const byItem = new Map(responses.map((r) => [String(r.item_id), truth.get(r.response)!]));
  const ana = await ratingsFile("ana.csv", "ana", Object.fromEntries(byItem));
  const ben = await ratingsFile(
    "ben.csv",
    "ben",
    Object.fromEntries(
      [...byItem].map((
        [id, s],
        i,
      ) => [id, i % 5 === 0 ? { ...s, clarity: clamp(s.clarity - 1) } : s]),
    ),
  );
  const lookup = (text: string): Scores =>
    truth.get(text) ?? truth.get(text.trim()) ?? scoresFor(text);
  return { evalset: evalset.dir, gen: gen.dir, other: other.dir, ratings: [ana, ben], lookup };
}

async function withServers<T>(
  scoreFns: ((text: string) => Scores)[],
  fn: (urls: string[]) => Promise<T>,
): Promise<T> {
  const servers = await Promise.all(scoreFns.map((scores) => startOpenAIServer({ scores })));
  try {
    return await fn(servers.map((s) => s.url));
  } finally {
    for (const s of servers) await s.close();
  }
}

Deno.test("agreement --run OLD --run NEW compares prompt versions on the same ratings: paired differences, adopt, disagreements", async () => {
  const root = `${ROOT}/compare`;
  const t = await llmSetup(root);
  const newPrompt = `${root}/rubric-v2.md`;
  const base = await loadPrompt();
  await Deno.writeTextFile(
    newPrompt,
    (await Deno.readTextFile(base.path)).replace("impartial", "impartial, strict"),
  );
  await withServers([scoresFor, t.lookup], async ([oldUrl, newUrl]) => {
    const judge = (url: string, extra: string[]) =>
      cli([
        "judge",
        "--evalset",
        t.evalset,
        "--responses",
        t.gen,
        "--judge",
        "gpt-4o",
        "--base-url",
        url,
        "--out",
        `${root}/runs`,
        ...extra,
      ]);
    const old = await judge(oldUrl, []);
    const neu = await judge(newUrl, ["--prompt", newPrompt]);
    assert.equal(old.code, 0, old.stderr);
    assert.equal(neu.code, 0, neu.stderr);

    // The old prompt fails the gate and lists its disagreements with the judge's rationale.
    const single = await cli([
      "agreement",
      "--run",
      old.json.artifact as string,
      "--ratings",
      ...t.ratings,
      "--resamples",
      "500",
      "--out",
      `${root}/runs`,
    ]);
    assert.equal(single.code, 1);
    const dis = single.json.disagreements as { item_id: string; gap: number; rationale: string }[];
    assert.ok(dis.length > 0);
    assert.ok(
      dis.every((x) => Math.abs(x.gap) >= 2 && x.rationale.startsWith("Deterministic test scores")),
    );

    const r = await cli([
      "agreement",
      "--run",
      old.json.artifact as string,
      "--run",
      neu.json.artifact as string,
      "--ratings",
      ...t.ratings,
      "--resamples",
      "500",
      "--out",
      `${root}/runs`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.mode, "compare");
    assert.equal(r.json.items, 30);
    assert.equal(r.json.adopt, true);
    assert.match(r.json.recommendation as string, /^adopt the new prompt/);
    const c = (r.json.dimensions as Record<string, Record<string, unknown>>).correctness;
    assert.equal(c.comparison, "better");
    assert.equal(c.verdict, "ok");
    const diff = c.diff as {
      old: number;
      new: number;
      diff: number;
      ci: [number, number];
      p_value: number;
    };
    assert.equal(diff.new, 1);
    assert.ok(Math.abs(diff.diff - (diff.new - diff.old)) < 1e-3);
    assert.ok(diff.ci[0] > 0 && diff.p_value < 0.05, JSON.stringify(diff));
    assert.equal(typeof (c.differences as Record<string, { diff: number }>).qwk.diff, "number");

    // Judging other responses confounds the comparison: refused.
    const elsewhere = await cli([
      "judge",
      "--evalset",
      t.evalset,
      "--responses",
      t.other,
      "--judge",
      "gpt-4o",
      "--base-url",
      newUrl,
      "--prompt",
      newPrompt,
      "--out",
      `${root}/runs`,
    ]);
    const refused = await cli([
      "agreement",
      "--run",
      old.json.artifact as string,
      "--run",
      elsewhere.json.artifact as string,
      "--ratings",
      ...t.ratings,
      "--out",
      `${root}/runs`,
    ]);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /^Refusing to compare .*: they judged different content for item "q01"/m,
    );
  });
});

Deno.test("agreement --rejudge catches a judge whose scores moved (test server shifted on purpose) and passes an unchanged one", async () => {
  const root = `${ROOT}/rejudge`;
  const t = await llmSetup(root, 24);
  const shifted = (text: string): Scores => {
    const s = scoresFor(text);
    return { ...s, correctness: Math.min(5, s.correctness + 1) };
  };
  await withServers([scoresFor, shifted], async ([before, after]) => {
    const judged = await cli([
      "judge",
      "--evalset",
      t.evalset,
      "--responses",
      t.gen,
      "--judge",
      "gpt-4o",
      "--base-url",
      before,
      "--out",
      `${root}/runs`,
    ]);
    assert.equal(judged.code, 0, judged.stderr);
    const run = judged.json.artifact as string;

    const moved = await cli([
      "agreement",
      "--rejudge",
      run,
      "--base-url",
      after,
      "--resamples",
      "500",
      "--out",
      `${root}/runs`,
    ]);
    assert.equal(moved.code, 1, moved.stderr);
    assert.equal(moved.json.verdict, "drifted");
    assert.deepEqual(moved.json.drifted, ["correctness"]);
    assert.equal(moved.json.requests, 24);
    const dims = moved.json.dimensions as Record<
      string,
      { mean_shift: number; changed_share: number; ci: [number, number] }
    >;
    assert.ok(dims.correctness.mean_shift > 0.5 && dims.correctness.ci[0] > 0);
    assert.ok(dims.correctness.changed_share > 0.5);
    assert.equal(dims.clarity.mean_shift, 0);
    assert.equal(dims.clarity.changed_share, 0);
    assert.match(moved.stderr, /correctness +DRIFTED +mean/);

    const steady = await cli([
      "agreement",
      "--rejudge",
      run,
      "--base-url",
      before,
      "--resamples",
      "500",
      "--out",
      `${root}/runs`,
    ]);
    assert.equal(steady.code, 0, steady.stderr);
    assert.equal(steady.json.verdict, "stable");
    assert.notEqual(steady.json.artifact, moved.json.artifact);
    // Both checks are listed by --history beside the agreement series.
    await cli([
      "agreement",
      "--run",
      run,
      "--ratings",
      ...t.ratings,
      "--resamples",
      "200",
      "--out",
      `${root}/runs`,
    ]);
    const h = await cli(["agreement", "--history", `${root}/runs`]);
    assert.equal((h.json.rejudges as unknown[]).length, 2);
  });

  // The heuristic judge re-judges offline, identically.
  const heur = await cli([
    "judge",
    "--evalset",
    paths.evalItems,
    "--responses",
    paths.responses("r03"),
    "--judge",
    "heuristic",
    "--out",
    `${root}/h`,
  ]);
  const again = await cli([
    "agreement",
    "--rejudge",
    heur.json.artifact as string,
    "--resamples",
    "200",
    "--out",
    `${root}/h`,
  ]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.json.requests, 0);
  assert.equal(again.json.verdict, "stable");
});

Deno.test("agreement refuses the held-out regression set and bad input with exit 2", async () => {
  const out = `${ROOT}/held`;
  const cases = await cli([
    "agreement",
    "--run",
    paths.cases,
    "--ratings",
    ...paths.ratings,
    "--out",
    out,
  ]);
  assert.equal(cases.code, 2);
  assert.match(
    cases.stderr,
    /^Refusing ".*regression_cases\.jsonl": it holds regression cases\. The regression set is held out/m,
  );

  const ids = ["item-0005", "item-0009"];
  const run = await fakeRun(out, scoreMap(ids, () => 4));
  const asRatings = await cli(["agreement", "--run", run, "--ratings", paths.cases, "--out", out]);
  assert.equal(asRatings.code, 2);
  assert.match(asRatings.stderr, /it holds regression cases, not ratings/);

  const gate = await writeArtifact({
    kind: "gate",
    out,
    command: "regress",
    params: {},
    files: { "gate.json": "{}\n" },
  });
  const g = await cli(["agreement", "--rejudge", gate.dir, "--out", out]);
  assert.equal(g.code, 2);
  assert.match(g.stderr, /it is a gate artifact of the regression set/);

  // Ratings that share no item with the run.
  const other = await fakeRun(out, scoreMap(["x1", "x2"], () => 3), "other");
  const none = await cli([
    "agreement",
    "--run",
    other,
    "--ratings",
    ...paths.ratings,
    "--out",
    out,
  ]);
  assert.equal(none.code, 2);
  assert.match(
    none.stderr,
    /No rated item was judged ok in ".*" \(55 items rated, 55 not in the run\): are the ratings for this run\?/,
  );

  const both = await cli(["agreement", "--run", run, "--history", out]);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /Pass one of --run DIR/);
  const noRatings = await cli(["agreement", "--run", run]);
  assert.equal(noRatings.code, 2);
  assert.match(noRatings.stderr, /Missing required flag --ratings/);
});

Deno.test("agreementFor() is the one-line call for the demo pipeline, and the charts render", async () => {
  const out = `${ROOT}/lib`;
  const judged = await cli([
    "judge",
    "--evalset",
    paths.evalItems,
    "--responses",
    paths.responses("r10"),
    "--judge",
    "heuristic",
    "--out",
    out,
  ]);
  const { summary, artifact, report } = await agreementFor(
    judged.json.artifact as string,
    paths.ratings,
    {
      out,
      resamples: 300,
    },
  );
  assert.equal(summary.artifact, artifact);
  assert.equal(report.items.compared, 55);
  for (const chart of [agreementChart(report), confusionChart(report)]) {
    const svg = renderSvg(chart);
    assert.ok(svg.includes("<svg") || svg.startsWith("<figure"), svg.slice(0, 60));
  }
});
