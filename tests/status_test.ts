/**
 * `evalkit status` against artifacts made by the real pipeline: the demo (once
 * for this file, plus blind sheets sent out for r09), and a second runs folder
 * holding a regression gate over a copy of the cases file and a self-judged run
 * judged over HTTP by the local test server. The clock is always passed in.
 */
import assert from "node:assert/strict";
import { recordedRuns } from "../lib/testing/recorded.ts";
import { main } from "../lib/cli.ts";
import { readManifest } from "../lib/artifacts.ts";
import { parseQuarter, shiftQuarter } from "../lib/correlate/quarter.ts";
import { DEMO_CANDIDATE, runDemo } from "../lib/demo.ts";
import { DEMO_DIR, demoPaths } from "../lib/demo_world.ts";
import { readRecords } from "../lib/io/read.ts";
import { toJsonl } from "../lib/io/write.ts";
import { HEURISTIC_JUDGE } from "../lib/judge/heuristic.ts";
import { runJudge } from "../lib/judge/run.ts";
import { runGate } from "../lib/regress/gate.ts";
import { createReporter } from "../lib/reporter.ts";
import { exportReview } from "../lib/review/export.ts";
import { EvalItem, Response } from "../lib/schemas.ts";
import { readStatus, statusLines } from "../lib/status/mod.ts";
import { startOpenAIServer } from "../lib/testing/openai_server.ts";

const DAY = 86_400_000;

interface World {
  demo: string;
  runs: Record<string, string>;
  review: string;
  agreement: { dir: string; date: string; verdict: string; recalibrate: string[] };
  correlation: { dir: string; quarter: string };
  /** A second runs folder: a gate over `cases`, and a self-judged run. */
  other: string;
  cases: string;
  gate: { dir: string; day: string };
  selfJudged: string;
}

async function tempDir(prefix: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix });
  globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
  return dir;
}

let world: Promise<World> | undefined;
function setup(): Promise<World> {
  world ??= (async () => {
    const demo = await tempDir("evalkit-status-");
    const result = await runDemo({ out: demo, reporter: createReporter({ quiet: true }) });
    const find = (prefix: string) =>
      result.artifacts.find((a) => a.split("/").pop()!.startsWith(prefix))!;
    const runs = recordedRuns(find("releases-"), await readManifest(find("releases-")));
    // Blind sheets for r09 go out; nobody has rated them yet.
    const review = (await exportReview(runs[DEMO_CANDIDATE], {
      n: 20,
      raters: ["ana", "ben"],
      out: demo,
    })).artifact;
    const agreementDir = find("agreement-");
    const am = await readManifest(agreementDir);
    const body = JSON.parse(await Deno.readTextFile(`${agreementDir}/agreement.json`));
    const correlationDir = find("correlation-");
    const cm = await readManifest(correlationDir);

    const other = await tempDir("evalkit-status-other-");
    const cases = `${other}/cases.jsonl`;
    await Deno.copyFile(demoPaths().cases, cases);
    const gate = await runGate({
      cases,
      responses: `${DEMO_DIR}/case_responses/${DEMO_CANDIDATE}.jsonl`,
      judge: HEURISTIC_JUDGE,
      out: other,
    });
    const gm = await readManifest(gate.artifact);

    const items = (await readRecords(demoPaths().evalItems, EvalItem)).slice(0, 10);
    const ids = new Set(items.map((i) => i.id));
    const responses = (await readRecords(demoPaths().responses(DEMO_CANDIDATE), Response))
      .filter((r) => ids.has(r.item_id));
    await Deno.writeTextFile(`${other}/evalset.jsonl`, toJsonl(items));
    await Deno.writeTextFile(`${other}/responses.jsonl`, toJsonl(responses));
    const server = await startOpenAIServer();
    let selfJudged: string;
    try {
      selfJudged = (await runJudge(`${other}/evalset.jsonl`, {
        judge: "mistral-large-latest",
        responses: `${other}/responses.jsonl`,
        out: other,
        allowSelfJudge: true,
        noCache: true,
        clientOptions: { baseURL: server.url, apiKey: "test" },
      })).artifact;
    } finally {
      await server.close();
    }
    return {
      demo,
      runs,
      review,
      agreement: {
        dir: agreementDir,
        date: (am.meta.ratings_date as string | null) ?? am.created_at,
        verdict: body.verdict,
        recalibrate: body.recalibrate,
      },
      correlation: { dir: correlationDir, quarter: cm.meta.quarter as string },
      other,
      cases,
      gate: { dir: gate.artifact, day: gm.created_at.slice(0, 10) },
      selfJudged,
    };
  })();
  return world;
}

const name = (path: string) => path.split("/").pop()!;
const daysAfter = (iso: string, days: number) => new Date(Date.parse(iso) + days * DAY);

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

Deno.test("status: every judge run without a human sample is due, and sheets sent out are noticed", async () => {
  const w = await setup();
  const s = await readStatus(w.demo, { now: daysAfter(w.agreement.date, 1) });
  const hs = s.checks.human_sample;
  // Ten releases, and the demo's judge run of the feedback set's prod answers (for validity).
  assert.equal(hs.runs.length, 11);
  const prodAnswers = hs.runs.filter((r) => r.release === null);
  assert.equal(prodAnswers.length, 1);
  const rated = hs.runs.filter((r) => r.agreement !== null);
  assert.deepEqual(rated.map((r) => r.release), ["r10"], "the demo's humans rated r10");
  assert.equal(rated[0].agreement, name(w.agreement.dir));
  assert.deepEqual(
    [...hs.without].sort(),
    [
      ...["r01", "r02", "r03", "r04", "r05", "r06", "r07", "r08", "r09"].map((r) =>
        name(w.runs[r])
      ),
      prodAnswers[0].artifact,
    ].sort(),
  );
  assert.equal(hs.runs.find((r) => r.release === DEMO_CANDIDATE)!.exported, name(w.review));
  const due = s.due.find((d) => d.check === "human_sample")!;
  assert.match(
    due.what,
    /^10 of 11 judge runs have no human sample: r01 \(judge-[0-9a-f]{12}\), r02/,
  );
  assert.match(due.what, /; sheets went out for r09 and await ratings$/);
  assert.match(due.command!, /^evalkit review export --run .*judge-[0-9a-f]{12} --n 50 /);
  assert.equal(s.checks.self_judged.due, false, "the heuristic judge is no model family's");
});

Deno.test("status: the monthly agreement check is due after 30 days; a recalibrate verdict is due work", async () => {
  const w = await setup();
  const fresh = await readStatus(w.demo, { now: daysAfter(w.agreement.date, 1) });
  const m = fresh.checks.monthly_agreement;
  assert.equal(m.last!.artifact, name(w.agreement.dir));
  assert.equal(m.last!.verdict, w.agreement.verdict);
  assert.deepEqual(m.last!.raters, ["ana", "ben"]);
  assert.equal(m.last!.overlap, 45);
  assert.equal(m.age_days, 1);
  assert.equal(m.due, false);
  const recalibrate = fresh.due.filter((d) => d.check === "monthly_agreement");
  if (w.agreement.verdict === "recalibrate") {
    assert.equal(recalibrate.length, 1);
    assert.match(
      recalibrate[0].what,
      new RegExp(`says recalibrate the judge prompt: ${w.agreement.recalibrate.join(", ")} below`),
    );
  } else assert.equal(recalibrate.length, 0);

  const stale = await readStatus(w.demo, { now: daysAfter(w.agreement.date, 31) });
  assert.equal(stale.checks.monthly_agreement.due, true);
  assert.equal(stale.checks.monthly_agreement.age_days, 31);
  assert.ok(
    stale.due.some((d) => /is 31 days old: the monthly check is due$/.test(d.what)),
    stale.due.map((d) => d.what).join("\n"),
  );
  const month = await readStatus(w.demo, { now: daysAfter(w.agreement.date, 30) });
  assert.equal(month.checks.monthly_agreement.due, false, "30 days is still this month's");
});

Deno.test("status: the quarterly correlation is due once a quarter ends without one", async () => {
  const w = await setup();
  const q = w.correlation.quarter;
  const next = parseQuarter(shiftQuarter(q, 1));
  const covered = await readStatus(w.demo, { now: new Date(`${next.start}T12:00:00Z`) });
  const c = covered.checks.quarterly_correlation;
  assert.equal(c.last!.artifact, name(w.correlation.dir));
  assert.equal(c.last!.quarter, q);
  assert.equal(c.current_quarter, next.label);
  assert.equal(c.expected_quarter, q);
  assert.equal(c.due, false);
  const later = parseQuarter(shiftQuarter(q, 2));
  const due = await readStatus(w.demo, { now: new Date(`${later.start}T00:00:00Z`) });
  assert.equal(due.checks.quarterly_correlation.due, true);
  const item = due.due.find((d) => d.check === "quarterly_correlation")!;
  assert.equal(
    item.what,
    `the last quarterly correlation covers ${q} (${
      name(w.correlation.dir)
    }); ${next.label} has none`,
  );
  assert.equal(item.command, `evalkit correlate --releases releases.csv --quarter ${next.label}`);
});

Deno.test("status: regression cases added to the gate's cases file since the gate make it due", async () => {
  const w = await setup();
  const now = daysAfter(`${w.gate.day}T00:00:00Z`, 3);
  const before = await readStatus(w.other, { now });
  assert.equal(before.checks.gate.last!.artifact, name(w.gate.dir));
  assert.equal(before.checks.gate.last!.cases_file, w.cases);
  assert.deepEqual(before.checks.gate.added_since, []);
  assert.equal(before.checks.gate.due, false);

  const original = await Deno.readTextFile(w.cases);
  try {
    const template = JSON.parse(original.split("\n")[0]);
    const tomorrow = new Date(Date.parse(`${w.gate.day}T00:00:00Z`) + DAY).toISOString()
      .slice(0, 10);
    await Deno.writeTextFile(
      w.cases,
      original +
        JSON.stringify({ ...template, id: "case-031", added_on: tomorrow, source: "INC-0031" }) +
        "\n" +
        JSON.stringify({
          ...template,
          id: "case-032",
          added_on: "2026-01-05",
          source: "INC-0032",
        }) +
        "\n",
    );
    const after = await readStatus(w.other, { now });
    assert.deepEqual(after.checks.gate.added_since, [
      { id: "case-031", added_on: tomorrow },
      { id: "case-032", added_on: "2026-01-05" },
    ]);
    assert.equal(after.checks.gate.last!.cases, 32);
    const item = after.due.find((d) => d.check === "gate")!;
    assert.match(item.what, /^2 regression cases added to ".*cases\.jsonl" since the last gate/);
    assert.match(item.command!, new RegExp(`--baseline .*${name(w.gate.dir)}$`));
  } finally {
    await Deno.writeTextFile(w.cases, original);
  }
});

Deno.test("status: runs judged by a model of the tested family are listed as due", async () => {
  const w = await setup();
  const s = await readStatus(w.other, { now: daysAfter(`${w.gate.day}T00:00:00Z`, 1) });
  assert.deepEqual(s.checks.self_judged.artifacts, [
    { artifact: name(w.selfJudged), kind: "judge", judge_model: "mistral-large-latest" },
  ]);
  const item = s.due.find((d) => d.check === "self_judged")!;
  assert.equal(
    item.what,
    `1 artifact was judged by a model of the tested family: ${
      name(w.selfJudged)
    } by mistral-large-latest; re-judge with a judge of another family`,
  );
});

Deno.test("status: an empty runs folder has everything due, in words a person can act on", async () => {
  const empty = await tempDir("evalkit-status-empty-");
  const s = await readStatus(empty, { now: new Date("2026-11-29T00:00:00Z") });
  assert.deepEqual(s.due.map((d) => d.check), [
    "human_sample",
    "monthly_agreement",
    "quarterly_correlation",
    "gate",
  ]);
  assert.equal(s.checks.quarterly_correlation.expected_quarter, "2026-Q3");
  const lines = statusLines(s);
  assert.match(lines[0], /^status {4}.* on 2026-11-29: no artifacts$/);
  assert.ok(
    lines.includes("due       no judge run yet: judge the current release on the eval set"),
  );
});

Deno.test("evalkit status --json prints the due list; bad --now or --runs exit 2", async () => {
  const w = await setup();
  const now = daysAfter(w.agreement.date, 40).toISOString();
  const r = await cli(["status", "--runs", w.demo, "--now", now, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.equal(summary.now, now);
  assert.ok(Array.isArray(summary.due));
  const checks = new Set(summary.due.map((d: { check: string }) => d.check));
  assert.ok(checks.has("human_sample") && checks.has("monthly_agreement"));
  for (const d of summary.due) assert.equal(typeof d.what, "string");
  assert.match(r.stderr, /^status {4}/);
  assert.match(r.stderr, /^due {7}monthly agreement: /m);

  const day = await cli(["status", "--runs", w.demo, "--now", "2026-12-01"]);
  assert.equal(day.code, 0, day.stderr);
  assert.equal(day.stdout, "");
  assert.match(day.stderr, / on 2026-12-01: /);

  const badNow = await cli(["status", "--runs", w.demo, "--now", "yesterday"]);
  assert.equal(badNow.code, 2);
  assert.equal(
    badNow.stderr.trim(),
    'Invalid --now "yesterday": expected YYYY-MM-DD or an ISO timestamp',
  );
  const missing = await cli(["status", "--runs", `${w.demo}/nope`, "--json"]);
  assert.equal(missing.code, 2);
  assert.equal(
    JSON.parse(missing.stdout).error.message,
    `Cannot read "${w.demo}/nope": no such folder`,
  );
});

Deno.test("status says which releases have no item-level validity check yet", async () => {
  const w = await setup();
  const now = new Date(daysAfter(w.agreement.date, 1));
  const s = await readStatus(w.demo, { now });
  // The demo judged the prod answers its users gave feedback on (served by every
  // release's model) and checked them: every release is covered.
  const v = s.checks.item_validity;
  assert.equal(v.releases.length, Object.keys(w.runs).length);
  assert.deepEqual(v.without, []);
  assert.ok(v.releases.every((r) => /^validity-[0-9a-f]{12}$/.test(r.validity ?? "")));
  assert.ok(!s.due.some((d) => d.check === "item_validity"));
  assert.ok(
    statusLines(s).includes(
      `ok        item-level validity: every release checked (${v.releases.length})`,
    ),
  );

  // The same runs without the validity artifact: every release has none yet, and says so.
  const bare = await tempDir("evalkit-status-novalidity-");
  for await (const e of Deno.readDir(w.demo)) {
    if (e.isDirectory && !e.name.startsWith("validity-")) {
      const cp = await new Deno.Command("cp", { args: ["-r", `${w.demo}/${e.name}`, bare] })
        .output();
      assert.equal(cp.code, 0);
    }
  }
  const s2 = await readStatus(bare, { now });
  assert.equal(s2.checks.item_validity.without.length, v.releases.length);
  const item = s2.due.find((d) => d.check === "item_validity")!;
  assert.match(item.what, /^10 of 10 releases have no validity check yet \(.*\): r01 \(judge-/);
  assert.match(item.command!, /evalkit validity --run /);
  assert.ok(
    statusLines(s2).some((l) =>
      /^due {7}item-level validity: 0 of 10 releases checked; none yet for r01, /.test(l)
    ),
  );
});
