/**
 * The HTML report against artifacts made by the real pipeline: the demo (once
 * for this file) and a small self-judged run with failed judgments, judged over
 * HTTP by the local test server. The page is rendered in real headless
 * Chromium at 1280×800; its screenshots go to .ci/out when that folder exists.
 */
import assert from "node:assert/strict";
import { recordedRuns } from "../lib/testing/recorded.ts";
import { main } from "../lib/cli.ts";
import { sha256 } from "../lib/_hash.ts";
import { readManifest } from "../lib/artifacts.ts";
import { DEMO_BASELINE, DEMO_CANDIDATE, runDemo } from "../lib/demo.ts";
import { demoPaths } from "../lib/demo_world.ts";
import { readRecords } from "../lib/io/read.ts";
import { toJsonl } from "../lib/io/write.ts";
import { runJudge } from "../lib/judge/run.ts";
import { createReporter } from "../lib/reporter.ts";
import { buildReport, loadReport, REPORT_SECTIONS, writeReport } from "../lib/report/mod.ts";
import { escapeHtml } from "../lib/plot.ts";
import { readPiiCorpus } from "../lib/sample/pii_eval.ts";
import { EvalItem, Response } from "../lib/schemas.ts";
import { watchPage, withBrowser } from "../lib/testing/browser.ts";
import { startOpenAIServer } from "../lib/testing/openai_server.ts";

const HOSTILE_MODEL = 'mistral-small-<script>alert("model")</script>';
const HOSTILE_TEXT = '<img src="x" onerror="alert(1)"> ';

interface World {
  out: string;
  /** The demo's judge run of each release. */
  runs: Record<string, string>;
  comparison: string;
  gate: string;
  baselineGate: string;
  agreement: string;
  correlation: string;
  validity: string;
  /** 40 items of r09, judged by a Mistral model (self-judged), two judgments failed. */
  hostile: string;
}

let world: Promise<World> | undefined;
function demo(): Promise<World> {
  world ??= (async () => {
    const out = await Deno.makeTempDir({ prefix: "evalkit-report-" });
    globalThis.addEventListener("unload", () => Deno.removeSync(out, { recursive: true }));
    const result = await runDemo({ out, reporter: createReporter({ quiet: true }) });
    const one = (prefix: string) => {
      const hits = result.artifacts.filter((a) => a.split("/").pop()!.startsWith(prefix));
      return hits;
    };
    const runs = recordedRuns(one("releases-")[0], await readManifest(one("releases-")[0]));
    const gates = one("gate-");
    const gateMeta = await Promise.all(gates.map((g) => readManifest(g)));
    const gate = gates[gateMeta.findIndex((m) => m.meta.baseline !== null)];
    const baselineGate = gates[gateMeta.findIndex((m) => m.meta.baseline === null)];

    // A small run with hostile text: 40 items, a model name holding a script, a response
    // holding an image tag; judged by a Mistral model (self-judged), two replies invalid.
    const paths = demoPaths();
    const items = (await readRecords(paths.evalItems, EvalItem)).slice(0, 40);
    const ids = new Set(items.map((i) => i.id));
    const responses = (await readRecords(paths.responses(DEMO_CANDIDATE), Response))
      .filter((r) => ids.has(r.item_id))
      .map((r, i) => ({
        ...r,
        model: HOSTILE_MODEL,
        response: i === 0 ? HOSTILE_TEXT + r.response : r.response,
      }));
    const tmp = await Deno.makeTempDir({ prefix: "evalkit-report-in-" });
    globalThis.addEventListener("unload", () => Deno.removeSync(tmp, { recursive: true }));
    await Deno.writeTextFile(`${tmp}/evalset.jsonl`, toJsonl(items));
    await Deno.writeTextFile(`${tmp}/responses.jsonl`, toJsonl(responses));
    const bad = new Set([sha256(responses[1].response), sha256(responses[2].response)]);
    const server = await startOpenAIServer({
      faults: (c) => (bad.has(c.key) ? { type: "malformed_json" } : null),
    });
    let hostile: string;
    try {
      hostile = (await runJudge(`${tmp}/evalset.jsonl`, {
        judge: "mistral-large-latest",
        responses: `${tmp}/responses.jsonl`,
        out,
        allowSelfJudge: true,
        modelFamily: "mistral",
        noCache: true,
        clientOptions: { baseURL: server.url, apiKey: "test" },
      })).artifact;
    } finally {
      await server.close();
    }
    return {
      out,
      runs,
      comparison: one("comparison-")[0],
      gate,
      baselineGate,
      agreement: one("agreement-")[0],
      correlation: one("correlation-")[0],
      validity: one("validity-")[0],
      hostile,
    };
  })();
  return world;
}

async function reportsDir(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "evalkit-reports-" });
  globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
  return dir;
}

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const CHARTS = [
  "score-distribution",
  "paired-difference",
  "gate-cases",
  "agreement",
  "correlation-ranking",
  "delta-scatter-correctness",
  "delta-scatter-relevance",
  "delta-scatter-clarity",
  "delta-scatter-calibration",
  "delta-scatter-length",
  "auc-forest",
  "down-rate-correctness",
  "down-rate-relevance",
  "down-rate-clarity",
  "down-rate-calibration",
  "down-rate-length",
];

Deno.test("writeReport() finds the run's comparison, its model's gate, its judge's agreement and the latest correlation", async () => {
  const w = await demo();
  const out = await reportsDir();
  const r = await writeReport(w.runs[DEMO_CANDIDATE], { out });
  assert.equal(r.artifact, `${out}/${r.artifact.split("/").pop()}`);
  assert.match(r.artifact, /\/report-[0-9a-f]{12}$/);
  assert.equal(r.path, `${r.artifact}/report.html`);
  assert.deepEqual(r.sections, {
    comparison: "present",
    gate: "present",
    agreement: "present",
    correlation: "present",
    validity: "present",
  });
  assert.equal(r.data.comparison!.dir, w.comparison);
  assert.equal(r.data.gate!.dir, w.gate, "the gate of r09's model, not r08's");
  assert.equal(r.data.agreement!.dir, w.agreement);
  assert.equal(r.data.correlation!.dir, w.correlation);
  // The validity check of the same judge on the prod answers, not of this run itself.
  assert.equal(r.data.validity!.dir, w.validity);
  assert.equal(r.data.validity!.same_run, false);
  assert.equal(r.data.run.release, DEMO_CANDIDATE);
  assert.equal(r.data.comparison!.baseline_release, DEMO_BASELINE);
  // The humans rated r10, not r09: shown, and said.
  assert.equal(r.data.agreement!.same_run, false);
  assert.equal(r.data.agreement!.rated_release, "r10");
  assert.deepEqual(r.data.warnings.map((x) => x.kind), [
    "heuristic judge",
    "no human sample",
    "small n",
  ]);
  const manifest = await readManifest(r.artifact);
  assert.equal(manifest.kind, "report");
  assert.deepEqual(manifest.inputs.map((i) => i.path), [
    `${w.runs[DEMO_CANDIDATE]}/judgments.jsonl`,
    `${w.comparison}/comparison.json`,
    `${w.gate}/gate.json`,
    `${w.agreement}/agreement.json`,
    `${w.correlation}/correlation.json`,
    `${w.validity}/validity.json`,
  ]);
  assert.deepEqual(manifest.outputs.map((o) => o.path), ["report.html"]);
});

Deno.test("the report reruns byte-identically: same artifact folder, same bytes, kept", async () => {
  const w = await demo();
  const [a, b] = [await reportsDir(), await reportsDir()];
  const first = await writeReport(w.runs[DEMO_CANDIDATE], { out: a });
  const again = await writeReport(w.runs[DEMO_CANDIDATE], { out: a });
  const elsewhere = await writeReport(w.runs[DEMO_CANDIDATE], { out: b });
  assert.equal(first.created, true);
  assert.equal(again.created, false);
  assert.equal(again.artifact, first.artifact);
  assert.equal(elsewhere.artifact.split("/").pop(), first.artifact.split("/").pop());
  assert.equal(await Deno.readTextFile(elsewhere.path), await Deno.readTextFile(first.path));
});

Deno.test("the report shows every section, one panel per dimension, and never a combined score", async () => {
  const w = await demo();
  const html = buildReport(await loadReport(w.runs[DEMO_CANDIDATE]));
  const meta = (await readManifest(w.runs[DEMO_CANDIDATE])).meta as {
    prompt_sha256: string;
    evalset: { sha256: string };
  };
  for (const s of REPORT_SECTIONS) {
    assert.match(
      html,
      new RegExp(`<section id="${s.id}" data-section="${s.id}" data-state="present">`),
    );
  }
  for (const c of CHARTS) assert.match(html, new RegExp(`data-chart="${c}"><figure`), c);
  assert.match(html, /mistral-medium-ledgerly-v3/);
  assert.ok(html.includes(`<code>${meta.prompt_sha256}</code>`), "the prompt's sha256");
  assert.ok(html.includes(`eval set <code>${meta.evalset.sha256.slice(0, 12)}</code>`));
  assert.match(html, /\$0\.0000/, "the cost");
  assert.match(html, /case-011/, "a regression");
  assert.doesNotMatch(html, /composite|overall score|weighted sum|average of (the )?dimensions/i);
  assert.doesNotMatch(html, /<script|<link|@import|url\(|https?:\/\/(?!www\.w3\.org)/i);
  assert.doesNotMatch(
    html,
    /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/,
    "no timestamp: reruns are byte-identical",
  );
});

Deno.test("the Eval vs prod section shows both levels side by side, each dimension with a verdict no stronger than its intervals", async () => {
  const w = await demo();
  const data = await loadReport(w.runs[DEMO_CANDIDATE]);
  const html = buildReport(data);
  const section = html.slice(
    html.indexOf('<section id="correlation"'),
    html.indexOf("</section>", html.indexOf('<section id="correlation"')),
  );
  assert.match(
    section,
    /data-level="item"[\s\S]*data-chart="auc-forest"[\s\S]*data-level="release"[\s\S]*data-chart="correlation-ranking"/,
  );
  const v = data.validity!.data;
  const answers = v.n_down + v.n_up;
  const pairs = data.correlation!.data.pairs.length;
  const verdictOf = (d: string) => {
    const row = section.slice(section.indexOf(`<td><b>${d}</b></td>`));
    return /<span class="badge [a-z]+">([^<]+)<\/span>/.exec(row)![1];
  };
  // The generator's documented ground truth: correctness drives the feedback and the
  // release metric; length drives neither. Length's intervals (release r ≈ −0.05 over 9
  // pairs, AUC ≈ 0.47 [0.42, 0.53]) rule nothing out: not enough evidence, with its n.
  assert.equal(verdictOf("correctness"), "predicts prod");
  assert.equal(
    verdictOf("length"),
    `not enough evidence (n = ${pairs} release pairs, ${answers} answers with feedback)`,
  );
  assert.doesNotMatch(html, /stop celebrating|misleading|\bwatch\b/);
  // Every dimension's rate-by-score chart draws its five scores.
  for (const d of Object.keys(v.dimensions)) {
    const chart = section.slice(section.indexOf(`data-chart="down-rate-${d}"`));
    assert.ok(chart.length > 0, d);
  }
  // --validity none: the item level says what is missing; the release level still shows.
  const without = buildReport(await loadReport(w.runs[DEMO_CANDIDATE], { validity: null }));
  const s2 = without.slice(without.indexOf('<section id="correlation"'));
  assert.match(s2, /^<section id="correlation" data-section="correlation" data-state="present">/);
  assert.match(s2, /data-missing="validity"[\s\S]*No validity check was asked for\./);
  assert.match(s2, /data-chart="correlation-ranking"/);
  assert.match(s2, /<td><b>length<\/b><\/td>[\s\S]*?not enough evidence \(n = 9 release pairs\)/);
});

Deno.test("a report with nothing linked says what is missing and the command that makes it", async () => {
  const w = await demo();
  const empty = await reportsDir();
  const r = await writeReport(w.runs[DEMO_CANDIDATE], { out: empty, runs: empty });
  assert.deepEqual(r.sections, {
    comparison: "missing",
    gate: "missing",
    agreement: "missing",
    correlation: "missing",
    validity: "missing",
  });
  const html = await Deno.readTextFile(r.path);
  for (
    const [id, command] of [
      ["comparison", "evalkit compare --run "],
      ["gate", "evalkit regress --cases "],
      ["agreement", "evalkit review export --run "],
      ["correlation", "evalkit correlate --releases "],
      ["correlation", "evalkit validity --run "],
    ]
  ) {
    const section = html.slice(html.indexOf(`<section id="${id}"`));
    assert.match(section, /^<section id="\w+" data-section="\w+" data-state="missing">/);
    assert.ok(section.slice(0, 2400).includes(command), `${id} names ${command}`);
  }
  // `null` asks for no section at all, whatever the runs folder holds.
  const none = await loadReport(w.runs[DEMO_CANDIDATE], { comparison: null, gate: null });
  assert.equal(none.comparison, null);
  assert.equal(none.gate, null);
  assert.equal(none.missing.gate!.why, "No regression gate was asked for.");
  assert.ok(none.agreement !== null && none.correlation !== null);
});

Deno.test("self-judging, failed judgments, small n and a changed eval set are warned about", async () => {
  const w = await demo();
  const data = await loadReport(w.hostile);
  const kinds = data.warnings.map((x) => x.kind);
  for (const k of ["self-judged", "failed judgments", "small n", "eval set changed"]) {
    assert.ok(kinds.includes(k as never), `${k} in ${kinds.join(", ")}`);
  }
  const text = data.warnings.map((x) => x.text).join("\n");
  assert.match(
    text,
    /self-judged: the judge "mistral-large-latest" is from the same family \(mistral\)/,
  );
  assert.match(text, /2 of 40 judgments failed/);
  assert.match(text, /small n: 38 items judged/);
  assert.match(text, /eval set changed: this run judged eval set [0-9a-f]{12}; the run before it/);
  assert.equal(data.run.judge.self_judged, true);
  assert.deepEqual(data.run.counts, { items: 40, ok: 38, failed: 2, flagged: 0 });
  // Its model was never gated, compared or rated; the correlation does not include it.
  assert.equal(data.comparison, null);
  assert.equal(data.gate, null);
  assert.match(data.missing.gate!.why, /None of the 2 gate artifacts in .* tested mistral-small-/);
  assert.equal(data.agreement, null);
  assert.equal(data.correlation!.includes_run, false);
});

Deno.test("text from data is escaped: a script in a model name stays text", async () => {
  const w = await demo();
  const html = buildReport(await loadReport(w.hostile));
  assert.doesNotMatch(html, /<script/i);
  assert.ok(html.includes("mistral-small-&lt;script&gt;alert(&quot;model&quot;)&lt;/script&gt;"));
});

Deno.test("evalkit report --json writes report.html and names its sources; bad folders exit 2", async () => {
  const w = await demo();
  const out = await reportsDir();
  const r = await cli(["report", "--run", w.runs[DEMO_CANDIDATE], "--out", out, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.match(summary.artifact, /\/report-[0-9a-f]{12}$/);
  assert.equal(summary.report, `${summary.artifact}/report.html`);
  assert.ok((await Deno.stat(summary.report)).size > 50_000);
  assert.equal(summary.release, DEMO_CANDIDATE);
  assert.deepEqual(summary.sources, {
    comparison: w.comparison,
    gate: w.gate,
    agreement: w.agreement,
    correlation: w.correlation,
    validity: w.validity,
  });
  assert.match(r.stderr, /^open {6}.*report\.html$/m);

  const explicit = await cli([
    "report",
    "--run",
    w.runs[DEMO_CANDIDATE],
    "--gate",
    w.baselineGate,
    "--comparison",
    "none",
    "--out",
    out,
    "--json",
  ]);
  assert.equal(explicit.code, 0, explicit.stderr);
  const s2 = JSON.parse(explicit.stdout);
  assert.equal(s2.sources.gate, w.baselineGate);
  assert.equal(s2.sections.comparison, "missing");

  const wrongKind = await cli(["report", "--run", w.runs[DEMO_CANDIDATE], "--comparison", w.gate]);
  assert.equal(wrongKind.code, 2);
  assert.equal(
    wrongKind.stderr.trim(),
    `Cannot read "${w.gate}": a gate artifact, not a comparison artifact (--comparison)`,
  );
  const notRun = await cli(["report", "--run", w.comparison, "--out", out]);
  assert.equal(notRun.code, 2);
  assert.match(
    notRun.stderr,
    /^Cannot read ".*comparison-[0-9a-f]+": a comparison artifact, not a judgment run \(--run\)/,
  );
  const missingRun = await cli(["report", "--out", out]);
  assert.equal(missingRun.code, 2);
  assert.match(missingRun.stderr, /^Missing required flag --run/);
});

Deno.test("the report in real headless Chromium at 1280×800: every section and chart shows, nothing errs, nothing loads", async () => {
  const w = await demo();
  const out = await reportsDir();
  const full = await writeReport(w.runs[DEMO_CANDIDATE], { out });
  const hostile = await writeReport(w.hostile, { out });
  let shots = out;
  try {
    if ((await Deno.stat(".ci/out")).isDirectory) shots = ".ci/out";
  } catch {
    // Not in CI: the screenshots stay in the temp folder.
  }
  await withBrowser(async (browser) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const watch = watchPage(page);
    const url = `file://${await Deno.realPath(full.path)}`;
    await page.goto(url, { waitUntil: "load" });
    assert.match(await page.title(), /^evalkit report: r09 · mistral-medium-ledgerly-v3$/);
    for (const s of REPORT_SECTIONS) {
      const section = page.locator(`section#${s.id}`);
      assert.equal(await section.getAttribute("data-state"), "present", s.id);
      const box = await section.boundingBox();
      assert.ok(
        box && box.width > 1000 && box.height > 60,
        `${s.id} laid out: ${JSON.stringify(box)}`,
      );
    }
    for (const c of CHARTS) {
      const svg = page.locator(`[data-chart="${c}"] svg[viewBox]`);
      assert.equal(await svg.count(), 1, `${c} has one chart`);
      const box = await svg.boundingBox();
      assert.ok(
        box && box.width > 200 && box.height > 80 && box.x >= 0 && box.x + box.width <= 1280,
        `${c} renders inside the page: ${JSON.stringify(box)}`,
      );
      assert.ok((await svg.locator("circle, rect, path").count()) > 3, `${c} draws marks`);
    }
    const layout = {
      scrollWidth: await page.evaluate("document.documentElement.scrollWidth") as number,
      scripts: await page.locator("script").count(),
      text: await page.locator("body").innerText(),
    };
    assert.ok(layout.scrollWidth <= 1280, `no horizontal scrolling: ${layout.scrollWidth}px`);
    assert.equal(layout.scripts, 0);
    assert.match(layout.text, /3 regressed/);
    await page.screenshot({ path: `${shots}/report.png` });
    await page.screenshot({ path: `${shots}/report-full.png`, fullPage: true });

    // The hostile run: missing sections explain themselves; its script is text, not code.
    const hostileUrl = `file://${await Deno.realPath(hostile.path)}`;
    await page.goto(hostileUrl, { waitUntil: "load" });
    for (const id of ["comparison", "gate", "agreement"]) {
      assert.equal(await page.locator(`section#${id}`).getAttribute("data-state"), "missing");
      assert.ok(await page.locator(`section#${id} pre code`).isVisible(), `${id} shows a command`);
    }
    const warned = await page.locator("ul.warnings li").evaluateAll((lis) =>
      lis.map((li) => li.getAttribute("data-warning"))
    );
    for (const k of ["self-judged", "failed judgments", "small n", "eval set changed"]) {
      assert.ok(warned.includes(k), `${k} shown`);
    }
    assert.ok((await page.locator("h1").innerText()).includes('<script>alert("model")</script>'));
    assert.equal(await page.locator("script, img").count(), 0);
    await page.screenshot({ path: `${shots}/report-missing.png`, fullPage: true });

    assert.deepEqual(watch.requests, [url, hostileUrl], "the page loads nothing but itself");
    assert.deepEqual(watch.problems(), []);
  });
  assert.ok((await Deno.stat(`${shots}/report.png`)).size > 20_000);
});

Deno.test("the report's judge rationales show no value of the independent PII corpus", async () => {
  const w = await demo();
  const data = await loadReport(w.runs[DEMO_CANDIDATE]);
  const { corpus } = await readPiiCorpus();
  const shown = data.agreement!.data.disagreements.slice(0, 6);
  assert.ok(shown.length > 0, "the demo world has disagreements to show");
  // the rationale a judge gave may quote the query or response: put corpus texts in it
  for (let k = 0; k < corpus.length; k += shown.length) {
    const texts = corpus.slice(k, k + shown.length);
    const disagreements = data.agreement!.data.disagreements.map((d, i) =>
      i < texts.length ? { ...d, rationale: texts[i].text } : d
    );
    const html = buildReport({
      ...data,
      agreement: { ...data.agreement!, data: { ...data.agreement!.data, disagreements } },
    });
    for (const r of texts) {
      assert.ok(!html.includes(escapeHtml(r.value)), `${r.id} (${r.form}) leaked: ${r.text}`);
    }
  }
});
