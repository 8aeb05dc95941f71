import assert from "node:assert/strict";
import { main } from "../lib/cli.ts";

async function files(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const rel = prefix + e.name;
    if (e.isDirectory) out.push(...await files(`${dir}/${e.name}`, rel + "/"));
    else out.push(rel);
  }
  return out.sort();
}

async function demo(out: string) {
  let stdout = "";
  let stderr = "";
  const code = await main(["demo", "--out", out, "--json"], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr };
}

Deno.test("evalkit demo runs offline, says what each step did, and reruns byte-identically", async () => {
  const a = await Deno.makeTempDir({ prefix: "evalkit-demo-a-" });
  const b = await Deno.makeTempDir({ prefix: "evalkit-demo-b-" });
  try {
    const first = await demo(a);
    assert.equal(first.code, 0, first.stderr);
    const summary = JSON.parse(first.stdout);
    assert.equal(summary.artifacts.length, 2);
    assert.match(first.stderr, /^load +6024 prod log records/m);
    assert.match(
      first.stderr,
      /^sample +200 of \d+ distinct queries, account 20\/20, billing 120\/120/m,
    );
    const second = await demo(b);
    assert.equal(second.code, 0, second.stderr);
    const listA = await files(a);
    assert.deepEqual(await files(b), listA);
    assert.ok(listA.some((f) => f.endsWith("evalset.jsonl")));
    for (const f of listA) {
      const [x, y] = [await Deno.readTextFile(`${a}/${f}`), await Deno.readTextFile(`${b}/${f}`)];
      if (f.endsWith("manifest.json")) {
        const strip = (t: string) => ({ ...JSON.parse(t), created_at: null });
        assert.deepEqual(strip(y), strip(x), `${f} differs beyond created_at`);
      } else assert.equal(y, x, `${f} differs`);
    }
  } finally {
    await Deno.remove(a, { recursive: true });
    await Deno.remove(b, { recursive: true });
  }
});
