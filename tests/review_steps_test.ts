/**
 * The named steps of `review export` and `review serve`, each on its own: which
 * judged items are candidates, the shared choice of items, and the ratings log
 * (read back, locked, appended to, removed when nothing was saved).
 */
import assert from "node:assert/strict";
import { chooseForReview, reviewCandidates } from "../lib/review/_choose.ts";
import { openRatingsLog, ratedAtById, readBackRatings } from "../lib/review/_ratings_log.ts";
import type { RunItem } from "../lib/review/source.ts";
import { createReporter } from "../lib/reporter.ts";
import type { Judgment } from "../lib/schemas.ts";

const scores = (s: number) => ({
  correctness: s,
  relevance: s,
  clarity: s,
  calibration: s,
  length: s,
});

function judgment(item_id: string, ok: boolean, s = 4): Judgment {
  return {
    item_id,
    judge_model: "heuristic",
    prompt_sha256: "0".repeat(64),
    scores: ok ? scores(s) : null,
    rationale: "",
    usage: { prompt_tokens: 0, completion_tokens: 0 },
    status: ok ? "ok" : "failed",
    ...(ok ? {} : { error: "timeout" }),
  } as Judgment;
}

function runItem(id: string, stratum: string, response: string | null): RunItem {
  return { item: { id, query: `q ${id}`, stratum, source_id: `l-${id}` }, response, model: null };
}

Deno.test("reviewCandidates() keeps items judged ok with a response, in judgment order", () => {
  const items = new Map([
    ["a", runItem("a", "billing", "yes")],
    ["b", runItem("b", "billing", null)],
    ["c", runItem("c", "login", "no")],
    ["d", runItem("d", "login", "maybe")],
  ]);
  const candidates = reviewCandidates([
    judgment("d", true, 2),
    judgment("a", true, 5),
    judgment("b", true), // no response
    judgment("c", false), // failed
    judgment("z", true), // not in the eval set
  ], items);
  assert.deepEqual(candidates, [
    { item_id: "d", stratum: "login", scores: scores(2) },
    { item_id: "a", stratum: "billing", scores: scores(5) },
  ]);
});

Deno.test("chooseForReview() refuses a run with nothing judged ok and warns when fewer than asked", () => {
  const items = new Map([["a", runItem("a", "billing", "yes")], ["b", runItem("b", "x", "no")]]);
  assert.throws(
    () =>
      chooseForReview("runs/judge-x", { judgments: [judgment("a", false)], items }, {
        n: 5,
        seed: 0,
        placed: "on the page",
      }),
    (e: Error) =>
      e instanceof RangeError &&
      e.message === 'The judge run "runs/judge-x" has no item judged ok: nothing to review',
  );
  const reporter = createReporter({ write: () => {} });
  const selection = chooseForReview(
    "runs/judge-x",
    { judgments: [judgment("a", true), judgment("b", true)], items },
    { n: 5, seed: 0, placed: "in the sheets", reporter },
  );
  assert.deepEqual(selection.items.map((s) => s.item_id).sort(), ["a", "b"]);
  assert.deepEqual(reporter.warnings, [
    "asked for 5 items but the run has 2 judged ok: all are in the sheets",
  ]);
  const quiet = createReporter({ write: () => {} });
  chooseForReview("r", { judgments: [judgment("a", true), judgment("b", true)], items }, {
    n: 2,
    seed: 0,
    placed: "on the page",
    reporter: quiet,
  });
  assert.deepEqual(quiet.warnings, []);
});

const line = (item_id: string, s: number, rated_at?: string) =>
  JSON.stringify({ item_id, rater: "ana", ...scores(s), notes: null, rated_at }) + "\n";

Deno.test("ratedAtById() takes the rated_at of the last line naming an item", () => {
  const text = line("q1", 3, "2025-01-01T00:00:00.000Z") + "\n" +
    line("q2", 4, "2025-01-02T00:00:00.000Z") + line("q1", 5, "2025-01-03T00:00:00.000Z") +
    line("q3", 2);
  assert.deepEqual(
    [...ratedAtById(text)],
    [["q1", "2025-01-03T00:00:00.000Z"], ["q2", "2025-01-02T00:00:00.000Z"]],
  );
});

Deno.test("readBackRatings() returns the latest rating per item with its rated_at, and refuses another rater", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/ratings_ana.jsonl`;
  await Deno.writeTextFile(
    path,
    line("q1", 3, "2025-01-01T00:00:00.000Z") + line("q1", 5, "2025-01-03T00:00:00.000Z") +
      line("q2", 4),
  );
  const ratings = await readBackRatings(path, "ana");
  assert.equal(ratings.size, 2);
  assert.equal(ratings.get("q1")?.correctness, 5);
  assert.equal(ratings.get("q1")?.rated_at, "2025-01-03T00:00:00.000Z");
  assert.equal(ratings.get("q2")?.rated_at, "");
  assert.equal(ratings.get("q2")?.notes, null);
  await assert.rejects(() => readBackRatings(path, "ben"), /rater/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("openRatingsLog() locks the file, appends whole lines, and removes a file it created but never wrote", async () => {
  const dir = await Deno.makeTempDir();
  const unused = `${dir}/sub/ratings_ana.jsonl`;
  const empty = await openRatingsLog(unused, "ana");
  assert.equal(empty.ratings.size, 0);
  await empty.close();
  await assert.rejects(() => Deno.stat(unused), Deno.errors.NotFound);

  const path = `${dir}/ratings_ana.jsonl`;
  await Deno.writeTextFile(path, line("q1", 3, "2025-01-01T00:00:00.000Z").trimEnd());
  const log = await openRatingsLog(path, "ana");
  assert.equal(log.ratings.get("q1")?.correctness, 3);
  await assert.rejects(() => openRatingsLog(path, "ana"), RangeError);
  await log.append({
    item_id: "q2",
    rater: "ana",
    ...scores(4),
    notes: null,
    rated_at: "2025-01-02T00:00:00.000Z",
  });
  await log.close();
  const lines = (await Deno.readTextFile(path)).split("\n");
  assert.equal(lines.length, 3);
  assert.equal(lines[2], "");
  assert.equal(JSON.parse(lines[1]).item_id, "q2");
  const again = await openRatingsLog(path, "ana");
  assert.deepEqual([...again.ratings.keys()], ["q1", "q2"]);
  await again.close();
  await Deno.remove(dir, { recursive: true });
});
