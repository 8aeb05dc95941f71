/**
 * Investigating a failing dimension, against the demo pipeline's artifacts
 * (run once for this file).
 */
import assert from "node:assert/strict";
import { recordedRuns } from "../lib/testing/recorded.ts";
import { readManifest } from "../lib/artifacts.ts";
import { DEMO_BASELINE, DEMO_CANDIDATE, runDemo } from "../lib/demo.ts";
import { demoPaths } from "../lib/demo_world.ts";
import { readRecords } from "../lib/io/read.ts";
import {
  historyChart,
  investigateDimension,
  resolveRun,
  sideBySideHtml,
  strataChart,
} from "../lib/investigate/mod.ts";
import { escapeHtml, renderSvg } from "../lib/plot.ts";
import { createReporter } from "../lib/reporter.ts";
import { Response } from "../lib/schemas.ts";

let world: Promise<{ out: string; runs: Record<string, string> }> | undefined;
function demo() {
  world ??= (async () => {
    const out = await Deno.makeTempDir({ prefix: "evalkit-investigate-" });
    globalThis.addEventListener("unload", () => Deno.removeSync(out, { recursive: true }));
    const result = await runDemo({ out, reporter: createReporter({ quiet: true }) });
    const registry = result.artifacts.find((a) => /\/releases-[0-9a-f]+$/.test(a))!;
    return { out, runs: recordedRuns(registry, await readManifest(registry)) };
  })();
  return world;
}

Deno.test("resolveRun() takes a judge-run folder or a release a registry names", async () => {
  const w = await demo();
  assert.equal(await resolveRun(w.runs.r09, w.out), w.runs.r09);
  assert.equal(await resolveRun("r09", w.out), w.runs.r09);
  await assert.rejects(
    () => resolveRun("r99", w.out),
    (e: Error) =>
      e instanceof RangeError &&
      e.message ===
        `No judge run "r99": not a judge-run folder, and no release registry or correlation in "${w.out}" names a release "r99"`,
  );
});

Deno.test("investigateDimension() finds the release where correctness dropped and the items that dropped most", async () => {
  const w = await demo();
  const found = await investigateDimension(w.runs[DEMO_CANDIDATE], "correctness");
  assert.equal(found.run.release, DEMO_CANDIDATE);
  assert.deepEqual(
    found.history.map((h) => h.label),
    ["r01", "r02", "r03", "r04", "r05", "r06", "r07", "r08", "r09"],
    "release order, up to the run",
  );
  assert.equal(found.steps.length, 8);
  for (const s of found.steps) {
    assert.ok(s.ci[0] <= s.diff && s.diff <= s.ci[1], `${s.from}→${s.to} inside its interval`);
    assert.equal(
      s.verdict,
      s.ci[0] > 0 ? "improved" : s.ci[1] < 0 ? "regressed" : "no detectable change",
    );
  }
  const last = found.steps.at(-1)!;
  assert.deepEqual([last.from, last.to], [DEMO_BASELINE, DEMO_CANDIDATE]);
  const drops = found.steps.filter((s) => s.verdict === "regressed");
  if (drops.length > 0) {
    assert.deepEqual(found.moved!.step, drops.at(-1), "the latest detectable drop");
    assert.match(found.moved!.why, /^the latest release where correctness dropped/);
  }
  const step = found.moved!.step;
  // The movers moved the step's way, most first, each with both releases' own responses.
  assert.ok(found.movers.length > 0 && found.movers.length <= 8);
  const sign = Math.sign(step.diff);
  for (let i = 0; i < found.movers.length; i++) {
    const m = found.movers[i];
    assert.equal(Math.sign(m.change), sign);
    assert.equal(m.change, m.to_score - m.from_score);
    if (i > 0) assert.ok(Math.abs(found.movers[i - 1].change) >= Math.abs(m.change));
  }
  const responses = async (release: string) =>
    new Map(
      (await readRecords(demoPaths().responses(release), Response)).map((r) => [r.item_id, r]),
    );
  const [from, to] = [await responses(step.from), await responses(step.to)];
  for (const m of found.movers) {
    assert.equal(m.from_response, from.get(m.item_id)!.response);
    assert.equal(m.to_response, to.get(m.item_id)!.response);
    assert.ok(m.query && m.query.length > 0);
    assert.match(m.to_rationale, /^correctness/);
  }
});

Deno.test("investigateDimension() lists the lowest items with the judge's rationale, and the dimension by stratum", async () => {
  const w = await demo();
  const found = await investigateDimension(w.runs[DEMO_CANDIDATE], "length", { lowest: 5 });
  assert.equal(found.lowest.length, 5);
  for (let i = 1; i < 5; i++) assert.ok(found.lowest[i - 1].score <= found.lowest[i].score);
  for (const l of found.lowest) {
    assert.equal(l.score, l.scores.length);
    assert.match(l.rationale, /^length:/, "the rationale's part about length");
    assert.ok(l.response && l.query && l.stratum);
  }
  assert.deepEqual(found.strata.map((s) => s.stratum), [
    "account",
    "billing",
    "other",
    "technical",
  ]);
  assert.equal(found.strata.reduce((n, s) => n + s.n, 0), 300);
  for (const s of found.strata) {
    assert.equal(s.counts.reduce((a, b) => a + b, 0), s.n);
    const mean = s.counts.reduce((a, c, i) => a + c * (i + 1), 0) / s.n;
    assert.ok(Math.abs(mean - s.mean) < 1e-4);
    assert.ok(s.ci![0] <= s.mean && s.mean <= s.ci![1]);
    assert.ok(s.change !== null && s.change.n === s.n, "paired with the previous release");
  }
});

Deno.test("investigateDimension() shows where the judge and the humans disagreed on the dimension", async () => {
  const w = await demo();
  const found = await investigateDimension(w.runs[DEMO_CANDIDATE], "correctness");
  const a = found.agreement!;
  assert.equal(a.same_run, false, "the humans rated r10, not r09");
  assert.equal(a.rated_run, w.runs.r10.split("/").pop());
  assert.equal(a.rated_release, "r10");
  assert.ok(found.notes.some((n) => n.startsWith("no human sample of judge-")));
  for (const d of a.disagreements) {
    assert.ok(Math.abs(d.judge - d.human_mean) >= 2);
    assert.match(d.rationale, /^correctness/);
    assert.ok(d.response && d.query, "the rated run's item text");
  }
  const rated = await investigateDimension(w.runs.r10, "correctness");
  assert.equal(rated.agreement!.same_run, true);
  assert.deepEqual(rated.agreement!.disagreements, a.disagreements);
});

Deno.test("investigateDimension() is deterministic and says what it cannot show", async () => {
  const w = await demo();
  const a = await investigateDimension(w.runs.r05, "clarity", { seed: 3, resamples: 500 });
  const b = await investigateDimension(w.runs.r05, "clarity", { seed: 3, resamples: 500 });
  assert.deepEqual(a, b);
  const empty = await Deno.makeTempDir({ prefix: "evalkit-investigate-empty-" });
  try {
    const alone = await investigateDimension(w.runs.r05, "clarity", { runs: empty });
    assert.equal(alone.history.length, 1);
    assert.equal(alone.moved, null);
    assert.deepEqual(alone.movers, []);
    assert.equal(alone.agreement, null);
    assert.ok(alone.notes.some((n) => n.includes("no earlier release")));
    assert.ok(alone.notes.some((n) => n.startsWith("no agreement check in")));
  } finally {
    await Deno.remove(empty, { recursive: true });
  }
  await assert.rejects(
    () => investigateDimension(w.runs.r05, "tone"),
    (e: Error) =>
      e instanceof RangeError &&
      e.message ===
        'Invalid dimension "tone": expected one of correctness, relevance, clarity, calibration, length',
  );
});

Deno.test("the investigation's charts and side-by-side view render, text escaped", async () => {
  const w = await demo();
  const found = await investigateDimension(w.runs[DEMO_CANDIDATE], "correctness");
  const strata = renderSvg(strataChart(found.strata, "correctness"));
  for (const s of ["account", "billing", "other", "technical"]) assert.ok(strata.includes(s));
  const history = renderSvg(historyChart(found));
  assert.ok(history.includes("r01") && history.includes(DEMO_CANDIDATE));
  const step = found.moved!.step;
  const html = sideBySideHtml(
    [{ ...found.movers[0], to_response: "<script>alert(1)</script>" }],
    { from: step.from, to: step.to, dimension: "correctness" },
  );
  assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert.ok(!html.includes("<script>"));
  assert.ok(html.includes(escapeHtml(found.movers[0].from_response!.slice(0, 40))));
});
