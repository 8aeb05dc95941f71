/**
 * A rubric of the team's own, end to end: three custom dimensions on 1–10, judged at
 * the local OpenAI-protocol test server (with and without structured outputs), rated
 * on the review page in headless Chromium, then agreement, compare and the report —
 * every step on the rubric's dimensions and scale, none on the kit's five.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { readManifest } from "../lib/artifacts.ts";
import { dimensionSetOf } from "../lib/dimensions.ts";
import { loadPrompt } from "../lib/judge/prompt.ts";
import { serveReview } from "../lib/review/serve.ts";
import type { Judgment } from "../lib/schemas.ts";
import { releaseDeltas } from "../lib/correlate/deltas.ts";
import { correlateDeltas } from "../lib/correlate/correlation.ts";
import { withBrowser } from "../lib/testing/browser.ts";
import { runCliJson as cli } from "../lib/testing/cli.ts";
import { endpointArgs, withServer, writeInputs } from "../lib/testing/fixtures.ts";
import { rubricScoresFor } from "../lib/testing/openai_server.ts";
import { RAG_DIMENSIONS, RAG_RUBRIC, ragItems, ragResponses } from "../lib/testing/rubric.ts";

const DIMS = [...RAG_DIMENSIONS];
const RUBRIC = RAG_RUBRIC;
const items = ragItems;
const responses = ragResponses;

async function setup() {
  const root = await Deno.makeTempDir({ prefix: "evalkit-rubric-" });
  const list = items(16);
  const base = await writeInputs(`${root}/base`, list, responses(list, "acme-v1", "Old"));
  const cand = await writeInputs(`${root}/cand`, list, responses(list, "acme-v2", "New"));
  const rubric = `${root}/rag-rubric.md`;
  await Deno.writeTextFile(rubric, RUBRIC);
  return { root, out: `${root}/runs`, list, base, cand, rubric };
}

/** `judge` on one side's eval set and responses, with `judge` and the rubric file. */
function judgeArgs(side: { evalset: string; gen: string | null }, judge: string, rubric: string) {
  return [
    "judge",
    "--evalset",
    side.evalset,
    "--responses",
    side.gen!,
    "--judge",
    judge,
    "--prompt",
    rubric,
  ];
}

async function judgments(dir: string): Promise<Record<string, unknown>[]> {
  const text = await Deno.readTextFile(`${dir}/judgments.jsonl`);
  return text.trimEnd().split("\n").map((l) => JSON.parse(l));
}

/** Rate the visible item: one key per dimension, then Enter; waits for the save. */
async function rate(page: Page, keys: string[], n: number): Promise<void> {
  for (const k of keys) await page.keyboard.press(k);
  await page.keyboard.press("Enter");
  await page.locator("#progress-text").filter({ hasText: `${n} of ` }).waitFor();
}

Deno.test("a rubric's front matter sets the dimensions, the scale and the prompt's placeholders", async () => {
  const t = await setup();
  const prompt = await loadPrompt(t.rubric);
  assert.deepEqual(prompt.rubric.dimensions, DIMS);
  assert.deepEqual(prompt.rubric.scale, { min: 1, max: 10 });
  assert.match(prompt.system, /on 1–10 scales/);
  assert.match(prompt.system, /tone: Is the answer courteous and calm\? \(10 is the house tone/);
  assert.match(prompt.system, /- 10: Every claim cites its passage\.\n- 1: No citations\./);
  assert.ok(
    prompt.system.includes('"scores": {"faithfulness": <1-10>, "citation_quality": <1-10>'),
    prompt.system,
  );
  assert.ok(prompt.reask.includes("{{error}}") && prompt.reask.includes('"tone": <1-10>'));
  const edited = `${t.root}/edited.md`;
  await Deno.writeTextFile(edited, RUBRIC.replace("  - name: tone", "  - name: warmth"));
  assert.notEqual((await loadPrompt(edited)).sha256, prompt.sha256, "a new prompt version");
});

Deno.test("the heuristic judge refuses a rubric whose dimensions it cannot score: exit 2, nothing written", async () => {
  const t = await setup();
  const r = await cli([
    ...judgeArgs(t.base, "heuristic", t.rubric),
    "--out",
    t.out,
  ]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /heuristic judge scores only correctness, relevance, clarity, calibration, length on 1–5, not faithfulness, citation_quality, tone on 1–10/,
  );
  await assert.rejects(Deno.stat(t.out), Deno.errors.NotFound);
});

Deno.test({
  name:
    "three custom dimensions on 1–10 end to end: judge at the test server, the review page in Chromium, agreement, compare, report",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const t = await setup();
    const runs: string[] = [];
    await withServer({}, async (server) => {
      for (const side of [t.base, t.cand]) {
        const r = await cli([
          ...judgeArgs(side, "judge-model-x", t.rubric),
          ...endpointArgs(server, t.out),
        ]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.json.ok, 16);
        runs.push(r.json.artifact as string);
      }
      // Structured outputs carried the rubric's schema: three integers on 1–10.
      assert.ok(server.log.every((e) => e.path !== "/v1/chat/completions" || e.jsonSchema));
    });
    const manifest = await readManifest(runs[0]);
    assert.deepEqual(dimensionSetOf(manifest), {
      dimensions: DIMS,
      scale: { min: 1, max: 10 },
    });
    const declared = (manifest.meta as { rubric?: { name: string }[] }).rubric;
    assert.deepEqual(declared?.map((d) => d.name), DIMS, "the rubric's words are in the manifest");
    const judged = await judgments(runs[0]);
    const seen = new Set<number>();
    for (const j of judged) {
      const scores = j.scores as Record<string, number>;
      assert.deepEqual(Object.keys(scores), DIMS);
      for (const v of Object.values(scores)) {
        assert.ok(Number.isInteger(v) && v >= 1 && v <= 10, `score ${v}`);
        seen.add(v);
      }
    }
    assert.ok([...seen].some((v) => v > 5), "scores above 5 are kept, not refused");

    // Without structured outputs the judge reads the reply shape from the prompt text.
    await withServer({ jsonSchema: false }, async (server) => {
      const r = await cli([
        ...judgeArgs(t.base, "judge-model-y", t.rubric),
        ...endpointArgs(server, `${t.root}/text-mode`),
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.json.ok, 16);
      const j = await judgments(r.json.artifact as string);
      assert.deepEqual(Object.keys(j[0].scores as object), DIMS);
    });

    // The review page shows the rubric's own anchors and scale; keys 1–9, and 0 for 10.
    const ratingsA = `${t.root}/ratings_ana.jsonl`;
    const server = await serveReview(runs[0], {
      rater: "ana",
      n: 16,
      seed: 3,
      ratings: ratingsA,
      prompt: t.rubric,
    });
    const order = server.session.items.map((i) => String(i.item.id));
    try {
      await withBrowser(async (browser) => {
        const page = await browser.newPage({ viewport: { width: 1200, height: 980 } });
        await page.goto(server.url);
        const dims = await page.locator(".dim").evaluateAll((els) =>
          els.map((e) => e.getAttribute("data-dim"))
        );
        assert.deepEqual(dims, DIMS);
        const buttons = page.locator('.dim[data-dim="tone"] button');
        assert.equal(await buttons.count(), 10);
        assert.equal(
          await buttons.nth(9).getAttribute("title"),
          "10: Courteous and calm.",
        );
        assert.match(
          (await buttons.nth(4).getAttribute("title"))!,
          /^5: Between 1 and 10\. 1: Rude or dismissive\. 10: Courteous and calm\.$/,
        );
        assert.match(
          (await page.locator("body").textContent())!,
          /10 is the house tone/,
          "the dimension's note is shown",
        );
        assert.doesNotMatch(await page.content(), /correctness/, "none of the kit's five");
        for (const [k, item] of order.entries()) {
          // judge-like ratings: derived from the item's judged faithfulness, within one point
          const j = judged.find((x) => x.item_id === item)!.scores as Record<string, number>;
          const key = (v: number) => String(v % 10);
          const near = (v: number) => Math.min(10, Math.max(1, v + (k % 3) - 1));
          const keys = k === 0
            ? ["0", "9", "0"]
            : [key(near(j.faithfulness)), key(j.citation_quality), key(j.tone)];
          await rate(page, keys, k + 1);
        }
      });
    } finally {
      await server.shutdown();
    }
    const lines = (await Deno.readTextFile(ratingsA)).trimEnd().split("\n").map((l) =>
      JSON.parse(l)
    );
    assert.equal(lines.length, 16);
    assert.deepEqual(
      Object.keys(lines[0]).filter((k) => DIMS.includes(k)),
      DIMS,
      "the page saved the rubric's dimensions",
    );
    const first = lines.find((l) => l.item_id === order[0]);
    assert.deepEqual(
      [first.faithfulness, first.citation_quality, first.tone],
      [10, 9, 10],
      "0 types a 10",
    );

    // A second rater's blind sheet (review export): the rubric's columns and words; filled,
    // imported (review import), then agreement on the run's own dimensions and scale.
    const exported = await cli([
      "review",
      "export",
      "--run",
      runs[0],
      "--n",
      "16",
      "--raters",
      "ben",
      "--out",
      t.out,
    ]);
    assert.equal(exported.code, 0, exported.stderr);
    const reviewDir = exported.json.artifact as string;
    const sheet = await Deno.readTextFile(`${reviewDir}/ratings_ben.csv`);
    assert.ok(
      sheet.startsWith("item_id,rater,faithfulness,citation_quality,tone,notes,query"),
      sheet.slice(0, 80),
    );
    const instructions = await Deno.readTextFile(`${reviewDir}/instructions.md`);
    assert.match(instructions, /each of the 3 dimensions an integer from 1 to 10/);
    assert.match(
      instructions,
      /\*\*citation_quality\*\*: Does each claim cite the passage it comes from\? 10 Every claim cites its passage\.; 1 No citations\./,
    );
    assert.doesNotMatch(instructions, /correctness/);
    const byItem = new Map(lines.map((l) => [l.item_id, l]));
    const filled = sheet.trimEnd().split("\n").map((row, i) => {
      if (i === 0) return row;
      const [id] = row.split(",");
      const l = byItem.get(id)!;
      const cited = Math.min(10, l.citation_quality + (i % 2));
      return row.replace(`${id},ben,,,,`, `${id},ben,${l.faithfulness},${cited},${l.tone},`);
    }).join("\n") + "\n";
    const filledSheet = `${t.root}/ratings_ben.csv`;
    await Deno.writeTextFile(filledSheet, filled);
    const imported = await cli([
      "review",
      "import",
      filledSheet,
      "--review",
      reviewDir,
      "--out",
      t.out,
    ]);
    assert.equal(imported.code, 0, imported.stderr);
    const ratingsB = `${imported.json.artifact}/ratings.jsonl`;
    const offScale = `${t.root}/ratings_bad.csv`;
    await Deno.writeTextFile(offScale, filled.replace(/,ben,(\d+),/, ",ben,11,"));
    const refused = await cli([
      "review",
      "import",
      offScale,
      "--review",
      reviewDir,
      "--out",
      t.out,
    ]);
    assert.equal(refused.code, 2, "a score off the rubric's scale is refused");
    assert.match(refused.stderr, /faithfulness/);
    const a = await cli([
      "agreement",
      "--run",
      runs[0],
      "--ratings",
      ratingsA,
      ratingsB,
      "--out",
      t.out,
    ]);
    assert.ok(a.code === 0 || a.code === 1, a.stderr);
    assert.deepEqual(Object.keys(a.json.dimensions as object), DIMS);
    const agreementManifest = await readManifest(a.json.artifact as string);
    assert.deepEqual(dimensionSetOf(agreementManifest).scale, { min: 1, max: 10 });

    // Compare the two runs, per custom dimension.
    const c = await cli(["compare", "--run", runs[1], "--baseline", runs[0], "--out", t.out]);
    assert.equal(c.code === 0 || c.code === 1, true, c.stderr);
    assert.deepEqual(Object.keys(c.json.dimensions as object), DIMS);

    // The report: the rubric's dimensions and scale, no composite, none of the five.
    const rep = await cli(["report", "--run", runs[1], "--out", t.out]);
    assert.equal(rep.code, 0, rep.stderr);
    const html = await Deno.readTextFile(
      rep.json.path as string ?? `${rep.json.artifact}/report.html`,
    );
    for (const d of DIMS) assert.ok(html.includes(d), d);
    assert.match(html, /1–10 on each dimension/);
    assert.doesNotMatch(html, /\bcorrectness\b/);
  },
});

Deno.test("correlate on a rubric of its own: release deltas and correlations carry its dimensions; pairs on two rubrics are refused", () => {
  const judged = (id: string, scores: Record<string, number>) =>
    ({
      item_id: id,
      judge_model: "j",
      prompt_sha256: "b".repeat(64),
      scores,
      rationale: "",
      usage: { prompt_tokens: 0, completion_tokens: 0 },
      status: "ok" as const,
    }) as unknown as Judgment;
  const release = (k: number, dims = DIMS, sha = "b".repeat(64)) => ({
    release: `r${k}`,
    date: `2026-0${k}-01`,
    runs: [{
      path: `runs/judge-r${k}`,
      judge_model: "j",
      prompt_sha256: sha,
      evalset_sha256: "e".repeat(64),
      judgments: Array.from(
        { length: 12 },
        (_, i) =>
          judged(
            `q${i}`,
            Object.fromEntries(dims.map((d, n) => [d, 1 + ((i + k * (n + 1)) % 10)])),
          ),
      ),
    }],
    metrics: { thumbs_down_rate: 0.2 - k * 0.01 },
  });
  const releases = [1, 2, 3, 4, 5, 6, 7].map((k) => release(k));
  const { pairs } = releaseDeltas(releases, { metrics: ["thumbs_down_rate"], resamples: 200 });
  assert.equal(pairs.length, 6);
  assert.deepEqual(Object.keys(pairs[0].eval), DIMS);
  const cells = correlateDeltas(pairs, { thumbs_down_rate: "lower" }, { resamples: 200 });
  assert.deepEqual(Object.keys(cells), DIMS);
  assert.equal((cells as Record<string, typeof cells.correctness>).tone.thumbs_down_rate.n, 6);
  const mixed = releaseDeltas([
    ...releases,
    release(8, ["warmth"], "c".repeat(64)),
    release(9, ["warmth"], "c".repeat(64)),
  ], {
    metrics: ["thumbs_down_rate"],
    resamples: 200,
  });
  assert.equal(mixed.skipped.length, 1, "r7→r8: another prompt");
  assert.throws(
    () => correlateDeltas(mixed.pairs, { thumbs_down_rate: "lower" }),
    /Different dimension sets: r1→r2 scores faithfulness, citation_quality, tone but r8→r9 scores warmth/,
  );
});

Deno.test("validity on a rubric of its own: the run's dimensions, the rate by score over its 1–10 scale", async () => {
  const dir = await Deno.makeTempDir({ prefix: "evalkit-rubric-validity-" });
  const rubric = `${dir}/rag-rubric.md`;
  await Deno.writeTextFile(rubric, RUBRIC);
  const logs = [];
  const evalset = [];
  for (let i = 0; i < 40; i++) {
    const response = `Answer ${i}: SSO is in the Business plan.`;
    const feedback = i % 3 === 0 ? "down" : "up";
    logs.push({
      id: `log-${i}`,
      ts: "2026-09-01T10:00:00Z",
      query: `sso ${i}`,
      response,
      feedback,
    });
    evalset.push({
      id: `item-${i}`,
      query: `sso ${i}`,
      stratum: "sales",
      source_id: `log-${i}`,
      response,
      model: "acme-v1",
    });
  }
  await Deno.writeTextFile(
    `${dir}/logs.jsonl`,
    logs.map((l) => JSON.stringify(l)).join("\n") + "\n",
  );
  await Deno.writeTextFile(
    `${dir}/evalset.jsonl`,
    evalset.map((l) => JSON.stringify(l)).join("\n") + "\n",
  );
  await withServer({}, async (server) => {
    const judged = await cli([
      "judge",
      "--evalset",
      `${dir}/evalset.jsonl`,
      "--judge",
      "judge-model-x",
      "--prompt",
      rubric,
      ...endpointArgs(server, `${dir}/runs`),
    ]);
    assert.equal(judged.code, 0, judged.stderr);
    const r = await cli([
      "validity",
      "--run",
      String(judged.json.artifact),
      "--logs",
      `${dir}/logs.jsonl`,
      "--out",
      `${dir}/runs`,
      "--resamples",
      "200",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const dims = r.json.dimensions as Record<string, { down_rate_by_score: { score: number }[] }>;
    assert.deepEqual(Object.keys(dims), DIMS);
    assert.deepEqual(
      dims.tone.down_rate_by_score.map((x) => x.score),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
  });
  await Deno.remove(dir, { recursive: true });
});

Deno.test({
  name:
    "regress on a rubric of its own: cases name its dimensions, the gate checks them at the test server, others are refused",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const t = await setup();
    const cache = `${t.root}/cache`;
    const asked = { dimensions: DIMS, min: 1, max: 10 };
    const answers = ["SSO is in the Business plan [1].", "SSO comes with every plan."];
    // The server's rule for these texts (its exported scorer): one case set to fail, one to pass.
    const [s1, s2] = answers.map((a) => rubricScoresFor(a, asked));
    const low = DIMS.find((d) => s1[d] < 10)!;
    await withServer({}, async (server) => {
      const judged = await cli([
        ...judgeArgs(t.base, "judge-model-x", t.rubric),
        "--cache",
        cache,
        ...endpointArgs(server, t.out),
      ]);
      assert.equal(judged.code, 0, judged.stderr);
      const run = judged.json.artifact as string;
      const cases = `${t.root}/cases.jsonl`;
      const add = (item: string, extra: string[]) =>
        cli([
          "regress",
          "add",
          "--cases",
          cases,
          "--from-run",
          run,
          "--item",
          item,
          "--expected",
          "Names the Business plan.",
          "--source",
          `INC-${item}`,
          ...extra,
        ]);
      const first = await add("q01", ["--min-score", `${low}=${s1[low] + 1}`]);
      assert.equal(first.code, 0, first.stderr);
      const second = await add("q02", ["--min-score", `tone=${s2.tone}`]);
      assert.equal(second.code, 0, second.stderr);
      const written = (await Deno.readTextFile(cases)).trimEnd().split("\n").map((l) =>
        JSON.parse(l)
      );
      assert.deepEqual(written.map((c) => c.min_scores), [
        { [low]: s1[low] + 1 },
        { tone: s2.tone },
      ]);
      const foreign = await add("q03", ["--min-score", "correctness=3"]);
      assert.equal(foreign.code, 2);
      assert.match(
        foreign.stderr,
        /--min-score correctness: the run's rubric scores faithfulness, citation_quality, tone \(on 1–10\)/,
      );
      const none = await add("q03", []);
      assert.equal(none.code, 2, "no correctness in this rubric: no default check");
      assert.match(none.stderr, /Refusing to add a case with no check/);
      assert.equal((await Deno.readTextFile(cases)).trimEnd().split("\n").length, 2);

      const responses = `${t.root}/gate-answers.jsonl`;
      await Deno.writeTextFile(
        responses,
        written.map((c, i) =>
          JSON.stringify({
            item_id: c.id,
            model: "acme-v2",
            response: answers[i],
            latency_ms: 1,
            usage: { prompt_tokens: 1, completion_tokens: 1 },
          }) + "\n"
        ).join(""),
      );
      const gateArgs = (out: string) => [
        "regress",
        "--cases",
        cases,
        "--responses",
        responses,
        "--judge",
        "judge-model-x",
        "--prompt",
        t.rubric,
        "--judge-base-url",
        server.url,
        "--cache",
        cache,
        "--out",
        out,
      ];
      const gate = await cli(gateArgs(t.out));
      assert.equal(gate.code, 1, gate.stderr);
      const report = JSON.parse(await Deno.readTextFile(`${gate.json.artifact}/gate.json`));
      assert.deepEqual(report.dimensions, DIMS);
      assert.deepEqual(report.scale, { min: 1, max: 10 });
      assert.deepEqual(report.results.map((r: { scores: object }) => r.scores), [s1, s2]);
      assert.deepEqual(report.results[0].failures, [
        { kind: "min_score", dimension: low, min: s1[low] + 1, got: s1[low] },
      ]);
      assert.equal(report.results[1].passed, true);
      assert.deepEqual(dimensionSetOf(await readManifest(gate.json.artifact as string)), {
        dimensions: DIMS,
        scale: { min: 1, max: 10 },
      });
      // The judgments are cached on the rubric's schema: a gate into another folder asks nothing.
      const before = server.log.length;
      const again = await cli(gateArgs(`${t.root}/elsewhere`));
      assert.equal(again.code, 1, again.stderr);
      assert.equal(server.log.length, before, "no request: every judgment came from the cache");
    });

    const kit = `${t.root}/kit-cases.jsonl`;
    await Deno.writeTextFile(
      kit,
      JSON.stringify({
        id: "case-1",
        query: "q",
        expected_behavior: "e",
        added_on: "2026-06-04",
        source: "INC-1",
        min_scores: { correctness: 3 },
      }) + "\n",
    );
    const refused = await cli([
      "regress",
      "--cases",
      kit,
      "--responses",
      `${t.root}/gate-answers.jsonl`,
      "--judge",
      "judge-model-x",
      "--prompt",
      t.rubric,
      "--out",
      `${t.root}/refused`,
    ]);
    assert.equal(refused.code, 2);
    assert.ok(refused.stderr.includes(kit), refused.stderr);
    // The heuristic judge cannot score this rubric: refused as in `judge`, not silently ignored.
    const heuristic = await cli([
      "regress",
      "--cases",
      `${t.root}/cases.jsonl`,
      "--responses",
      `${t.root}/gate-answers.jsonl`,
      "--judge",
      "heuristic",
      "--prompt",
      t.rubric,
      "--out",
      `${t.root}/refused`,
    ]);
    assert.equal(heuristic.code, 2);
    assert.match(heuristic.stderr, /heuristic judge scores only correctness, .* not faithfulness/);
    assert.match(
      refused.stderr,
      /line 1: field "min_scores\.correctness": not a dimension of the judge's rubric \(faithfulness, citation_quality, tone\)/,
    );
    await assert.rejects(Deno.stat(`${t.root}/refused`), Deno.errors.NotFound);
  },
});
