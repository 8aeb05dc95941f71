/**
 * Artifacts read back typed: one reader (readArtifact), one runs-folder scanner (readRuns),
 * one agreement rule, and place-independent manifests. Broken artifacts are tested through
 * the CLI, as a user meets them.
 */
import assert from "node:assert/strict";
import { readAgreementHistory } from "../lib/agreement/history.ts";
import { metaOf, readArtifact } from "../lib/artifact_kinds.ts";
import {
  artifactClock,
  gitCommit,
  readManifest,
  recordPath,
  resolveRecorded,
  writeArtifact,
} from "../lib/artifacts.ts";
import { readCorrelationHistory } from "../lib/correlate/history.ts";
import { toJsonl } from "../lib/io/write.ts";
import { agreementOfRun, readRuns } from "../lib/runs.ts";
import type { Judgment } from "../lib/schemas.ts";
import { runCliJson } from "../lib/testing/cli.ts";

async function tempDir(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "evalkit-kinds-" });
  globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
  return dir;
}

const SHA = "a".repeat(64);
const judgment = (id: string): Judgment => ({
  item_id: id,
  judge_model: "judge-m",
  prompt_sha256: SHA,
  scores: { correctness: 4, relevance: 4, clarity: 4, calibration: 4, length: 4 },
  rationale: "ok",
  usage: { prompt_tokens: 1, completion_tokens: 1 },
  status: "ok",
});

/** A small judge run and a gate beside it, in a fresh runs folder. */
async function runsFolder() {
  const out = await tempDir();
  const run = await writeArtifact({
    kind: "judge",
    out,
    command: "judge",
    params: { judge: "judge-m" },
    files: { "judgments.jsonl": toJsonl(["a", "b"].map(judgment)) },
    meta: { judge_model: "judge-m", prompt_sha256: SHA, models: ["m"], self_judged: false },
  });
  const gate = await writeArtifact({
    kind: "gate",
    out,
    command: "regress",
    params: { judge: "judge-m" },
    files: {
      "gate.json": JSON.stringify({
        verdict: "passed",
        rule: "every case passes",
        cases: 1,
        passed: 1,
        failed: 0,
        regressions: [],
        fixed: [],
        still_failing: [],
        new_failing: [],
        judge: { model: "judge-m", prompt_sha256: SHA, judge_family: null, self_judged: false },
        version: { models: ["m"], source: "responses", responses: "r.jsonl" },
        baseline: null,
        results: [{
          id: "case-1",
          source: "INC-1",
          passed: true,
          reason: "",
          failures: [],
          scores: null,
          min_scores: {},
          baseline: null,
          case_sha256: SHA,
        }],
        warnings: [],
      }),
    },
    meta: { judge_model: "judge-m", self_judged: false, baseline: `${out}/judge-000000` },
  });
  return { out, run: run.dir, gate: gate.dir };
}

/** The message of a failed command's `--json` error. */
function message(json: Record<string, unknown>): string {
  return String((json.error as { message?: string } | undefined)?.message);
}

async function editJson(path: string, edit: (v: Record<string, unknown>) => void) {
  const value = JSON.parse(await Deno.readTextFile(path));
  edit(value);
  await Deno.writeTextFile(path, JSON.stringify(value, null, 2));
}

Deno.test("a hand-edited manifest: report and status say which field, and exit 2", async () => {
  const { out, run } = await runsFolder();
  await editJson(`${run}/manifest.json`, (m) => ((m.kit as Record<string, unknown>).version = 1));
  const report = await runCliJson(["report", "--run", run, "--out", out]);
  assert.equal(report.code, 2);
  assert.equal(
    message(report.json),
    `Cannot read "${run}/manifest.json": field "kit.version": expected string, received number`,
  );
  const status = await runCliJson(["status", "--runs", out]);
  assert.equal(status.code, 2);
  assert.match(message(status.json), /field "kit\.version": expected string/);
});

Deno.test("a truncated manifest is a SyntaxError naming the file, exit 2", async () => {
  const { out, run } = await runsFolder();
  const text = await Deno.readTextFile(`${run}/manifest.json`);
  await Deno.writeTextFile(`${run}/manifest.json`, text.slice(0, text.length / 2));
  await assert.rejects(() => readManifest(run), SyntaxError);
  const status = await runCliJson(["status", "--runs", out]);
  assert.equal(status.code, 2);
  assert.match(
    message(status.json),
    new RegExp(`^Cannot read "${run}/manifest.json": not JSON, the file is truncated`),
  );
});

Deno.test("a meta field of the wrong type is caught by its kind's schema", async () => {
  const { out, gate } = await runsFolder();
  await editJson(
    `${gate}/manifest.json`,
    (m) => ((m.meta as Record<string, unknown>).self_judged = "yes"),
  );
  const status = await runCliJson(["status", "--runs", out]);
  assert.equal(status.code, 2);
  assert.equal(
    message(status.json),
    `Cannot read "${gate}/manifest.json": field "meta.self_judged": expected boolean, received "yes"`,
  );
});

Deno.test("a broken main file (gate.json) is named with its field, exit 2", async () => {
  const { out, run, gate } = await runsFolder();
  await editJson(`${gate}/gate.json`, (g) => (g.cases = "1"));
  const report = await runCliJson(["report", "--run", run, "--gate", gate, "--out", out]);
  assert.equal(report.code, 2);
  assert.equal(
    message(report.json),
    `Cannot read "${gate}/gate.json": field "cases": expected number, received "1"`,
  );
  await Deno.writeTextFile(`${gate}/gate.json`, '{"verdict": "pas');
  await assert.rejects(() => readArtifact(gate, "gate"), SyntaxError);
});

Deno.test("readArtifact() says what a folder is when it is not the kind asked for", async () => {
  const { run, gate } = await runsFolder();
  await assert.rejects(
    () => readArtifact(gate, "comparison", "--comparison"),
    (e: Error) =>
      e instanceof TypeError &&
      e.message ===
        `Cannot read "${gate}": a gate artifact, not a comparison artifact (--comparison)`,
  );
  await assert.rejects(
    () => readArtifact(`${run}/nope`, "judge", "--run"),
    (e: Error) =>
      e.message === `Cannot read "${run}/nope": no such folder; --run takes a judgment run`,
  );
  const read = await readArtifact(gate, "gate");
  assert.equal(read.data.cases, 1);
  assert.equal(read.meta.self_judged, false);
});

Deno.test("one scanner: a missing runs folder reads the same for status and every history", async () => {
  const missing = `${await tempDir()}/nope`;
  const expected = `Cannot read "${missing}": no such folder`;
  for (
    const read of [
      () => readRuns(missing),
      () => readAgreementHistory(missing),
      () => readCorrelationHistory(missing),
    ]
  ) {
    await assert.rejects(read, (e: Error) => e instanceof TypeError && e.message === expected);
  }
  const status = await runCliJson(["status", "--runs", missing]);
  assert.equal(status.code, 2);
  assert.equal(message(status.json), expected);
});

Deno.test("readRuns() skips unfinished writes and foreign folders, oldest first", async () => {
  const { out, run, gate } = await runsFolder();
  await Deno.mkdir(`${out}/.judge-abcdef.tmp-1234`);
  await Deno.mkdir(`${out}/notes`);
  await Deno.mkdir(`${out}/judge-abcdef`); // no manifest: not an artifact
  const entries = await readRuns(out);
  assert.deepEqual(entries.map((e) => e.dir).sort(), [gate, run].sort());
});

Deno.test("agreementOfRun(): this run's sample first, else the same judge and prompt; never a re-judge", () => {
  const run = { name: "judge-0a1b2c", id: "0a1b2c", judge_model: "j", prompt_sha256: "p" };
  const other = {
    artifact: "a1",
    meta: {
      mode: "agreement" as const,
      run: "runs/judge-ffffff",
      judge_model: "j",
      prompt_sha256: "p",
    },
  };
  const otherPrompt = {
    artifact: "a2",
    meta: {
      mode: "agreement" as const,
      run: "x/judge-eeeeee",
      judge_model: "j",
      prompt_sha256: "q",
    },
  };
  const mine = { artifact: "a3", meta: { mode: "agreement" as const, run: "../judge-0a1b2c" } };
  const rejudge = { artifact: "a4", meta: { mode: "rejudge" as const, judge_run: "0a1b2c" } };
  assert.deepEqual(agreementOfRun([mine, other, rejudge], run), { ...mine, same_run: true });
  assert.deepEqual(agreementOfRun([other, otherPrompt, rejudge], run), {
    ...other,
    same_run: false,
  });
  assert.equal(agreementOfRun([otherPrompt, rejudge], run), null);
});

Deno.test("manifests record paths into the runs folder relative to the artifact, wherever --out is", async () => {
  const base = await tempDir();
  const written: string[] = [];
  for (const out of [`${base}/a/runs`, `${base}/b/elsewhere`]) {
    const first = await writeArtifact({
      kind: "note",
      out,
      command: "example",
      params: {},
      files: { "note.txt": "n\n" },
    });
    const second = await writeArtifact({
      kind: "summary",
      out,
      command: "example",
      params: {},
      inputs: [`${first.dir}/note.txt`],
      files: { "summary.txt": "s\n" },
      meta: { run: first.dir, nested: { files: [`${first.dir}/note.txt`] }, data: "data/x.csv" },
      now: () => new Date("2026-01-01T00:00:00Z"),
    });
    assert.equal(second.manifest.inputs[0].path, `../${first.dir.split("/").pop()}/note.txt`);
    assert.deepEqual(second.manifest.meta.nested, {
      files: [`../${first.dir.split("/").pop()}/note.txt`],
    });
    assert.equal(second.manifest.meta.data, "data/x.csv");
    assert.equal(resolveRecorded(second.dir, String(second.manifest.meta.run)), first.dir);
    written.push(await Deno.readTextFile(`${second.dir}/manifest.json`));
  }
  assert.equal(written[0], written[1]);
  assert.equal(recordPath("runs/judge-0a1b2c", `${Deno.cwd()}/runs`), "../judge-0a1b2c");
  assert.equal(recordPath("runs/notes.txt", `${Deno.cwd()}/runs`), "runs/notes.txt");
});

Deno.test("artifactClock() honours SOURCE_DATE_EPOCH and refuses a malformed one", () => {
  const before = Deno.env.get("SOURCE_DATE_EPOCH");
  try {
    Deno.env.set("SOURCE_DATE_EPOCH", "1788220800");
    assert.equal(artifactClock().toISOString(), "2026-09-01T00:00:00.000Z");
    Deno.env.set("SOURCE_DATE_EPOCH", "yesterday");
    assert.throws(() => artifactClock(), RangeError);
  } finally {
    if (before === undefined) Deno.env.delete("SOURCE_DATE_EPOCH");
    else Deno.env.set("SOURCE_DATE_EPOCH", before);
  }
});

Deno.test("a prompt comparison's {old, new} meta reads in a runs folder and never applies to a run", async () => {
  const { out, run } = await runsFolder();
  // The meta as lib/agreement/run.ts writes a prompt comparison (mode "compare").
  await writeArtifact({
    kind: "agreement",
    out,
    command: "agreement",
    params: { mode: "compare" },
    files: { "agreement.json": "{}\n" },
    meta: {
      mode: "compare",
      runs: { old: run, new: run },
      judge_runs: { old: "0a1b2c", new: "0a1b2c" },
      judge_models: { old: "judge-m", new: "judge-m" },
      prompt_sha256: { old: SHA, new: "b".repeat(64) },
      ratings: [],
      ratings_date: null,
      adopt: false,
      warnings: [],
    },
  });
  const entries = await readRuns(out);
  const candidates = entries.filter((e) => e.kind === "agreement")
    .map((e) => ({ artifact: e.dir, meta: metaOf(e.manifest, "agreement", e.dir) }));
  assert.equal(candidates.length, 1);
  const identity = {
    name: run.split("/").pop()!,
    id: "0a1b2c",
    judge_model: "judge-m",
    prompt_sha256: SHA,
  };
  assert.equal(agreementOfRun(candidates, identity), null);
  const status = await runCliJson(["status", "--runs", out]);
  assert.equal(status.code, 0, message(status.json));
});

Deno.test("gitCommit() reads the checkout's HEAD, in a worktree too", async () => {
  const root = new URL("..", import.meta.url).pathname;
  const git = await new Deno.Command("git", {
    args: ["rev-parse", "HEAD"],
    cwd: root,
    stdout: "piped",
    stderr: "null",
  })
    .output().catch(() => null);
  if (!git?.success) return; // Not a git checkout (an installed copy): nothing to compare.
  assert.equal(await gitCommit(), new TextDecoder().decode(git.stdout).trim());
});
