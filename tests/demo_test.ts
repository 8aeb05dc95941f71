import assert from "node:assert/strict";
import { type ArtifactKind, readArtifact } from "../lib/artifact_kinds.ts";

const CLI = new URL("../lib/cli.ts", import.meta.url).pathname;

async function files(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const rel = prefix + e.name;
    if (e.isDirectory) out.push(...await files(`${dir}/${e.name}`, rel + "/"));
    else out.push(rel);
  }
  return out.sort();
}

/**
 * The demo as a user runs it, from `cwd`, writing to `out`. `SOURCE_DATE_EPOCH` fixes the
 * manifests' `created_at` (the reproducible-builds convention the artifacts module honours).
 */
async function demo(cwd: string, out: string) {
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, "demo", "--out", out, "--json"],
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", SOURCE_DATE_EPOCH: "1788220800" },
  }).output();
  const dec = new TextDecoder();
  return { code: run.code, stdout: dec.decode(run.stdout), stderr: dec.decode(run.stderr) };
}

Deno.test("evalkit demo runs offline, says what each step did, and gives byte-identical files in any folder", async () => {
  const a = await Deno.makeTempDir({ prefix: "evalkit-demo-a-" });
  const b = await Deno.makeTempDir({ prefix: "evalkit-demo-b-" });
  try {
    // Two working directories, two --out folders of different names and depths.
    const [outA, outB] = [`${a}/runs`, `${b}/deeper/elsewhere`];
    const first = await demo(a, outA);
    assert.equal(first.code, 0, first.stderr);
    const summary = JSON.parse(first.stdout);
    for (const step of ["load", "sample", "generate", "judge", "gate", "compare", "correlate"]) {
      assert.match(first.stderr, new RegExp(`^${step} +\\S`, "m"), `says what ${step} did`);
    }
    assert.match(
      first.stderr,
      /^sample +200 of \d+ distinct queries, account 20\/20, billing 120\/120/m,
    );
    const second = await demo(b, "deeper/elsewhere");
    assert.equal(second.code, 0, second.stderr);
    assert.equal(
      second.stdout.replaceAll("deeper/elsewhere/", "OUT/"),
      first.stdout.replaceAll(`${outA}/`, "OUT/"),
      "the same summary, but for the folder",
    );
    const listA = await files(outA);
    assert.deepEqual(await files(outB), listA);
    for (const dir of summary.artifacts as string[]) {
      assert.ok(
        listA.some((f) => f.startsWith(dir.slice(outA.length + 1) + "/")),
        `${dir} written`,
      );
    }
    const dec = new TextDecoder();
    for (const f of listA) {
      const [x, y] = [await Deno.readFile(`${outA}/${f}`), await Deno.readFile(`${outB}/${f}`)];
      assert.ok(
        x.length === y.length && x.every((byte, i) => byte === y[i]),
        `${f} differs:\n${dec.decode(x).slice(0, 2000)}\n---\n${dec.decode(y).slice(0, 2000)}`,
      );
      for (const folder of [a, b, outA, outB]) {
        assert.ok(!dec.decode(x).includes(folder), `${f} holds the folder ${folder}`);
      }
    }
    await brokenMainFiles(outA);
  } finally {
    await Deno.remove(a, { recursive: true });
    await Deno.remove(b, { recursive: true });
  }
});

/**
 * Every main JSON file the demo wrote, hand-edited (a checked field given the wrong type)
 * or truncated, is refused by its kind's schema naming the file and the field, never read
 * as if it were whole.
 */
async function brokenMainFiles(out: string): Promise<void> {
  const edits: [ArtifactKind, string, string, (v: Record<string, unknown>) => void][] = [
    ["comparison", "comparison.json", "n", (v) => (v.n = "200")],
    ["correlation", "correlation.json", "quarter", (v) => (v.quarter = 2026)],
    ["agreement", "agreement.json", "threshold", (v) => (v.threshold = "0.8")],
    ["validity", "validity.json", "dimensions", (v) => (v.dimensions = [])],
  ];
  const names = [...Deno.readDirSync(out)].map((e) => e.name);
  for (const [kind, file, field, edit] of edits) {
    const name = names.find((n) => n.startsWith(`${kind}-`));
    assert.ok(name, `the demo wrote a ${kind} artifact`);
    const dir = `${out}/${name}`;
    await readArtifact(dir, kind); // whole: reads
    const whole = await Deno.readTextFile(`${dir}/${file}`);
    const value = JSON.parse(whole);
    edit(value);
    await Deno.writeTextFile(`${dir}/${file}`, JSON.stringify(value, null, 2));
    await assert.rejects(
      () => readArtifact(dir, kind),
      (e: Error) => {
        assert.match(e.message, new RegExp(`^Cannot read "${dir}/${file}": field "${field}": `));
        return true;
      },
    );
    await Deno.writeTextFile(`${dir}/${file}`, whole.slice(0, whole.length >> 1));
    await assert.rejects(() => readArtifact(dir, kind), SyntaxError, file);
  }
}
