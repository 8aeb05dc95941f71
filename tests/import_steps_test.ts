/**
 * The steps of `import judgments` on their own: the usage checks, the judgments
 * made of imported rows, and the record of the items file in the run's manifest.
 */
import assert from "node:assert/strict";
import { sha256File } from "../lib/_hash.ts";
import { readManifest } from "../lib/artifacts.ts";
import { importedJudgments, importJudgmentsFile } from "../lib/import/import.ts";

const set = { dimensions: ["helpful"], scale: { min: 1, max: 10 } };

Deno.test("importedJudgments() marks every row ok by the judge, notes as rationale, model only when named", () => {
  const judgments = importedJudgments(
    [
      { line: 2, item_id: "q1", rater: "", scores: { helpful: 9 }, notes: "clear", model: "m-1" },
      { line: 3, item_id: "q2", rater: "", scores: { helpful: 3 } },
    ],
    "vendor-judge",
    "f".repeat(64),
  );
  assert.deepEqual(judgments, [
    {
      item_id: "q1",
      judge_model: "vendor-judge",
      prompt_sha256: "f".repeat(64),
      scores: { helpful: 9 },
      rationale: "clear",
      usage: { prompt_tokens: 0, completion_tokens: 0 },
      status: "ok",
      model: "m-1",
    },
    {
      item_id: "q2",
      judge_model: "vendor-judge",
      prompt_sha256: "f".repeat(64),
      scores: { helpful: 3 },
      rationale: "",
      usage: { prompt_tokens: 0, completion_tokens: 0 },
      status: "ok",
    },
  ]);
});

Deno.test("importJudgmentsFile() refuses a missing judge and a wide file without its one rater", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/j.csv`, "item_id,helpful\nq1,9\n");
  await assert.rejects(
    () => importJudgmentsFile(`${dir}/j.csv`, { judgeModel: " ", set, out: `${dir}/runs` }),
    (e: Error) =>
      e instanceof RangeError &&
      e.message === "Missing required flag --judge-model: the judge that made the scores",
  );
  await assert.rejects(
    () =>
      importJudgmentsFile(`${dir}/j.csv`, {
        judgeModel: "j",
        set,
        layout: "wide",
        out: `${dir}/runs`,
      }),
    (e: Error) =>
      e instanceof RangeError && /^--layout wide needs --only-raters NAME/.test(e.message),
  );
  await assert.rejects(() => Deno.stat(`${dir}/runs`), Deno.errors.NotFound, "nothing written");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("importJudgmentsFile() records the items file it checked against in the manifest", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/j.csv`, "item_id,helpful\nq1,9\nq2,3\n");
  await Deno.writeTextFile(`${dir}/items.txt`, "q1\nq2\n");
  const items = `${dir}/items.txt`;
  const r = await importJudgmentsFile(`${dir}/j.csv`, {
    judgeModel: "vendor-judge",
    set,
    items,
    out: `${dir}/runs`,
  });
  const meta = (await readManifest(r.artifact)).meta as Record<string, unknown>;
  assert.deepEqual(meta.evalset, {
    path: items,
    file: items,
    abs: await Deno.realPath(items),
    sha256: await sha256File(items),
  });
  const plain = await importJudgmentsFile(`${dir}/j.csv`, {
    judgeModel: "vendor-judge",
    set,
    out: `${dir}/runs2`,
  });
  assert.equal("evalset" in ((await readManifest(plain.artifact)).meta ?? {}), false);
  await Deno.remove(dir, { recursive: true });
});
