/**
 * The agreement sub-features on a rubric of the team's own (three dimensions on 1–10,
 * judged at the local OpenAI-protocol test server): the history's monthly drift, the
 * judge re-judging itself, and the prompt comparison — each on the rubric's dimensions
 * and scale, none of the kit's five; sources on differing sets are refused (exit 2).
 *
 * Expected figures are derived here from the scores the test wrote or read back from
 * the judgments, never copied from the command's output.
 */
import assert from "node:assert/strict";
import { readManifest } from "../lib/artifacts.ts";
import { dimensionSetOf } from "../lib/dimensions.ts";
import { toCsv } from "../lib/io/write.ts";
import type { EvalItem, Response, Scores } from "../lib/schemas.ts";
import { runCliJson as cli } from "../lib/testing/cli.ts";
import { endpointArgs, withServer, writeInputs } from "../lib/testing/fixtures.ts";
import { rubricScoresFor } from "../lib/testing/openai_server.ts";
import { RUBRIC_SECTIONS } from "../lib/testing/rubric.ts";

const DIMS = ["faithfulness", "citation_quality", "tone"];
const FIVE = ["correctness", "relevance", "clarity", "calibration", "length"];
const ASKED = { dimensions: DIMS, min: 1, max: 10 };
const N = 16;

/** A rubric on 1–10 whose front matter names `dims`; `version` changes only the questions' text. */
function rubric(dims: readonly string[], version = "v1"): string {
  const declared = dims.map((d) =>
    `  - name: ${d}\n    question: How good is the ${d} (rubric ${version})?\n` +
    `    anchors:\n      10: Best.\n      1: Worst.`
  ).join("\n");
  return `---\nscale: 1-10\ndimensions:\n${declared}\n---\n${RUBRIC_SECTIONS}`;
}

async function setup(prefix: string) {
  const root = await Deno.makeTempDir({ prefix: `evalkit-rubric-agreement-${prefix}-` });
  const items: EvalItem[] = Array.from({ length: N }, (_, i) => ({
    id: `q${String(i + 1).padStart(2, "0")}`,
    query: `Which plan includes SSO? (question ${i + 1})`,
    stratum: i % 2 === 0 ? "sales" : "support",
    source_id: `log-${i + 1}`,
  } as EvalItem));
  const responses: Response[] = items.map((item, i) => ({
    item_id: item.id,
    model: "acme-v1",
    response: `Answer ${i}: SSO is in the Business plan [1].`,
    latency_ms: 10,
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  }));
  const inputs = await writeInputs(`${root}/in`, items, responses);
  const prompts: Record<string, string> = {};
  for (
    const [name, dims, version] of [
      ["v1", DIMS, "v1"],
      ["v2", DIMS, "v2"],
      ["warmth", ["faithfulness", "citation_quality", "warmth"], "v1"],
    ] as const
  ) {
    prompts[name] = `${root}/rubric-${name}.md`;
    await Deno.writeTextFile(prompts[name], rubric(dims, version));
  }
  return { root, inputs, prompts, ids: items.map((i) => String(i.id)) };
}

type Setup = Awaited<ReturnType<typeof setup>>;

/** Judge the eval set's responses with `prompt` at a server; the run's folder. */
async function judge(t: Setup, url: string, prompt: string, out: string): Promise<string> {
  const r = await cli([
    "judge",
    "--evalset",
    t.inputs.evalset,
    "--responses",
    t.inputs.gen!,
    "--judge",
    "judge-model-x",
    "--prompt",
    prompt,
    ...endpointArgs({ url }, out),
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.ok, N);
  return r.json.artifact as string;
}

/** A run's scores per item, read back from its judgments. */
async function scoresOf(run: string): Promise<Map<string, Record<string, number>>> {
  const lines = (await Deno.readTextFile(`${run}/judgments.jsonl`)).trimEnd().split("\n");
  return new Map(lines.map((l) => JSON.parse(l)).map((j) => [String(j.item_id), j.scores]));
}

/** A rating sheet (CSV) of one rater with these scores per item. */
async function sheet(
  file: string,
  dims: readonly string[],
  scores: ReadonlyMap<string, Record<string, number>>,
): Promise<string> {
  const rows = [...scores].map(([item_id, s]) => ({ item_id, rater: "ana", ...s, notes: "" }));
  await Deno.writeTextFile(file, toCsv(rows, ["item_id", "rater", ...dims, "notes"]));
  return file;
}

/** Two points apart on 1–10, staying on the scale. */
const offBy2 = (v: number) => (v <= 8 ? v + 2 : v - 2);

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** Share of items where |judge − human| ≤ 1, computed here from the two score maps. */
function adjacentShare(
  judge: ReadonlyMap<string, Record<string, number>>,
  human: ReadonlyMap<string, Record<string, number>>,
  d: string,
): number {
  const ids = [...human.keys()];
  return ids.filter((id) => Math.abs(judge.get(id)![d] - human.get(id)![d]) <= 1).length /
    ids.length;
}

/** Quadratic weighted kappa on the categories 1–10, written out from its definition. */
function qwk10(a: readonly number[], b: readonly number[]): number {
  const k = 10;
  const observed = Array.from({ length: k }, () => new Array(k).fill(0));
  a.forEach((x, i) => observed[x - 1][b[i] - 1]++);
  const rows = observed.map((r) => r.reduce((s, v) => s + v, 0));
  const cols = observed[0].map((_, j) => observed.reduce((s, r) => s + r[j], 0));
  let num = 0;
  let den = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const w = (i - j) ** 2;
      num += w * observed[i][j];
      den += w * rows[i] * cols[j] / a.length;
    }
  }
  return 1 - num / den;
}

Deno.test({
  name:
    "agreement --history on a 1–10 rubric: monthly drift on its three dimensions, none of the five; a history on two sets is refused",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const t = await setup("history");
    const out = `${t.root}/runs`;
    const [run, warmthRun] = await withServer({}, async (server) => [
      await judge(t, server.url, t.prompts.v1, out),
      await judge(t, server.url, t.prompts.warmth, `${t.root}/warmth-runs`),
    ]);
    const judged = await scoresOf(run);
    // June: the rater agrees with the judge everywhere; July: faithfulness 2 apart on 2
    // items; August: on 6. The other two dimensions agree every month.
    const months: [string, number][] = [["2026-06-15", 0], ["2026-07-14", 2], ["2026-08-12", 6]];
    const expected: Record<string, number[]> = Object.fromEntries(DIMS.map((d) => [d, []]));
    for (const [date, k] of months) {
      const human = new Map(
        t.ids.map((id, i) => {
          const s = { ...judged.get(id)! };
          if (i < k) s.faithfulness = offBy2(s.faithfulness);
          return [id, s];
        }),
      );
      for (const d of DIMS) expected[d].push(round4(adjacentShare(judged, human, d)));
      const file = await sheet(`${t.root}/ana-${date}.csv`, DIMS, human);
      const r = await cli([
        "agreement",
        "--run",
        run,
        "--ratings",
        file,
        "--date",
        date,
        "--resamples",
        "500",
        "--out",
        out,
      ]);
      assert.ok(r.code === 0 || r.code === 1, r.stderr);
      assert.deepEqual(Object.keys(r.json.dimensions as object), DIMS);
    }
    assert.deepEqual(expected.faithfulness, [1, 0.875, 0.625], "the months as designed");

    const h = await cli(["agreement", "--history", out]);
    assert.equal(h.code, 1, h.stderr);
    assert.deepEqual(h.json.months, ["2026-06", "2026-07", "2026-08"]);
    type Point = { value: number | null; drop: number | null; flags: string[] };
    const dims = h.json.dimensions as Record<string, Point[]>;
    assert.deepEqual(Object.keys(dims), DIMS, "the rubric's dimensions, none of the five");
    for (const d of DIMS) {
      assert.deepEqual(dims[d].map((p) => p.value), expected[d], d);
      const drops = expected[d].map((v, i) => (i === 0 ? null : round4(expected[d][i - 1] - v)));
      assert.deepEqual(dims[d].map((p) => p.drop), drops, d);
      assert.deepEqual(
        dims[d].map((p) => p.flags.includes("drop")),
        drops.map((x) => x !== null && x > 0.05),
        d,
      );
    }
    const flags = h.json.flags as { dimension: string; kind: string; month: string }[];
    assert.ok(
      flags.length >= 2 && flags.every((f) => f.dimension === "faithfulness"),
      "only one moved",
    );
    assert.equal(h.json.latest_flagged, true);
    assert.match(h.stderr, /^ {2}citation_quality +2026-06 1 {2}2026-07 1 {2}2026-08 1$/m);
    assert.match(h.stderr, /warning: 2026-08 faithfulness: adjacent fell from 0.875 to 0.625/);
    for (const d of FIVE) assert.ok(!h.stderr.includes(d), `no ${d} in the history`);

    // A second agreement in the folder, on a rubric with warmth instead of tone.
    const warmthJudged = await scoresOf(warmthRun);
    const warmthSheet = await sheet(`${t.root}/ana-warmth.csv`, [
      "faithfulness",
      "citation_quality",
      "warmth",
    ], warmthJudged);
    const w = await cli([
      "agreement",
      "--run",
      warmthRun,
      "--ratings",
      warmthSheet,
      "--date",
      "2026-09-10",
      "--resamples",
      "500",
      "--out",
      out,
    ]);
    assert.ok(w.code === 0 || w.code === 1, w.stderr);
    const mixed = await cli(["agreement", "--history", out]);
    assert.equal(mixed.code, 2, mixed.stderr);
    assert.match(mixed.stderr, /Different dimension sets: only the agreement \S+ has tone/);
    assert.match(mixed.stderr, /only the agreement \S+ has warmth/);
    assert.match(mixed.stderr, /pass --dimensions faithfulness,citation_quality/);
    const shared = await cli([
      "agreement",
      "--history",
      out,
      "--dimensions",
      "faithfulness,citation_quality",
    ]);
    assert.ok(shared.code === 0 || shared.code === 1, shared.stderr);
    const sharedDims = shared.json.dimensions as Record<string, Point[]>;
    assert.deepEqual(Object.keys(sharedDims), ["faithfulness", "citation_quality"]);
    // September's rater agrees with the warmth run's judge everywhere.
    assert.deepEqual(sharedDims.faithfulness.map((p) => p.value), [...expected.faithfulness, 1]);
    await Deno.remove(t.root, { recursive: true });
  },
});

Deno.test({
  name:
    "agreement --rejudge on a 1–10 rubric: a judge whose faithfulness moved drifts on it alone, on the rubric's three dimensions",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const t = await setup("rejudge");
    const out = `${t.root}/runs`;
    const run = await withServer({}, (server) => judge(t, server.url, t.prompts.v1, out));
    const before = await scoresOf(run);
    // The model behind the name changed: one point more faithful, up to 10.
    const shifted = (text: string) => {
      const s = rubricScoresFor(text, ASKED);
      return { ...s, faithfulness: Math.min(10, s.faithfulness + 1) } as unknown as Scores;
    };
    const after = new Map(
      [...before].map(([id, s]) => [id, {
        ...s,
        faithfulness: Math.min(10, s.faithfulness + 1),
      }]),
    );
    const ids = [...before.keys()];
    const moved = ids.filter((id) => after.get(id)!.faithfulness !== before.get(id)!.faithfulness);
    const mean = (m: Map<string, Record<string, number>>, d: string) =>
      ids.reduce((s, id) => s + m.get(id)![d], 0) / ids.length;
    assert.ok(moved.length / N > 0.2, "enough scores move to pass the 0.2 limit");

    const r = await withServer({ scores: shifted }, (server) =>
      cli([
        "agreement",
        "--rejudge",
        run,
        "--base-url",
        server.url,
        "--resamples",
        "500",
        "--out",
        out,
      ]));
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.json.verdict, "drifted");
    assert.deepEqual(r.json.drifted, ["faithfulness"]);
    assert.equal(r.json.requests, N);
    type Drift = {
      mean_before: number;
      mean_after: number;
      mean_shift: number;
      changed_share: number;
      drifted: boolean;
    };
    const dims = r.json.dimensions as Record<string, Drift>;
    assert.deepEqual(Object.keys(dims), DIMS, "the rubric's dimensions, none of the five");
    assert.equal(dims.faithfulness.mean_before, round4(mean(before, "faithfulness")));
    assert.equal(dims.faithfulness.mean_after, round4(mean(after, "faithfulness")));
    assert.equal(
      dims.faithfulness.mean_shift,
      round4(mean(after, "faithfulness") - mean(before, "faithfulness")),
    );
    assert.equal(dims.faithfulness.changed_share, round4(moved.length / N));
    for (const d of ["citation_quality", "tone"]) {
      assert.equal(dims[d].mean_shift, 0, d);
      assert.equal(dims[d].changed_share, 0, d);
      assert.equal(dims[d].mean_before, round4(mean(before, d)), d);
      assert.equal(dims[d].drifted, false, d);
    }
    assert.match(r.stderr, /^ {2}faithfulness +DRIFTED +mean/m);
    assert.match(r.stderr, /^ {2}citation_quality +stable +mean/m);
    for (const d of FIVE) assert.ok(!r.stderr.includes(d), `no ${d} in the re-judge`);
    assert.deepEqual(dimensionSetOf(await readManifest(r.json.artifact as string)), {
      dimensions: DIMS,
      scale: { min: 1, max: 10 },
    });
    const written = JSON.parse(await Deno.readTextFile(`${r.json.artifact}/agreement.json`));
    assert.deepEqual(Object.keys(written.dimensions), DIMS);

    // A dimension the rubric does not have is refused.
    const foreign = await cli(["agreement", "--rejudge", run, "--dimensions", "correctness"]);
    assert.equal(foreign.code, 2);
    assert.match(foreign.stderr, /--dimensions correctness: correctness not in both/);
    await Deno.remove(t.root, { recursive: true });
  },
});

Deno.test({
  name:
    "agreement --run OLD --run NEW on a 1–10 rubric: paired differences on its three dimensions; runs on different sets are refused (exit 2)",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const t = await setup("compare");
    const out = `${t.root}/runs`;
    // The human scores, per item: a rule of the item's number, on 1–10.
    const truth = (i: number, d: number) => 1 + ((i * (d + 3) + d) % 10);
    const humans = new Map(
      t.ids.map((id, i) => [id, Object.fromEntries(DIMS.map((d, k) => [d, truth(i, k)]))]),
    );
    // The new prompt's judge scores what the humans score: the response text names the item.
    const asHumans = (text: string) =>
      humans.get(t.ids[Number(/Answer (\d+):/.exec(text)![1])]) as unknown as Scores;
    const [oldRun, warmthRun] = await withServer({}, async (server) => [
      await judge(t, server.url, t.prompts.v1, out),
      await judge(t, server.url, t.prompts.warmth, out),
    ]);
    const newRun = await withServer(
      { scores: asHumans },
      (server) => judge(t, server.url, t.prompts.v2, out),
    );
    const oldScores = await scoresOf(oldRun);
    const ratings = await sheet(`${t.root}/ana.csv`, DIMS, humans);

    const c = await cli([
      "agreement",
      "--run",
      oldRun,
      "--run",
      newRun,
      "--ratings",
      ratings,
      "--resamples",
      "500",
      "--out",
      out,
    ]);
    assert.ok(c.code === 0 || c.code === 1, c.stderr);
    type Diff = { old: number | null; new: number | null; diff: number | null };
    const dims = c.json.dimensions as Record<
      string,
      { differences: Record<string, Diff>; old: { value: number }; new: { value: number } }
    >;
    assert.deepEqual(Object.keys(dims), DIMS, "the rubric's dimensions, none of the five");
    assert.equal(c.json.items, N);
    for (const d of DIMS) {
      const oldAdjacent = round4(adjacentShare(oldScores, humans, d));
      assert.equal(dims[d].old.value, oldAdjacent, d);
      assert.equal(dims[d].new.value, 1, d);
      assert.equal(dims[d].differences.adjacent.diff, round4(1 - oldAdjacent), d);
      // QWK on the scale's ten categories (on 1–5 categories a 10 could not be scored).
      const oldQwk = qwk10(
        t.ids.map((id) => oldScores.get(id)![d]),
        t.ids.map((id) => humans.get(id)![d]),
      );
      assert.ok(Math.abs(dims[d].differences.qwk.old! - oldQwk) < 1e-4, `${d} qwk ${oldQwk}`);
      assert.equal(dims[d].differences.qwk.new, 1, d);
      assert.ok(Math.abs(dims[d].differences.qwk.diff! - (1 - oldQwk)) < 1e-4, `${d} qwk diff`);
    }
    for (const d of FIVE) assert.ok(!c.stderr.includes(d), `no ${d} in the comparison`);
    assert.match(c.stderr, /^ {2}citation_quality +old /m);
    const manifest = await readManifest(c.json.artifact as string);
    assert.deepEqual(dimensionSetOf(manifest), { dimensions: DIMS, scale: { min: 1, max: 10 } });
    const written = JSON.parse(await Deno.readTextFile(`${c.json.artifact}/agreement.json`));
    assert.deepEqual(Object.keys(written.dimensions), DIMS);

    // The old rubric against one with warmth instead of tone: refused, naming the difference.
    const refused = await cli([
      "agreement",
      "--run",
      oldRun,
      "--run",
      warmthRun,
      "--ratings",
      ratings,
      "--out",
      `${t.root}/refused`,
    ]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(
      refused.stderr,
      /Different dimension sets: only the old run \S+ has tone; only the new run \S+ has warmth \(pass --dimensions faithfulness,citation_quality to use the shared ones\)/,
    );
    await assert.rejects(Deno.stat(`${t.root}/refused`), Deno.errors.NotFound);
    const shared = await cli([
      "agreement",
      "--run",
      oldRun,
      "--run",
      warmthRun,
      "--ratings",
      ratings,
      "--dimensions",
      "faithfulness,citation_quality",
      "--resamples",
      "500",
      "--out",
      out,
    ]);
    assert.ok(shared.code === 0 || shared.code === 1, shared.stderr);
    assert.deepEqual(Object.keys(shared.json.dimensions as object), [
      "faithfulness",
      "citation_quality",
    ]);
    const sharedManifest = await readManifest(shared.json.artifact as string);
    assert.deepEqual(dimensionSetOf(sharedManifest).dimensions, [
      "faithfulness",
      "citation_quality",
    ]);
    assert.match(
      String(sharedManifest.meta.dimensions_note),
      /limited by --dimensions to faithfulness, citation_quality/,
    );
    await Deno.remove(t.root, { recursive: true });
  },
});

Deno.test({
  name:
    "agreement with --dimensions is another artifact than without: same run and ratings, two folders",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const t = await setup("subset");
    const out = `${t.root}/runs`;
    await withServer({}, async (server) => {
      const run = await judge(t, server.url, t.prompts.v1, out);
      const ratings = await sheet(`${t.root}/ana.csv`, DIMS, await scoresOf(run));
      const all = await cli(["agreement", "--run", run, "--ratings", ratings, "--out", out]);
      const two = await cli([
        "agreement",
        "--run",
        run,
        "--ratings",
        ratings,
        "--dimensions",
        "faithfulness,tone",
        "--out",
        out,
      ]);
      assert.ok(all.code === 0 || all.code === 1, all.stderr);
      assert.ok(two.code === 0 || two.code === 1, two.stderr);
      assert.notEqual(all.json.artifact, two.json.artifact);
      const held = async (dir: unknown) =>
        Object.keys(
          JSON.parse(await Deno.readTextFile(`${dir}/agreement.json`)).dimensions,
        );
      assert.deepEqual(await held(all.json.artifact), DIMS);
      assert.deepEqual(await held(two.json.artifact), ["faithfulness", "tone"]);
    });
  },
});
