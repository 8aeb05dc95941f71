import assert from "node:assert/strict";
import { readManifest, sha256, sha256File, verifyArtifact, writeArtifact } from "../lib/mod.ts";

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "evalkit-artifacts-" });
}

async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  return names.sort();
}

const fixedClock = (iso: string) => () => new Date(iso);

Deno.test("writeArtifact() writes <out>/<kind>-<id>/ with a manifest hashing every input and output", async () => {
  const out = await tempDir();
  const input = `${out}/input.jsonl`;
  await Deno.writeTextFile(input, '{"id":"a"}\n');
  const result = await writeArtifact({
    kind: "evalset",
    out,
    command: "sample",
    params: { n: 2, seed: 7 },
    seed: 7,
    inputs: [input],
    files: { "evalset.jsonl": '{"id":"x"}\n', "extra/notes.txt": "n\n" },
    meta: { judge_model: "gpt-4o", prompt_sha256: "0".repeat(64) },
    now: fixedClock("2026-11-29T10:00:00.000Z"),
  });
  assert.match(result.dir, new RegExp(`^${out}/evalset-[0-9a-f]{12}$`));
  assert.equal(result.created, true);
  assert.deepEqual(await listDir(result.dir), ["evalset.jsonl", "extra", "manifest.json"]);
  const m = await readManifest(result.dir);
  assert.equal(m.kit.name, "evalkit");
  assert.match(m.kit.version, /^\d+\.\d+\.\d+/);
  assert.ok(m.kit.git_commit === null || /^[0-9a-f]{40}$/.test(m.kit.git_commit));
  assert.equal(m.command, "sample");
  assert.deepEqual(m.params, { n: 2, seed: 7 });
  assert.equal(m.seed, 7);
  assert.equal(m.created_at, "2026-11-29T10:00:00.000Z");
  assert.deepEqual(m.inputs, [{ path: input, sha256: await sha256File(input), bytes: 11 }]);
  assert.deepEqual(m.outputs.map((o) => o.path), ["evalset.jsonl", "extra/notes.txt"]);
  assert.equal(m.outputs[0].sha256, sha256('{"id":"x"}\n'));
  assert.equal(m.outputs[0].sha256, await sha256File(`${result.dir}/evalset.jsonl`));
  assert.equal(m.meta.judge_model, "gpt-4o");
  assert.deepEqual(await verifyArtifact(result.dir), []);
  await Deno.remove(out, { recursive: true });
});

Deno.test("writeArtifact() rerun with the same inputs gives byte-identical files and keeps the first", async () => {
  const out = await tempDir();
  const spec = {
    kind: "judgments",
    out,
    command: "judge",
    params: { judge: "heuristic" },
    files: { "judgments.jsonl": '{"item_id":"a"}\n{"item_id":"b"}\n' },
  };
  const first = await writeArtifact({ ...spec, now: fixedClock("2026-01-01T00:00:00Z") });
  const bytesBefore = await Deno.readFile(`${first.dir}/judgments.jsonl`);
  const manifestBefore = await Deno.readFile(`${first.dir}/manifest.json`);
  const second = await writeArtifact({ ...spec, now: fixedClock("2026-02-02T00:00:00Z") });
  assert.equal(second.dir, first.dir);
  assert.equal(second.created, false);
  assert.deepEqual(await Deno.readFile(`${second.dir}/judgments.jsonl`), bytesBefore);
  assert.deepEqual(
    await Deno.readFile(`${second.dir}/manifest.json`),
    manifestBefore,
    "the first manifest (and its created_at) is kept",
  );
  assert.deepEqual(await listDir(out), [first.dir.slice(out.length + 1)]);
  await Deno.remove(out, { recursive: true });
});

Deno.test("writeArtifact() refuses to overwrite an artifact with different content", async () => {
  const out = await tempDir();
  const spec = { kind: "gate", out, command: "regress", params: { cases: "c.jsonl" } };
  const first = await writeArtifact({ ...spec, files: { "gate.json": '{"failed":0}\n' } });
  await assert.rejects(
    writeArtifact({ ...spec, files: { "gate.json": '{"failed":1}\n' } }),
    (e: Error) =>
      /^Refusing to overwrite ".*gate-[0-9a-f]{12}": it holds different content \(gate\.json\)/
        .test(e.message),
  );
  assert.equal(await Deno.readTextFile(`${first.dir}/gate.json`), '{"failed":0}\n');
  await Deno.remove(out, { recursive: true });
});

Deno.test("writeArtifact() notices an artifact edited by hand and does not paper over it", async () => {
  const out = await tempDir();
  const spec = {
    kind: "gate",
    out,
    command: "regress",
    params: {},
    files: { "gate.json": "{}\n" },
  };
  const first = await writeArtifact(spec);
  await Deno.writeTextFile(`${first.dir}/gate.json`, '{"edited":true}\n');
  assert.deepEqual(await verifyArtifact(first.dir), [
    "gate.json: sha256 differs from the manifest",
  ]);
  await assert.rejects(writeArtifact(spec), /Refusing to overwrite/);
  await Deno.remove(out, { recursive: true });
});

Deno.test("writeArtifact() ids change with parameters and input content, not input path", async () => {
  const out = await tempDir();
  const a = `${out}/a.jsonl`;
  const b = `${out}/b.jsonl`;
  await Deno.writeTextFile(a, "same\n");
  await Deno.writeTextFile(b, "same\n");
  const base = { kind: "evalset", out, command: "sample", files: { "evalset.jsonl": "" } };
  const r1 = await writeArtifact({ ...base, params: { n: 1 }, inputs: [a] });
  const r2 = await writeArtifact({ ...base, params: { n: 1 }, inputs: [b] });
  const r3 = await writeArtifact({ ...base, params: { n: 2 }, inputs: [a] });
  await Deno.writeTextFile(b, "changed\n");
  const r4 = await writeArtifact({ ...base, params: { n: 1 }, inputs: [b] });
  assert.equal(r1.id, r2.id);
  assert.notEqual(r1.id, r3.id);
  assert.notEqual(r1.id, r4.id);
  await Deno.remove(out, { recursive: true });
});

Deno.test("writeArtifact() leaves nothing half written when a write fails", async () => {
  const out = await tempDir();
  // "a" is a file, so "a/b.txt" cannot be created: the write fails after "a" is written.
  await assert.rejects(
    writeArtifact({
      kind: "broken",
      out,
      command: "x",
      params: {},
      files: { "a": "file\n", "a/b.txt": "cannot\n" },
    }),
  );
  assert.deepEqual(await listDir(out), [], "no artifact folder and no temporary folder remain");
  await assert.rejects(
    writeArtifact({ kind: "bad", out, command: "x", params: {}, files: { "../escape": "" } }),
    RangeError,
  );
  assert.deepEqual(await listDir(out), []);
  await Deno.remove(out, { recursive: true });
});

Deno.test("writeArtifact() under concurrent identical writes yields one artifact", async () => {
  const out = await tempDir();
  const spec = { kind: "corr", out, command: "correlate", params: {}, files: { "c.json": "1\n" } };
  const results = await Promise.all([
    writeArtifact(spec),
    writeArtifact(spec),
    writeArtifact(spec),
  ]);
  assert.equal(new Set(results.map((r) => r.dir)).size, 1);
  assert.equal(results.filter((r) => r.created).length, 1);
  assert.equal((await listDir(out)).length, 1);
  await Deno.remove(out, { recursive: true });
});

Deno.test("locateInput() finds a recorded input from another working folder by its absolute path", async () => {
  const { locateInput } = await import("../lib/artifacts.ts");
  const dir = await tempDir();
  const file = `${dir}/evalset.jsonl`;
  await Deno.writeTextFile(file, '{"id":"a"}\n');
  const sha = await sha256File(file);
  // Recorded relative to a folder the command ran in, which is not this one.
  const recorded = "../elsewhere/evalset.jsonl";
  assert.equal(await locateInput(`${dir}/runs/judge-x`, recorded, sha, file), file);
  await assert.rejects(locateInput(`${dir}/runs/judge-x`, recorded, sha), TypeError);
  await Deno.writeTextFile(file, '{"id":"changed"}\n');
  await assert.rejects(
    locateInput(`${dir}/runs/judge-x`, recorded, sha, file),
    /changed since the artifact .* was made from it \(sha256 differs\)/,
  );
  await Deno.remove(dir, { recursive: true });
});
